"""A request of many events against a slow state table ends by its deadline: every call to the
table (claims, state, search log) starts only while it can still end in time, what could not be
written is counted, never retried; and calls to LINE's menu API get only the time left.

The table's slowness moves the webhook's own stopwatch (an injected clock), so the figures do not
depend on how busy the machine is; scripts/reliability.py measures the same on the real clock.
"""

from __future__ import annotations

import pytest

from madoguchi.adapters.aws import WEBHOOK_DYNAMODB_CALL_SECONDS
from madoguchi.adapters.line_api import RichMenuApiError
from madoguchi.adapters.line_user_menus import LineUserMenus
from madoguchi.request_time import RequestTime
from madoguchi.searchlog import SEARCH
from madoguchi.webhook import REQUEST_DEADLINE_SECONDS
from madoguchi.wiring import webhook_deps
from tests.integration.test_handler_metrics import emitted
from tests.support import line_events as ev
from tests.support.clock import FixedClock
from tests.support.conversation_stack import REPLY, handover_stack, log_records, settings_rows
from tests.support.webhook_stack import post

EVENTS = 50
STORE_SECONDS = 0.1  # each call to the table takes this long


@pytest.fixture
def stack():
    with handover_stack(settings_rows("毎日 0:00-24:00")) as stack:
        yield stack


class SlowTable:
    """Every DynamoDB request of the webhook's client takes STORE_SECONDS on the stopwatch."""

    def __init__(self, client, stopwatch: FixedClock) -> None:
        self.stopwatch = stopwatch
        self.started: list[float] = []
        client.meta.events.register("before-send.dynamodb", self._slow)

    def _slow(self, **_) -> None:
        self.started.append(self.stopwatch())
        self.stopwatch.advance(STORE_SECONDS)


def summary(stack) -> dict:
    return [line for line in stack.log_lines() if line["message"] == "webhook handled"][-1]


def test_fifty_events_against_a_slow_table_end_by_the_deadline_and_count_what_was_not_written(
    stack, capsys
):
    stopwatch = FixedClock()
    stack.app.DEPS = webhook_deps(stack.app.CONFIG, clock=stack.clock, stopwatch=stopwatch)
    stack.app.DEPS.index.current()
    table = SlowTable(stack.app.DEPS.claims.client, stopwatch)
    events = [
        ev.text_event("粗大ごみの出し方", reply_token=stack.line.issue_reply_token(), user_id=user)
        for user in (f"U{n:032x}" for n in range(EVENTS))
    ]
    capsys.readouterr()
    deadline = stopwatch() + REQUEST_DEADLINE_SECONDS
    assert post(stack.app, *events)["statusCode"] == 200

    # No call to the table started that could not end by the deadline, so the request did.
    assert table.started, "the table was used"
    assert all(deadline - at >= WEBHOOK_DYNAMODB_CALL_SECONDS - 1e-9 for at in table.started)
    assert stopwatch() <= deadline
    # Every resident is answered (statelessly once the table had no time left) ...
    replies = stack.line.requests_to(REPLY)
    assert sorted(r.body["replyToken"] for r in replies) == sorted(e["replyToken"] for e in events)
    assert all(r.status == 200 for r in replies)
    # ... and what could not be written is counted, in the log line and the metric.
    handled = summary(stack)
    assert handled["failures"] == 0 and handled["skipped"] == 0
    skipped = handled["calls_skipped"]
    # Each event has a claim, a state read, a search record and a state write to make.
    calls = len(table.started)
    assert calls + skipped == 4 * EVENTS
    metrics, _ = emitted(capsys)
    assert metrics["CallsSkipped"] == skipped
    written = len(log_records(stack, SEARCH))
    assert written < EVENTS  # the rest were counted, not retried after the request


def test_a_request_with_time_to_spare_makes_every_call(stack, capsys):
    stopwatch = FixedClock()
    stack.app.DEPS = webhook_deps(stack.app.CONFIG, clock=stack.clock, stopwatch=stopwatch)
    table = SlowTable(stack.app.DEPS.claims.client, stopwatch)
    events = [
        ev.text_event("粗大ごみの出し方", reply_token=stack.line.issue_reply_token(), user_id=user)
        for user in ("U" + "1" * 32, "U" + "2" * 32)
    ]
    assert post(stack.app, *events)["statusCode"] == 200
    assert len(table.started) == 8 and summary(stack)["calls_skipped"] == 0
    assert len(log_records(stack, SEARCH)) == 2


class RecordingClient:
    """Stands in for the SDK's ApiClient: records the timeout each call is given."""

    def __init__(self) -> None:
        self.timeouts: list[tuple[float, float]] = []

    def call_api(self, *args, _request_timeout, **kwargs) -> None:
        self.timeouts.append(_request_timeout)


@pytest.mark.parametrize("left", [1.2, 0.6, 0.3])
def test_a_menu_call_gets_no_more_time_than_the_request_has_left(left):
    client = RecordingClient()
    api = LineUserMenus("token", api_client=client)
    api.request_time = time = RequestTime()
    with time.running(lambda: left):
        api.link_user("U1", "richmenu-1")
    ((connect, read),) = client.timeouts
    assert connect + read <= left + 1e-9
    assert time.turned_away == 0


def test_a_menu_call_with_no_time_left_is_not_made_and_is_counted():
    client = RecordingClient()
    api = LineUserMenus("token", api_client=client)
    api.request_time = time = RequestTime()
    with time.running(lambda: 0.05), pytest.raises(RichMenuApiError):
        api.link_user("U1", "richmenu-1")
    assert client.timeouts == [] and time.turned_away == 1
    # Outside a request the adapter's own timeout applies.
    api.link_user("U1", "richmenu-1")
    assert client.timeouts and time.turned_away == 1
