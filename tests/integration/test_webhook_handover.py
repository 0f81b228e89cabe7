"""Hand-over, feedback and the search log through the Lambda handler: moto DynamoDB, SNS (read
back through SQS), SSM, and the loopback LINE API."""

from __future__ import annotations

import json
from datetime import datetime, time, timedelta

import pytest

from madoguchi.clock import JST
from madoguchi.handover import replies
from madoguchi.handover.office_hours import format_moment_ja
from madoguchi.line import messages, postback
from madoguchi.richmenu.spec import STAFF_ALIAS
from madoguchi.searchlog import FAQ_VIEW, FEEDBACK, HANDOVER, HANDOVER_MESSAGE, SEARCH, user_ref
from tests.support import line_events as ev
from tests.support.clock import WEEKDAY_MORNING
from tests.support.conversation_stack import (
    MENU_ROWS,
    REPLY,
    SALT,
    deliver,
    handover_stack,
    log_records,
    mails,
    publish,
    quick,
    rows_of,
    say,
    settings_rows,
    tap,
)
from tests.support.webhook_stack import TABLE


@pytest.fixture
def stack():
    with handover_stack(settings_rows("毎日 0:00-24:00")) as stack:
        yield stack


ME = user_ref(ev.TEST_USER_ID, SALT)


def test_typed_request_hands_over_notifies_staff_and_the_bot_goes_quiet(stack):
    say(stack, "粗大ごみの出し方")
    (reply,) = say(stack, "職員と話したい")
    assert reply["text"] == f"職員におつなぎします。\n{replies.HOW_TO_GO_BACK}"
    assert quick(reply) == [postback.BackToBot()]
    (mail,) = mails(stack)
    assert "受付時間内" in mail["Subject"]
    assert "粗大ごみの出し方" in mail["Message"] and "https://manager.line.biz/" in mail["Message"]
    assert ME in mail["Message"]
    assert ev.TEST_USER_ID not in json.dumps(mail, ensure_ascii=False)
    (received,) = say(stack, "住民票の写しの取り方")  # for staff: acknowledged once
    assert received["text"] == f"{replies.RECEIVED_TEXT}\n{replies.HOW_TO_GO_BACK}"
    assert say(stack, "よろしくお願いします") == []  # then silence
    assert [r.query for r in log_records(stack, SEARCH)] == ["粗大ごみの出し方"]
    assert len(log_records(stack, HANDOVER_MESSAGE)) == 2
    (handover,) = log_records(stack, HANDOVER)
    assert handover.user_ref == ME and handover.detail == {"source": "typed", "in_hours": True}
    # Nothing the resident wrote, nor their id, reaches the application logs.
    written = stack.log.getvalue()
    assert ev.TEST_USER_ID not in written and "住民票の写し" not in written


def test_back_to_bot_button_and_phrase_end_the_handover(stack):
    tap(stack, postback.AskStaff())
    (ended,) = tap(stack, postback.BackToBot())
    assert ended["text"] == "自動応答に戻りました。"  # 設定's wording; nothing was written
    assert say(stack, "住民票の写しの取り方")[0]["text"].startswith("■ 住民票")
    say(stack, "オペレーター")
    (ended,) = say(stack, "AIに戻る")
    assert ended["text"] == "自動応答に戻りました。"
    assert say(stack, "住民票の写しの取り方")[0]["text"].startswith("■ 住民票")


def test_handover_expires_and_the_next_question_is_answered(stack):
    tap(stack, postback.AskStaff())
    key = {"pk": {"S": f"user#{ME}"}, "sk": {"S": "conversation"}}
    item = stack.dynamodb.get_item(TableName=TABLE, Key=key)["Item"]
    assert int(item["mode_until"]["N"]) - int(item["mode_since"]["N"]) == 30 * 60
    assert int(item["expires_at"]["N"]) >= int(item["mode_until"]["N"])  # the TTL attribute
    stack.clock.advance(30 * 60)  # the hand-over's own time-out
    sent = say(stack, "住民票の写しの取り方")
    assert sent[0]["text"] == replies.TIMED_OUT_TEXT
    assert sent[1]["text"].startswith("■ 住民票")


def test_after_hours_tells_when_staff_will_see_it():
    today = WEEKDAY_MORNING.date()
    closed = ",".join(str(today + timedelta(days=d)) for d in range(3))
    opening = format_moment_ja(datetime.combine(today + timedelta(days=3), time(9), JST))
    with handover_stack(settings_rows("毎日 9:00-17:00", closed)) as stack:
        (reply,) = tap(stack, postback.AskStaff())
        assert reply["text"].startswith(f"受付時間外です。次の受付({opening})に確認します。")
        (mail,) = mails(stack)
        assert "受付時間外" in mail["Subject"] and opening in mail["Message"]


