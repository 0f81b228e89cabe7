"""A store the webhook can answer without: failures become fallbacks, logged and counted, and
the store rests for a pause after each."""

from __future__ import annotations

import logging

import pytest

from madoguchi.adapters.conversation_state import UserState
from madoguchi.conversation.best_effort_state import BestEffortState
from madoguchi.store_guard import PAUSE_SECONDS, StoreGuard
from tests.support.clock import FixedClock


class Flaky:
    """A conversation state that fails while `down`, counting the calls it gets."""

    def __init__(self) -> None:
        self.down = True
        self.calls = 0

    def _answer(self, value):
        self.calls += 1
        if self.down:
            raise TimeoutError("the table did not answer")
        return value

    def load(self, user):
        return self._answer(UserState(mode_until=99))

    def get_mode(self, user):
        return self._answer(UserState(mode_until=99))

    def set_mode(self, user, since, until):
        return self._answer(None)

    def clear_mode(self, user):
        return self._answer(None)

    def note_search(self, user, search_id, faq_ids, answered):
        return self._answer(3)


@pytest.fixture
def clock():
    return FixedClock()


def test_a_failing_store_gives_the_fallbacks_and_counts(clock, caplog):
    store = Flaky()
    state = BestEffortState(store, StoreGuard("conversation state", clock))
    with caplog.at_level(logging.ERROR):
        assert state.load("u") == UserState()
    (record,) = caplog.records
    assert record.getMessage() == "conversation state unavailable; answering without it"
    assert (record.call, record.error) == ("load", "TimeoutError")
    assert "the table did not answer" not in caplog.text  # messages may quote residents
    # While paused, nothing reaches the store, and every call still gives its fallback.
    assert state.get_mode("u") is None
    assert state.note_search("u", "s", ("1",), False) == 0
    assert state.set_mode("u", 1, 2) is False  # the hand-over was not kept
    assert state.clear_mode("u") is False  # still with staff, and the caller knows
    assert store.calls == 1
    assert state.guard.failures == 5


def test_the_store_is_asked_again_after_the_pause(clock):
    store = Flaky()
    guard = StoreGuard("conversation state", clock)
    state = BestEffortState(store, guard)
    state.load("u")
    store.down = False
    clock.advance(PAUSE_SECONDS - 0.1)
    assert state.load("u") == UserState() and store.calls == 1
    clock.advance(0.1)
    assert state.load("u") == UserState(mode_until=99) and store.calls == 2
    assert state.note_search("u", "s", ("1",), False) == 3
    assert state.set_mode("u", 1, 2) is True
    assert guard.failures == 2 and not guard.paused


def test_a_healthy_store_is_never_counted(clock):
    store = Flaky()
    store.down = False
    guard = StoreGuard("conversation state", clock)
    assert guard.call("load", lambda: store.load("u"), UserState()) == UserState(mode_until=99)
    assert guard.failures == 0 and not guard.paused
