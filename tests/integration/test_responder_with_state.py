"""The responder with per-resident state: hand-over, feedback and the search log, with real
stores (SQLite files), the recording notifier and SDK events."""

from __future__ import annotations

from datetime import datetime

import pytest

from madoguchi.adapters.conversation_state import SqliteConversationState
from madoguchi.adapters.notifier import RecordingNotifier
from madoguchi.adapters.search_log import SqliteSearchLog
from madoguchi.clock import JST
from madoguchi.conversation import Responder
from madoguchi.conversation.turns import MenuSwitch
from madoguchi.handover import replies
from madoguchi.line import postback
from madoguchi.model import BotSettings, Faq, FaqWorkbook
from madoguchi.search import build_index
from madoguchi.searchlog import FAQ_VIEW, FEEDBACK, HANDOVER, HANDOVER_MESSAGE, SEARCH, user_ref
from tests.support import line_events as ev
from tests.support.clock import FixedClock
from tests.support.turns import parsed, reply_json

SETTINGS = BotSettings(
    handover_message="職員におつなぎします。",
    handover_after_hours_message="受付時間外です。次の受付({office_hours})に確認します。",
    handover_end_message="自動応答に戻りました。",
    no_answer_message="見つかりませんでした。",
    office_hours="月-金 8:30-17:15",
    closed_days=("2026-01-02",),
    handover_timeout_minutes=30,
)
FAQS = (
    Faq(
        "1",
        "粗大ごみの出し方",
        "前日までに申し込んでください。",
        category="ごみ",
        keywords=("粗大ごみ",),
    ),
    Faq("2", "粗大ごみの手数料", "200円からです。", category="ごみ", keywords=("粗大ごみ", "料金")),
    Faq("3", "住民票の写しの取り方", "市民課かコンビニで。", category="届出"),
    Faq("4", "児童手当の申請", "出生から15日以内に。", category="子育て"),
)
SALT = "test-salt"
TUESDAY_10 = datetime(2026, 1, 6, 10, 0, tzinfo=JST).timestamp()
SATURDAY_10 = datetime(2026, 1, 10, 10, 0, tzinfo=JST).timestamp()


@pytest.fixture
def responder(tmp_path):
    clock = FixedClock()
    clock.now = TUESDAY_10
    responder = Responder(
        state=SqliteConversationState(tmp_path / "state.sqlite3", clock=clock),
        salt=lambda: SALT,
        search_log=SqliteSearchLog(tmp_path / "state.sqlite3", clock=clock),
        notifier=RecordingNotifier(),
        clock=clock,
    )
    responder.test_clock = clock
    return responder


@pytest.fixture(scope="module")
def index():
    return build_index(FaqWorkbook(faqs=FAQS, settings=SETTINGS))


def say(responder, index, text):
    return responder.respond(parsed(ev.text_event(text)), index)


def tap(responder, index, action):
    return responder.respond(parsed(ev.postback_event(postback.encode(action))), index)


def quick_actions(message: dict) -> list:
    return [postback.decode(i["action"]["data"]) for i in message["quickReply"]["items"]]


def records(responder, kind=None):
    january = datetime(2026, 1, 1).date(), datetime(2026, 1, 31).date()
    found = list(responder.search_log.records(*january))
    return [r for r in found if kind is None or r.kind == kind]


ME = user_ref(ev.TEST_USER_ID, SALT)