def test_two_no_answers_offer_staff_and_the_offer_hands_over(stack):
    (first,) = say(stack, "天体観測の予約")
    assert first["text"] == "ごめんなさい、見つかりませんでした。"
    (second,) = say(stack, "宇宙旅行の予約")
    assert second["text"] == replies.OFFER_TEXT
    assert quick(second)[0] == postback.AskStaff("offer")
    tap(stack, quick(second)[0])
    (handover,) = log_records(stack, HANDOVER)
    assert handover.detail["source"] == "offer"
    assert [r.answered for r in log_records(stack, SEARCH)] == [False, False]


def test_feedback_and_opened_candidate_are_recorded(stack):
    sent = say(stack, "粗大ごみの出し方")
    (search,) = log_records(stack, SEARCH)
    assert search.answered and search.top_id == "1" and search.top[0].score > 0
    helpful, unhelpful = quick(sent[-1])
    assert helpful == postback.Feedback("1", True, search.id)
    (thanks,) = tap(stack, unhelpful)
    assert quick(thanks) == [postback.AskStaff("feedback")]
    (feedback,) = log_records(stack, FEEDBACK)
    assert (feedback.faq_id, feedback.helpful, feedback.search_id) == ("1", False, search.id)
    other = search.top[1].faq_id
    opened = tap(stack, postback.ShowFaq(other, postback.Source.CANDIDATE))
    assert opened[0]["text"].startswith("■ ")
    assert quick(opened[-1])[0] == postback.Feedback(other, True, search.id)
    (view,) = log_records(stack, FAQ_VIEW)
    assert (view.faq_id, view.search_id, view.detail) == (other, search.id, {"source": "candidate"})


def test_the_first_message_to_staff_after_hours_says_when_staff_will_see_it():
    today = WEEKDAY_MORNING.date()
    opening = format_moment_ja(datetime.combine(today + timedelta(days=1), time(9), JST))
    with handover_stack(settings_rows("毎日 9:00-17:00", str(today))) as stack:
        tap(stack, postback.AskStaff())
        (received,) = say(stack, "転入届の書き方を教えてほしい")
        assert received["text"].startswith("メッセージを受け付けました。いまは受付時間外")
        assert f"職員が確認するのは{opening}からです。" in received["text"]
        assert replies.HOW_TO_GO_BACK in received["text"]
        assert quick(received) == [postback.BackToBot()]
        # Staff cannot be answering now: every further message gets one short line, not silence.
        (waiting,) = say(stack, "よろしくお願いします")
        assert waiting["text"].startswith("メッセージは職員に届いています。いまは受付時間外")
        assert f"職員が確認するのは{opening}からです。" in waiting["text"]
        assert quick(waiting) == [postback.BackToBot()]


@pytest.mark.parametrize("words", ["もどる", "戻りたい", "AI", "ボット", "自動で", "ＡＩに戻る"])
def test_natural_ways_of_saying_back_end_the_handover(stack, words):
    tap(stack, postback.AskStaff())
    (ended,) = say(stack, words)
    assert ended["text"] == "自動応答に戻りました。"
    assert say(stack, "住民票の写しの取り方")[0]["text"].startswith("■ 住民票")


def test_the_end_message_says_messages_reached_staff_never_that_staff_answered(stack):
    say(stack, "職員と話したい")
    say(stack, "転入の手続きで相談があります")
    (ended,) = say(stack, "もどる")
    assert ended["text"] == f"自動応答に戻りました。\n{replies.SENT_TO_STAFF_TEXT}"
    assert "対応を終わりました" not in ended["text"] and "お返事しました" not in ended["text"]
    # Asked again when nothing is going on: the bot says it is listening.
    (again,) = say(stack, "AIに戻る")
    assert again["text"] == replies.ALREADY_WITH_BOT_TEXT


def test_taps_while_with_staff_are_answered_and_the_handover_goes_on(stack):
    tap(stack, postback.AskStaff(postback.Source.MENU))
    (listing,) = tap(stack, postback.ListCategories())  # 「質問一覧」 on the 職員対応中 menu
    assert listing["text"] == messages.CHOOSE_CATEGORY_TEXT
    (category,) = tap(stack, postback.ListCategory("ごみ", source=postback.Source.BUTTON))
    assert category["type"] == "flex"
    sent = tap(stack, postback.ShowFaq("3", postback.Source.CATEGORY))
    assert sent[0]["text"].startswith("■ 燃えるごみの収集日")
    # Still with staff: what the resident writes goes to staff, not to the search.
    (received,) = say(stack, "粗大ごみの出し方")
    assert received["text"].startswith(replies.RECEIVED_TEXT)
    assert log_records(stack, SEARCH) == []
    (handover,) = log_records(stack, HANDOVER)
    assert handover.detail["source"] == "menu"


