"""Each kind of LINE event through the Lambda handler: moto, loopback LINE, real SDK HTTP."""

import time

import pytest

from madoguchi.line import postback
from tests.support import line_events as ev
from tests.support.webhook_stack import invoke, post, webhook_stack

REPLY = "/v2/bot/message/reply"


@pytest.fixture(scope="module")
def shared_stack():
    with pytest.MonkeyPatch.context() as monkeypatch, webhook_stack(monkeypatch) as stack:
        stack.app = stack.load_app()
        yield stack


@pytest.fixture
def stack(shared_stack):
    shared_stack.line.reset()
    shared_stack.log.truncate(0)
    shared_stack.log.seek(0)
    return shared_stack


def answer_to(stack, event: dict) -> list[dict]:
    """Deliver one event with a fresh reply token; return the messages LINE received for it."""
    event["replyToken"] = stack.line.issue_reply_token()
    response = post(stack.app, event)
    assert response["statusCode"] == 200
    (request,) = stack.line.requests_to(REPLY)
    assert request.status == 200, request.response
    assert request.body["replyToken"] == event["replyToken"]
    assert request.headers["authorization"] == f"Bearer {ev.TEST_ACCESS_TOKEN}"
    return request.body["messages"]


def tapped(message: dict) -> list:
    """Decoded postbacks of a question-list bubble."""
    rows = message["contents"]["body"]["contents"]
    return [postback.decode(r["action"]["data"]) for r in rows if "action" in r]


def test_question_is_answered_with_best_answer_then_more_candidates(stack):
    sent = answer_to(stack, ev.text_event("粗大ごみの出し方を教えて"))
    assert sent[0]["type"] == "text"
    assert sent[0]["text"].startswith("■ 粗大ごみの出し方\n\n前日までに粗大ごみ受付センター")
    assert "https://example.jp/sodai" in sent[0]["text"]
    assert sent[1]["type"] == "flex"
    assert postback.ShowFaq("2", postback.Source.CANDIDATE) in tapped(sent[1])
    assert 1 <= len(tapped(sent[1])) <= 3


def test_unanswerable_question_gets_the_settings_message_categories_and_staff(stack):
    sent = answer_to(stack, ev.load_fixture_event("line_text_unanswered"))
    assert sent == [sent[0]]
    assert sent[0]["text"] == "ごめんなさい、見つかりませんでした。"
    actions = [postback.decode(i["action"]["data"]) for i in sent[0]["quickReply"]["items"]]
    button = postback.Source.BUTTON
    assert actions[:3] == [
        postback.ListCategory("ごみ", source=button),
        postback.ListCategory("子育て", source=button),
        postback.ListCategory("届出・証明", source=button),
    ]
    assert actions[-1] == postback.AskStaff(button)


def test_follow_gets_the_greeting(stack):
    sent = answer_to(stack, ev.follow_event())
    assert sent[0]["text"] == "星見ヶ丘市の窓口です。知りたいことを送ってください。"


@pytest.mark.parametrize("make", [ev.sticker_event, ev.image_event, ev.location_event])
def test_sticker_image_and_location_get_a_friendly_hint(stack, make):
    assert answer_to(stack, make())[0]["text"] == "ご質問は文字で送ってください。"


def test_postback_faq_shows_the_answer(stack):
    sent = answer_to(stack, ev.postback_event("a=faq&id=5"))
    assert sent[0]["text"].startswith("■ 児童手当の申請")


def test_postback_category_lists_its_questions(stack):
    sent = answer_to(stack, ev.postback_event("a=cat&name=ごみ"))
    in_list = postback.Source.CATEGORY
    assert tapped(sent[0]) == [postback.ShowFaq(i, in_list) for i in ("1", "2", "3", "4")]


def test_postback_staff_gives_the_handover_message(stack):
    # A resident of their own: after asking for staff, the bot may stay quiet for them.
    asking = ev.postback_event("a=staff", user_id="U" + "5" * 32)
    assert answer_to(stack, asking)[0]["text"].startswith("職員におつなぎします。")


