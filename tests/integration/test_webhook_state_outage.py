"""The conversation-state table throttles or is gone: residents are still answered (search needs
no state), hand-over and feedback go on as far as they can, and every failure is logged and
counted, not silent."""

from __future__ import annotations

import json

import pytest

from madoguchi.handover import replies
from madoguchi.line import postback
from madoguchi.searchlog import FEEDBACK, HANDOVER, SEARCH
from madoguchi.store_guard import PAUSE_SECONDS
from tests.integration.test_handler_metrics import emitted
from tests.integration.test_webhook_handover import (
    handover_stack,
    linked,
    log_records,
    mails,
    quick,
    say,
    settings_rows,
    tap,
)
from tests.support import line_events as ev
from tests.support.dynamo_faults import DynamoFailure
from tests.support.webhook_stack import TABLE, post


@pytest.fixture
def stack():
    with handover_stack(settings_rows("毎日 0:00-24:00")) as stack:
        yield stack


def state_clients(stack) -> tuple:
    """The boto3 clients of the event claims and of the conversation state (one table)."""
    return stack.app.DEPS.claims.client, stack.app.DEPS.responder.state.store.client


def outage_lines(stack) -> list[dict]:
    return [
        line
        for line in stack.log_lines()
        if line["message"] == "conversation state unavailable; answering without it"
    ]


def test_a_missing_state_table_still_answers_questions_and_says_so(stack, capsys):
    stack.dynamodb.delete_table(TableName=TABLE)
    capsys.readouterr()
    answer = say(stack, "粗大ごみの出し方")
    assert answer[0]["text"].startswith("■ 粗大ごみの出し方")
    # The search is still logged for the staff report, and feedback is still offered.
    assert [r.query for r in log_records(stack, SEARCH)] == ["粗大ごみの出し方"]
    assert postback.Feedback in {type(a) for a in quick(answer[-1])}
    metrics, _ = emitted(capsys)
    assert metrics["StateFailures"] >= 1 and metrics["ReplyFailures"] == 0
    (logged, *_) = outage_lines(stack)
    assert logged["level"] == "ERROR" and logged["error"] == "ResourceNotFoundException"
    assert logged["call"] == "claim"  # the claim comes first; the rest waits out the pause
    assert ev.TEST_USER_ID not in stack.log.getvalue()


def test_handover_and_feedback_go_on_without_the_state(stack):
    stack.dynamodb.delete_table(TableName=TABLE)
    (reply,) = say(stack, "職員と話したい")
    assert reply["text"].startswith("職員におつなぎします。")
    (mail,) = mails(stack)  # staff are told, with the resident's recent questions
    assert "受付時間内" in mail["Subject"]
    assert [r.detail["source"] for r in log_records(stack, HANDOVER)] == ["typed"]
    # The hand-over could not be remembered, so the next question is answered, not held, and
    # the 職員対応中 menu, which would say otherwise, is not linked.
    assert linked(stack) is None
    assert say(stack, "住民票の写しの取り方")[0]["text"].startswith("■ 住民票")
    (thanks,) = tap(stack, postback.Feedback("6", True, ""))
    assert thanks["type"] == "text"
    assert [r.helpful for r in log_records(stack, FEEDBACK)] == [True]


def test_a_throttled_table_costs_one_call_then_rests_for_the_pause(stack, capsys):
    throttled = DynamoFailure(table=TABLE).attach(*state_clients(stack))
    capsys.readouterr()
    events = [ev.text_event("粗大ごみの出し方"), ev.text_event("住民票の写しの取り方")]
    for event in events:
        event["replyToken"] = stack.line.issue_reply_token()
    assert post(stack.app, *events)["statusCode"] == 200
    assert len(stack.line.delivered()) == 2  # both residents answered
    # One call, tried once (a retry's back-off would not fit LINE's 2 s), then the table is left
    # alone.
    assert throttled.requests == 1
    metrics, _ = emitted(capsys)
    assert metrics["ReplyFailures"] == 0 and metrics["StateFailures"] >= 2
    (logged,) = outage_lines(stack)
    assert logged["error"] == "ProvisionedThroughputExceededException"
    assert logged["pause_seconds"] == PAUSE_SECONDS

    # After the pause the table is asked again; once it has recovered, state works again.
    throttled.active = False
    stack.clock.advance(PAUSE_SECONDS)
    say(stack, "職員と話したい")
    # With staff: the first message written gets one acknowledgement, then the bot stays quiet.
    (received,) = say(stack, "住民票の写しの取り方")
    assert received["text"].startswith(replies.RECEIVED_TEXT)
    assert say(stack, "住民票の写しはどこで") == []


def test_the_redelivery_of_an_event_answered_in_an_outage_is_answered_again(stack):
    # Without the claims a redelivery cannot be recognised: answering twice is the lesser harm.
    stack.dynamodb.delete_table(TableName=TABLE)
    event = ev.text_event("粗大ごみの出し方", reply_token=stack.line.issue_reply_token())
    assert post(stack.app, event)["statusCode"] == 200
    stack.line.issue_reply_token(event["replyToken"])
    again = dict(event, deliveryContext={"isRedelivery": True})
    assert post(stack.app, again)["statusCode"] == 200
    assert len(stack.line.delivered()) == 2
    summary = [line for line in stack.log_lines() if line["message"] == "webhook handled"]
    assert [s["state_failures"] > 0 for s in summary] == [True, True]
    assert json.dumps(summary, ensure_ascii=False).count("粗大ごみ") == 0