def test_staff_are_offered_once_after_two_misses_with_one_label(stack):
    (first,) = say(stack, "火星の天気")
    (second,) = say(stack, "宇宙旅行の予約")
    (third,) = say(stack, "月面の土地の登記")
    assert [first["text"], second["text"], third["text"]] == [
        "ごめんなさい、見つかりませんでした。",
        replies.OFFER_TEXT,
        "ごめんなさい、見つかりませんでした。",
    ]
    offer = [a for a in quick(second) if isinstance(a, postback.AskStaff)]
    assert offer == [postback.AskStaff("offer")]
    labels = {
        item["action"]["label"]
        for message in (first, second, third)
        for item in message["quickReply"]["items"]
        if isinstance(postback.decode(item["action"]["data"]), postback.AskStaff)
    }
    assert labels == {"職員に相談"}


def test_after_choices_the_offer_is_one_text_below_them_with_the_only_staff_button(stack):
    say(stack, "火星の天気")
    choices, offer = say(stack, "大きいごみ")  # unsure: questions to choose from
    assert choices["type"] == "flex" and all(r.source == "choice" for r in rows_of(choices))
    assert "quickReply" not in choices  # LINE shows the last message's buttons only
    assert offer["text"] == replies.OFFER_TEXT
    assert [a for a in quick(offer) if isinstance(a, postback.AskStaff)] == [
        postback.AskStaff("offer")
    ]
    assert any(isinstance(a, postback.ListCategory) for a in quick(offer))


def staff_menu(stack) -> str:
    return stack.line.rich_menus.aliases[STAFF_ALIAS]


def linked(stack) -> str | None:
    """The menu linked to the test resident on LINE (None: they see the default)."""
    return stack.line.rich_menus.linked.get(ev.TEST_USER_ID)


def test_with_staff_the_resident_gets_the_staff_menu_and_going_back_gives_theirs_back(stack):
    assert linked(stack) is None
    tap(stack, postback.AskStaff(postback.Source.MENU))
    assert linked(stack) == staff_menu(stack)
    order = [r.path for r in stack.line.received]
    link = f"/v2/bot/user/{ev.TEST_USER_ID}/richmenu/{staff_menu(stack)}"
    assert order.index(REPLY) < order.index(link)  # the reply never waits for the menu
    # The staff menu's two buttons: 「質問一覧」 is answered, the hand-over goes on ...
    (listing,) = tap(stack, postback.ListCategories())
    assert listing["text"] == messages.CHOOSE_CATEGORY_TEXT
    assert linked(stack) == staff_menu(stack)
    # ... and 「AIに戻る」 ends it and takes the staff menu away.
    (ended,) = tap(stack, postback.BackToBot())
    assert ended["text"] == "自動応答に戻りました。"
    assert linked(stack) is None


def test_the_next_event_after_the_time_out_takes_the_staff_menu_away(stack):
    say(stack, "職員と話したい")
    assert linked(stack) == staff_menu(stack)
    stack.clock.advance(31 * 60)
    assert linked(stack) == staff_menu(stack)  # LINE keeps it until the resident comes back
    sent = tap(stack, postback.ShowFaq("5", postback.Source.MENU))
    assert sent[0]["text"] == replies.TIMED_OUT_TEXT
    assert sent[1]["text"].startswith("■ 児童手当の申請")
    assert linked(stack) is None


def test_a_menu_line_refuses_is_logged_and_the_reply_still_arrives(stack):
    stack.line.rich_menus.fail_on("POST", r"^/v2/bot/user/U[0-9a-f]+/richmenu/", 500)
    (reply,) = say(stack, "職員と話したい")
    assert reply["text"].startswith("職員におつなぎします。")
    assert linked(stack) is None
    failures = [line for line in stack.log_lines() if line["message"] == "rich menu switch failed"]
    assert len(failures) == 1 and ev.TEST_USER_ID not in json.dumps(failures)
    # The hand-over itself goes on; 「AIに戻る」 under the reply is the way back.
    (received,) = say(stack, "まだですか")
    assert received["text"].startswith(replies.RECEIVED_TEXT)


def test_a_publish_during_hand_overs_links_the_new_staff_menu(stack):
    tap(stack, postback.AskStaff())  # the webhook has looked up the staff menu
    first = staff_menu(stack)
    changed = [*MENU_ROWS, ["防災", "避難所", "テキスト", "避難所はどこ"]]
    publish(stack, settings_rows("毎日 0:00-24:00"), changed)
    assert staff_menu(stack) != first and first not in stack.line.rich_menus.menus
    other = "U" + "7" * 32
    deliver(stack, ev.postback_event(postback.encode(postback.AskStaff()), user_id=other))
    assert stack.line.rich_menus.linked[other] == staff_menu(stack)
