"""Ending a hand-over through the Lambda handler (moto DynamoDB, the loopback LINE API): a store
that refuses the end is retried and never makes the bot claim what it did not do; "I'm done"
ends it; and a resident writing on while staff are silent is answered with the way back."""

from __future__ import annotations

import pytest

from madoguchi.conversation.handover import STAFF_QUIET_MINUTES
from madoguchi.handover import replies
from madoguchi.line import postback
from madoguchi.store_guard import PAUSE_SECONDS
from tests.integration.test_webhook_handover import linked, staff_menu
from tests.support.conversation_stack import handover_stack, quick, say, settings_rows, tap
from tests.support.dynamo_faults import DynamoFailure
from tests.support.webhook_stack import TABLE

ENDED = "自動応答に戻りました。"  # 設定's wording in these tests
# clear_mode's own update; "mode_until" alone is every write that moves the hand-over.
CLEAR = "mode_until = :zero"


@pytest.fixture
def stack():
    with handover_stack(settings_rows("毎日 0:00-24:00")) as stack:
        yield stack


def refuse(stack, expression: str) -> DynamoFailure:
    return DynamoFailure(table=TABLE, expression=expression).attach(
        stack.app.DEPS.responder.state.store.client
    )


def answered(sent: list[dict]) -> bool:
    return bool(sent) and sent[0]["text"].startswith("■ 住民票")


# --- a refused end ---------------------------------------------------------------------------
def test_a_refused_clear_is_retried_and_the_next_question_is_answered(stack):
    tap(stack, postback.AskStaff())
    say(stack, "住民票のことで相談です")  # acknowledged; the hand-over has a message now
    refused = refuse(stack, CLEAR)
    (ended,) = say(stack, "AIに戻る")
    assert refused.requests >= 1  # the store did refuse the clear
    assert ended["text"].startswith(ENDED)
    assert linked(stack) is None
    # What the reply said is true: the bot answers, without a "timed out" notice (also once
    # the store is asked again after its pause).
    stack.clock.advance(PAUSE_SECONDS)
    sent = say(stack, "住民票の写しの取り方")
    assert answered(sent) and replies.TIMED_OUT_TEXT not in [m.get("text") for m in sent]
    assert answered(say(stack, "住民票の写しの取り方"))


def test_when_no_end_is_kept_the_resident_is_told_and_still_answered(stack):
    tap(stack, postback.AskStaff())
    refused = refuse(stack, "mode_until")
    (reply,) = say(stack, "AIに戻る")
    assert reply["text"] == replies.NOT_SWITCHED_TEXT
    assert ENDED not in reply["text"]
    assert quick(reply) == [postback.BackToBot()]  # the retry is one tap away
    assert linked(stack) == staff_menu(stack)  # still with staff, and the menu says so
    # Never silence: every message while the store refuses gets a reply.
    for text in ("住民票の写しの取り方", "まだですか", "よろしく"):
        assert say(stack, text), text
        stack.clock.advance(PAUSE_SECONDS)  # the store is asked again every time
    # Once the store takes writes again, the way back works.
    refused.active = False
    stack.clock.advance(PAUSE_SECONDS)
    (ended,) = tap(stack, postback.BackToBot())
    assert ended["text"].startswith(ENDED)
    assert answered(say(stack, "住民票の写しの取り方"))
    assert linked(stack) is None


# --- "I'm done" ------------------------------------------------------------------------------
@pytest.mark.parametrize(
    "words",
    [
        "もういいです",
        "解決しました",
        "戻ってください",
        "やっぱりいいです",
        "ありがとう、もう大丈夫です",
    ],
)
def test_saying_done_ends_the_hand_over(stack, words):
    tap(stack, postback.AskStaff())
    say(stack, "住民票のことで相談です")
    (ended,) = say(stack, words)
    assert ended["text"] == f"{ENDED}\n{replies.SENT_TO_STAFF_TEXT}"
    assert linked(stack) is None
    assert answered(say(stack, "住民票の写しの取り方"))


@pytest.mark.parametrize("words", ["もういいですか？", "まだ解決していません", "大丈夫です"])
def test_look_alikes_stay_with_staff(stack, words):
    tap(stack, postback.AskStaff())
    say(stack, "住民票のことで相談です")
    assert say(stack, words) == []  # to staff, who may be answering: no bot line in between
    assert linked(stack) == staff_menu(stack)


# --- staff silent for a while ----------------------------------------------------------------
def test_after_the_quiet_minutes_every_further_message_gets_the_way_back(stack):
    tap(stack, postback.AskStaff())
    (received,) = say(stack, "住民票のことで相談です")
    assert received["text"].startswith(replies.RECEIVED_TEXT)
    # Staff may be answering in their chat screen: the bot keeps out of the way ...
    stack.clock.advance(STAFF_QUIET_MINUTES * 60 - 1)
    assert say(stack, "補足です") == []
    # ... and once they have had the time, each message is answered in one short line.
    stack.clock.advance(1)
    for text in ("まだですか", "返事がありません"):
        (waiting,) = say(stack, text)
        assert waiting["text"] == f"{replies.WAITING_TEXT}\n{replies.HOW_TO_GO_BACK}"
        assert quick(waiting) == [postback.BackToBot()]
    assert linked(stack) == staff_menu(stack)  # still with staff