@pytest.mark.parametrize(
    "event",
    [ev.postback_event("a=bogus&x=1"), ev.unfollow_event(), ev.unknown_event(reply_token="t")],
)
def test_events_needing_no_answer_send_nothing_and_get_200(stack, event):
    assert post(stack.app, event)["statusCode"] == 200
    assert stack.line.received == []


def test_redelivered_event_is_answered_once(stack):
    event = ev.text_event("粗大ごみの出し方", reply_token=stack.line.issue_reply_token())
    assert post(stack.app, event)["statusCode"] == 200
    again = dict(event, deliveryContext={"isRedelivery": True})
    assert post(stack.app, again)["statusCode"] == 200
    assert post(stack.app, event, event)["statusCode"] == 200
    assert len(stack.line.requests_to(REPLY)) == 1


def test_line_500_is_logged_and_the_rest_of_the_batch_is_answered(stack):
    events = [ev.text_event("粗大ごみの出し方"), ev.follow_event(), ev.sticker_event()]
    for event in events:
        event["replyToken"] = stack.line.issue_reply_token()
    stack.line.fail_next(500, path=REPLY)  # the new friend's profile is read too
    assert post(stack.app, *events)["statusCode"] == 200
    # The replies go out side by side: whichever reached LINE first got the 500.
    statuses = sorted(r.status for r in stack.line.requests_to(REPLY))
    assert statuses == [200, 200, 500]
    failures = [line for line in stack.log_lines() if line["message"] == "LINE reply failed"]
    assert failures[0]["line_status"] == 500
    assert failures[0]["level"] == "WARNING"
    summary = [line for line in stack.log_lines() if line["message"] == "webhook handled"][-1]
    assert summary["failures"] == 1 and summary["status"] == 200


def test_line_timeout_is_logged_and_the_next_event_is_still_answered(stack):
    events = [ev.text_event("粗大ごみの出し方"), ev.follow_event()]
    for event in events:
        event["replyToken"] = stack.line.issue_reply_token()
    stack.line.delay_next(2.5, path=REPLY)  # longer than a reply may take (1.5 s)
    assert post(stack.app, *events)["statusCode"] == 200
    timeouts = [line for line in stack.log_lines() if line["message"] == "LINE reply got no answer"]
    assert len(timeouts) == 1 and timeouts[0]["line_error"] == "timeout"
    # The replies go out side by side: the one LINE did not hold was answered meanwhile.
    assert [r.status for r in stack.line.requests_to(REPLY)] == [200]
    for _ in range(300):  # LINE records the held one when it is done with it
        if len(stack.line.requests_to(REPLY)) == 2:
            break
        time.sleep(0.01)
    assert len(stack.line.requests_to(REPLY)) == 2


def test_logs_never_hold_the_user_id_or_the_message_text(stack):
    secret_text = "粗大ごみの出し方を教えて 山田花子 090-1234-5678"
    events = [
        ev.text_event(secret_text),
        ev.text_event("宇宙旅行の補助金 山田花子"),
        ev.follow_event(),
        ev.postback_event("a=staff", user_id="U" + "6" * 32),
    ]
    for event in events:
        event["replyToken"] = stack.line.issue_reply_token()
    stack.line.fail_next(400, path=REPLY)
    assert post(stack.app, *events)["statusCode"] == 200
    log = stack.log.getvalue()
    assert "webhook handled" in log and "LINE reply failed" in log  # logs were captured
    private_words = ("山田花子", "090-1234-5678", "宇宙旅行", "粗大ごみの出し方を")
    for private in (ev.TEST_USER_ID, "U" + "6" * 32, *private_words):
        assert private not in log


def test_correlation_id_is_the_api_gateway_request_id(stack):
    event = ev.api_gateway_event(*ev.signed_body(ev.unfollow_event()))
    assert invoke(stack.app, event)["statusCode"] == 200
    summary = [line for line in stack.log_lines() if line["message"] == "webhook handled"][-1]
    assert summary["correlation_id"] == event["requestContext"]["requestId"]
