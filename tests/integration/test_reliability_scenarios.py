"""The webhook scenarios of the README's Reliability table, with the counts checked; the times
in the table come from `scripts/reliability.py`, which runs the same scenarios."""

from __future__ import annotations

import pytest

from tests.support import webhook_scenarios as scenarios
from tests.support.webhook_stack import webhook_stack


@pytest.fixture
def stack():
    with pytest.MonkeyPatch.context() as monkeypatch, webhook_stack(monkeypatch) as stack:
        stack.app = stack.load_app()
        yield stack


def test_forged_and_malformed_requests_are_all_refused_before_any_work(stack):
    refusals = scenarios.send_hostile(stack)
    assert refusals.tried >= 20
    assert refusals.crashes == []
    assert refusals.refused == refusals.tried
    assert refusals.processed == 0


def test_redelivered_events_are_answered_once(stack):
    outcome = scenarios.redeliver(stack, residents=5)
    assert outcome.deliveries == 17
    assert outcome.replies == outcome.events == 5


@pytest.mark.parametrize(
    "trouble", scenarios.line_troubles(slow_seconds=0.6, hung_seconds=2.0), ids=lambda t: t.name
)
def test_line_in_trouble_loses_only_what_line_refuses_and_never_crashes(stack, trouble):
    outcome = scenarios.batch_with_trouble(stack, trouble, events=3)
    assert not outcome.crashed
    if any(word in trouble.name for word in ("429", "500", "503", "drops")):
        assert (outcome.answered, outcome.failures) == (0, 3)  # refused, and counted
    elif "hung" in trouble.name:
        assert outcome.failures == 3  # not acknowledged in time (LINE may show them late)
    else:
        assert (outcome.answered, outcome.failures) == (3, 0)


@pytest.mark.parametrize("kind", ["missing", "throttled"])
def test_residents_are_answered_while_the_state_table_is_down(stack, kind):
    outage = scenarios.state_outage(stack, kind, residents=4)
    assert outage.answered == outage.residents
    assert outage.state_failures >= outage.residents  # each logged and counted
    if kind == "throttled":
        assert outage.dynamodb_requests == 1  # one call (no retry in the webhook); then the pause