def test_typed_request_starts_handover_notifies_staff_and_then_stays_silent(responder, index):
    say(responder, index, "粗大ごみの出し方")
    turn = say(responder, index, "職員と話したい")
    assert turn.kind == "staff" and turn.menu is MenuSwitch.STAFF
    (message,) = reply_json(turn)
    assert message["text"] == f"職員におつなぎします。\n{replies.HOW_TO_GO_BACK}"
    assert quick_actions(message) == [postback.BackToBot()]
    ((subject, body),) = responder.notifier.sent
    assert "受付時間内" in subject
    assert "粗大ごみの出し方" in body and "https://manager.line.biz/" in body
    assert ME in body and ev.TEST_USER_ID not in body and ev.TEST_USER_ID not in subject
    (handover,) = records(responder, HANDOVER)
    assert handover.detail == {"source": "typed", "in_hours": True}
    # With staff: nothing is searched; the first message is acknowledged once, then silence.
    first = say(responder, index, "住民票の写しの取り方")
    assert first.kind == "with_staff"
    assert reply_json(first)[0]["text"].startswith(replies.RECEIVED_TEXT)
    quiet = say(responder, index, "住民票をもう一通")
    assert quiet.kind == "with_staff" and quiet.reply is None
    assert [r.query for r in records(responder, SEARCH)] == ["粗大ごみの出し方"]
    assert len(records(responder, HANDOVER_MESSAGE)) == 2
    assert len(responder.notifier.sent) == 1


def test_back_to_bot_by_button_or_words(responder, index):
    tap(responder, index, postback.AskStaff())
    ended = tap(responder, index, postback.BackToBot())
    assert ended.kind == "handover_end" and reply_json(ended)[0]["text"] == "自動応答に戻りました。"
    assert say(responder, index, "住民票の写しの取り方").kind == "answer"
    say(responder, index, "オペレーター")
    ended = say(responder, index, "ＡＩに戻る")
    assert ended.kind == "handover_end"
    assert say(responder, index, "住民票の写しの取り方").kind == "answer"


def test_handover_ends_by_itself_after_the_timeout(responder, index):
    tap(responder, index, postback.AskStaff())
    responder.test_clock.now += 29 * 60
    assert say(responder, index, "まだですか").kind == "with_staff"  # each message extends the time
    responder.test_clock.now += 29 * 60
    assert say(responder, index, "もしもし").kind == "with_staff"
    responder.test_clock.now += 30 * 60
    turn = say(responder, index, "住民票の写しの取り方")
    assert turn.kind == "answer"
    texts = [m.get("text", "") for m in reply_json(turn)]
    assert texts[0] == f"{replies.TIMED_OUT_TEXT}\n{replies.SENT_TO_STAFF_TEXT}"
    assert texts[1].startswith("■ 住民票") and turn.menu is MenuSwitch.DEFAULT


def test_after_hours_says_when_staff_will_see_it(responder, index):
    responder.test_clock.now = SATURDAY_10
    turn = tap(responder, index, postback.AskStaff())
    (message,) = reply_json(turn)
    assert message["text"].startswith("受付時間外です。次の受付(1月12日（月）8:30)に確認します。")
    ((subject, body),) = responder.notifier.sent
    assert "受付時間外" in subject and "1月12日（月）8:30" in body
    (handover,) = records(responder, HANDOVER)
    assert handover.detail == {"source": "", "in_hours": False}


def test_closed_day_counts_as_after_hours(responder, index):
    responder.test_clock.now = datetime(2026, 1, 2, 10, 0, tzinfo=JST).timestamp()  # Friday, closed
    (message,) = reply_json(tap(responder, index, postback.AskStaff()))
    assert "1月5日（月）8:30" in message["text"]


def test_second_request_while_with_staff_does_not_notify_again(responder, index):
    tap(responder, index, postback.AskStaff())
    again = tap(responder, index, postback.AskStaff())
    assert again.kind == "staff" and "いま職員におつなぎしています" in reply_json(again)[0]["text"]
    assert len(responder.notifier.sent) == 1 and len(records(responder, HANDOVER)) == 1


def test_two_no_answers_in_a_row_offer_staff(responder, index):
    first = say(responder, index, "ロケットの打ち上げ見学")
    assert first.kind == "no_answer"
    assert reply_json(first)[-1]["text"] == "見つかりませんでした。"
    second = say(responder, index, "宇宙旅行の予約")
    last = reply_json(second)[-1]
    assert last["text"] == replies.OFFER_TEXT
    actions = quick_actions(last)
    assert actions[0] == postback.AskStaff("offer")
    assert sum(isinstance(a, postback.AskStaff) for a in actions) == 1
    taken = tap(responder, index, actions[0])
    assert taken.kind == "staff"
    assert records(responder, HANDOVER)[0].detail["source"] == "offer"


