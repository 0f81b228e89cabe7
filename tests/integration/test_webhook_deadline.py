"""The whole webhook request ends within LINE's patience: replies of a batch go out in parallel,
each gets only the time the deadline leaves, events that cannot make it are skipped and counted,
and LINE's errors, slowness and unreadable answers are results, never exceptions."""

from __future__ import annotations

import time

import pytest

from madoguchi.webhook import MIN_REPLY_SECONDS, REQUEST_DEADLINE_SECONDS
from madoguchi.wiring import webhook_deps
from tests.integration.test_handler_metrics import emitted
from tests.support import line_events as ev
from tests.support.clock import FixedClock
from tests.support.webhook_stack import post, webhook_stack

REPLY = "/v2/bot/message/reply"


@pytest.fixture(scope="module")
def shared_stack():
    with pytest.MonkeyPatch.context() as monkeypatch, webhook_stack(monkeypatch) as stack:
        stack.app = stack.load_app()
        yield stack


@pytest.fixture
def stack(shared_stack):
    """The shared stack with fresh dependencies (a test's deadline stays its own)."""
    shared_stack.line.reset()  # a failed test may leave faults unused
    shared_stack.log.truncate(0)
    shared_stack.log.seek(0)
    shared_stack.app.DEPS = webhook_deps(
        shared_stack.app.CONFIG, clock=shared_stack.clock, stopwatch=shared_stack.stopwatch
    )
    return shared_stack


def on_the_real_stopwatch(stack, **deadline) -> None:
    """Let the webhook's deadline run in real time, as in Lambda."""
    stack.app.DEPS = webhook_deps(stack.app.CONFIG, clock=stack.clock, **deadline)


def batch(stack, *texts: str) -> list[dict]:
    """Text events from different residents, each with a usable reply token."""
    return [
        ev.text_event(text, reply_token=stack.line.issue_reply_token(), user_id=f"U{n:032d}")
        for n, text in enumerate(texts)
    ]


def summary(stack) -> dict:
    return [line for line in stack.log_lines() if line["message"] == "webhook handled"][-1]


def test_replies_of_a_batch_go_out_side_by_side_and_all_arrive(stack):
    # One after another, the third reply would start 1.2 s in and get only 0.3 s: too little
    # for LINE's 0.6 s here. Side by side, each has the whole deadline.
    on_the_real_stopwatch(stack)
    stack.line.delay_next(0.6, times=3)
    assert (
        post(stack.app, *batch(stack, "粗大ごみの出し方", "住民票", "児童手当"))["statusCode"]
        == 200
    )
    assert [r.status for r in stack.line.requests_to(REPLY)] == [200, 200, 200]
    assert summary(stack)["failures"] == 0


def test_a_reply_gets_no_more_time_than_the_deadline_leaves(stack):
    # The request's own work is stopped (the stopwatch stands still), so however busy the
    # machine, the reply starts with the whole 0.5 s left; the call to LINE runs in real time.
    stack.app.DEPS = webhook_deps(
        stack.app.CONFIG, clock=stack.clock, stopwatch=FixedClock(), deadline_seconds=0.5
    )
    stack.line.delay_next(1.0)  # LINE would answer after the deadline
    assert post(stack.app, *batch(stack, "粗大ごみの出し方"))["statusCode"] == 200
    (timeout,) = [
        line for line in stack.log_lines() if line["message"] == "LINE reply got no answer"
    ]
    assert timeout["line_error"] == "timeout"
    assert summary(stack)["failures"] == 1 and summary(stack)["skipped"] == 0
    # LINE still gets the request a moment later; wait for it, so no later test sees it.
    for _ in range(200):
        if stack.line.requests_to(REPLY):
            break
        time.sleep(0.01)
    assert [r.status for r in stack.line.requests_to(REPLY)] == [200]


def test_events_the_deadline_leaves_no_time_for_are_skipped_counted_and_left_unclaimed(
    stack, monkeypatch, capsys
):
    stopwatch = FixedClock()
    deps = webhook_deps(stack.app.CONFIG, clock=stack.clock, stopwatch=stopwatch)
    answer = deps.responder.respond

    def slow_respond(event, index, **options):  # each event's state and search take a second
        stopwatch.advance(1.0)
        return answer(event, index, **options)

    monkeypatch.setattr(deps.responder, "respond", slow_respond)
    stack.app.DEPS = deps
    events = batch(stack, "粗大ごみの出し方", "住民票", "児童手当")
    capsys.readouterr()
    assert post(stack.app, *events)["statusCode"] == 200
    # The first is answered (0.5 s left); the second is ready too late to send (0 s left); the
    # third is not even started.
    (sent,) = stack.line.requests_to(REPLY)
    assert sent.body["replyToken"] == events[0]["replyToken"]
    assert (summary(stack)["skipped"], summary(stack)["failures"]) == (2, 2)
    skipped = [line for line in stack.log_lines() if line["message"].startswith("event skipped")]
    assert [line["level"] for line in skipped] == ["WARNING", "WARNING"]
    metrics, _ = emitted(capsys)
    assert metrics["RepliesSkipped"] == 2 and metrics["ReplyFailures"] == 2
    # Not claimed: when LINE delivers the third event again, it is answered.
    stack.app.DEPS = webhook_deps(stack.app.CONFIG, clock=stack.clock, stopwatch=stack.stopwatch)
    stack.line.issue_reply_token(events[2]["replyToken"])
    assert post(stack.app, events[2])["statusCode"] == 200
    assert stack.line.requests_to(REPLY)[-1].body["replyToken"] == events[2]["replyToken"]
    assert stack.line.requests_to(REPLY)[-1].status == 200


def test_the_deadline_leaves_room_inside_lines_two_seconds():
    assert 0 < MIN_REPLY_SECONDS < REQUEST_DEADLINE_SECONDS <= 1.5


@pytest.mark.parametrize("body", [b"<html>Bad Gateway</html>", b'{"sentMessages": 1}', b""])
def test_an_answer_the_sdk_cannot_parse_does_not_escape_and_the_reply_counts(stack, body):
    stack.line.garble_next(body, times=2)
    assert post(stack.app, *batch(stack, "粗大ごみの出し方", "住民票"))["statusCode"] == 200
    assert [r.status for r in stack.line.requests_to(REPLY)] == [200, 200]  # LINE took both
    assert summary(stack)["failures"] == 0


def test_an_error_answer_that_is_not_even_utf8_is_a_counted_failure(stack):
    stack.line.garble_next(b"\xff\xfe broken", status=500)
    assert post(stack.app, *batch(stack, "粗大ごみの出し方"))["statusCode"] == 200
    (unreadable,) = [
        line for line in stack.log_lines() if line["message"] == "LINE reply answer unreadable"
    ]
    assert unreadable["line_status"] == 500
    assert summary(stack)["failures"] == 1


@pytest.mark.parametrize("status", [429, 500, 503])
def test_line_refusing_a_whole_batch_is_counted_not_raised(stack, status):
    stack.line.fail_next(status, times=3)
    assert (
        post(stack.app, *batch(stack, "粗大ごみの出し方", "住民票", "児童手当"))["statusCode"]
        == 200
    )
    assert [r.status for r in stack.line.requests_to(REPLY)] == [status] * 3
    assert summary(stack)["failures"] == 3