def test_an_answer_between_no_answers_restarts_the_count(responder, index):
    say(responder, index, "ロケットの打ち上げ見学")
    say(responder, index, "粗大ごみの出し方")
    turn = say(responder, index, "宇宙旅行の予約")
    assert reply_json(turn)[-1]["text"] != replies.OFFER_TEXT


def test_search_is_logged_with_scores_and_feedback_buttons_carry_the_search(responder, index):
    turn = say(responder, index, "粗大ごみの出し方")
    (search,) = records(responder, SEARCH)
    assert search.user_ref == ME and search.answered and search.top_id == "1"
    assert all(h.score > 0 for h in search.top)
    actions = quick_actions(reply_json(turn)[-1])
    assert actions == [
        postback.Feedback("1", True, search.id),
        postback.Feedback("1", False, search.id),
    ]
    thanks = tap(responder, index, actions[1])
    assert thanks.kind == "feedback"
    # The next step: categories, then 職員に相談 (counted as offered after the feedback).
    assert quick_actions(reply_json(thanks)[-1])[-1] == postback.AskStaff("feedback")
    (feedback,) = records(responder, FEEDBACK)
    assert (feedback.faq_id, feedback.helpful, feedback.search_id) == ("1", False, search.id)
    thanked = reply_json(tap(responder, index, actions[0]))[0]["text"]
    assert thanked.startswith("ありがとうございます")


def test_opening_a_candidate_is_logged_as_a_view_of_its_search(responder, index):
    say(responder, index, "粗大ごみの出し方と手数料")
    (search,) = records(responder, SEARCH)
    other = search.top[1].faq_id
    # A button sent before taps said where they were: the last search still tells.
    opened = tap(responder, index, postback.ShowFaq(other))
    assert opened.kind == "faq"
    (view,) = records(responder, FAQ_VIEW)
    assert (view.faq_id, view.search_id, view.detail) == (other, search.id, {"source": "candidate"})
    assert quick_actions(reply_json(opened)[-1])[0] == postback.Feedback(other, True, search.id)


def test_a_faq_from_the_menu_is_a_menu_view_not_one_of_the_search(responder, index):
    say(responder, index, "粗大ごみの出し方")
    (search,) = records(responder, SEARCH)
    on_both = search.top[0].faq_id  # on the menu, and the answer of that search too
    tap(responder, index, postback.ShowFaq(on_both, postback.Source.MENU))
    (view,) = records(responder, FAQ_VIEW)
    assert (view.search_id, view.detail) == ("", {"source": "menu"})


def test_failing_log_and_notifier_do_not_cost_the_resident_a_reply(tmp_path, index):
    class Broken:
        def __getattr__(self, name):
            def fail(*args, **kwargs):
                raise RuntimeError("down")

            return fail

    responder = Responder(
        state=SqliteConversationState(tmp_path / "s.sqlite3"),
        salt=lambda: SALT,
        search_log=Broken(),
        notifier=Broken(),
    )
    assert responder.respond(parsed(ev.text_event("粗大ごみの出し方")), index).kind == "answer"
    assert reply_json(responder.respond(parsed(ev.text_event("職員と話したい")), index))[0]["text"]


def test_the_hand_over_names_its_language_for_the_staff_menu(responder, index):
    # A Japanese request: no language, the Japanese 職員対応中 menu.
    started = say(responder, index, "職員と話したい")
    assert started.menu is MenuSwitch.STAFF and started.menu_language is None
    tap(responder, index, postback.BackToBot())
    # An English one, typed or tapped, and asked again while with staff: English throughout.
    typed = say(responder, index, "I want to talk to staff")
    assert (typed.menu, typed.menu_language) == (MenuSwitch.STAFF, "en")
    again = tap(responder, index, postback.AskStaff(postback.Source.MENU, "en"))
    assert (again.menu, again.menu_language) == (MenuSwitch.STAFF, "en")
    # What is written to staff changes no menu.
    held = say(responder, index, "My garbage was not collected")
    assert held.kind == "with_staff" and held.menu is None
