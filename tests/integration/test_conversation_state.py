"""Per-resident conversation state on DynamoDB (moto) and SQLite."""

from __future__ import annotations

import boto3
import pytest
from moto import mock_aws

from madoguchi.adapters.conversation_state import (
    HANDOVER_KEEP_SECONDS,
    KEEP_SECONDS,
    DynamoConversationState,
    SqliteConversationState,
    UserState,
)
from tests.support.dynamo_tables import create_state_table


class Clock:
    def __init__(self, now: float = 1_800_000_000.0) -> None:
        self.now = now

    def __call__(self) -> float:
        return self.now


@pytest.fixture(params=["dynamodb", "sqlite"])
def store(request, tmp_path):
    clock = Clock()
    if request.param == "sqlite":
        state = SqliteConversationState(tmp_path / "state.sqlite3", clock=clock)
        yield state, clock
        state.close()
        return
    with mock_aws():
        client = boto3.client("dynamodb", region_name="ap-northeast-1")
        create_state_table(client, "state")
        yield DynamoConversationState("state", client=client, clock=clock), clock


def test_nothing_stored_reads_as_empty(store):
    state, _ = store
    assert state.load("u1") == UserState()
    assert state.get_mode("u1") is None


def test_mode_lasts_until_its_end_then_reads_as_over(store):
    state, clock = store
    now = int(clock.now)
    state.set_mode("u1", now, now + 3600)
    assert state.get_mode("u1").mode_since == now
    assert state.get_mode("u2") is None
    clock.now += 3599
    assert state.get_mode("u1") is not None
    clock.now += 1
    assert state.get_mode("u1") is None


def test_messages_to_staff_are_counted_from_the_start_of_each_handover(store):
    state, clock = store
    now = int(clock.now)
    state.set_mode("u1", now, now + 600)
    assert state.note_staff_message("u1", now + 1200) == 1
    assert state.note_staff_message("u1", now + 1800) == 2
    loaded = state.load("u1")
    assert (loaded.staff_messages, loaded.mode_until, loaded.mode_since) == (2, now + 1800, now)
    state.extend_mode("u1", now + 2400)
    assert state.load("u1").staff_messages == 2 and state.load("u1").mode_until == now + 2400
    state.clear_mode("u1")
    assert state.load("u1").staff_messages == 0
    state.set_mode("u1", now + 10, now + 610)
    assert state.note_staff_message("u1", now + 700) == 1


def test_a_handover_outlives_its_end_so_the_next_event_finds_it(store):
    state, clock = store
    now = int(clock.now)
    state.set_mode("u1", now, now + 600)
    clock.now += KEEP_SECONDS * 30  # a month later, the resident writes again
    loaded = state.load("u1")
    assert loaded.mode_until == now + 600 and not loaded.with_staff(clock.now)


def test_clear_mode_ends_the_handover(store):
    state, clock = store
    now = int(clock.now)
    state.set_mode("u1", now, now + 3600)
    state.clear_mode("u1")
    assert state.get_mode("u1") is None


def test_no_answer_streak_counts_and_an_answer_resets_it(store):
    state, _ = store
    assert state.note_search("u1", "s1", (), answered=False) == 1
    assert state.note_search("u1", "s2", (), answered=False) == 2
    assert state.note_search("u1", "s3", ("F1", "F2"), answered=True) == 0
    loaded = state.load("u1")
    assert loaded.last_search_id == "s3" and loaded.last_faq_ids == ("F1", "F2")
    assert state.note_search("u1", "s4", (), answered=False) == 1
    assert state.load("u1").last_search_id == "s3"  # a no-answer keeps the last candidates


def test_clear_mode_restarts_the_streak(store):
    state, _ = store
    state.note_search("u1", "s1", (), answered=False)
    state.clear_mode("u1")
    assert state.note_search("u1", "s2", (), answered=False) == 1


def test_expired_item_does_not_carry_an_old_streak(store):
    state, clock = store
    state.note_search("u1", "s1", (), answered=False)
    state.note_search("u1", "s2", (), answered=False)
    clock.now += KEEP_SECONDS + 1  # TTL passed; DynamoDB may not have deleted the item yet
    assert state.load("u1") == UserState()
    assert state.note_search("u1", "s3", (), answered=False) == 1


def test_dynamodb_item_has_a_ttl_beyond_the_handover():
    with mock_aws():
        client = boto3.client("dynamodb", region_name="ap-northeast-1")
        create_state_table(client, "state")
        clock = Clock()
        state = DynamoConversationState("state", client=client, clock=clock)
        now = int(clock.now)
        state.set_mode("abc", now, now + 7 * 24 * 3600)
        item = client.get_item(
            TableName="state", Key={"pk": {"S": "user#abc"}, "sk": {"S": "conversation"}}
        )["Item"]
        # Kept past the hand-over's end, so the next event still finds it and unlinks the menu.
        assert int(item["expires_at"]["N"]) == now + 7 * 24 * 3600 + HANDOVER_KEEP_SECONDS


def test_an_older_sqlite_file_gets_the_new_column(tmp_path):
    import sqlite3

    path = tmp_path / "old.sqlite3"
    db = sqlite3.connect(path)
    db.execute(
        "CREATE TABLE conversation (user_ref TEXT PRIMARY KEY, mode_since INTEGER NOT NULL"
        " DEFAULT 0, mode_until INTEGER NOT NULL DEFAULT 0, last_search_id TEXT NOT NULL"
        " DEFAULT '', last_faq_ids TEXT NOT NULL DEFAULT '[]', no_answer_streak INTEGER NOT NULL"
        " DEFAULT 0, expires_at INTEGER NOT NULL)"
    )
    db.execute("INSERT INTO conversation VALUES ('u1', 5, 9, 's1', '[\"F1\"]', 1, 4000000000)")
    db.commit()
    db.close()
    state = SqliteConversationState(path, clock=Clock())
    assert state.load("u1") == UserState(5, 9, "s1", ("F1",), 1, 0)
    state.set_mode("u1", 10, 20)
    assert state.note_staff_message("u1", 30) == 1
    state.close()


def test_choices_offered_without_an_answer_are_remembered_for_the_tap(store):
    state, _ = store
    state.note_search("u1", "s1", ("F1", "F2"), answered=True)
    assert state.note_search("u1", "s2", ("F3", "F4"), answered=False) == 1
    loaded = state.load("u1")
    assert (loaded.last_search_id, loaded.last_faq_ids) == ("s2", ("F3", "F4"))
    state.note_search("u9", "s9", ("F5",), answered=False)  # the first search of a resident
    assert state.load("u9").last_faq_ids == ("F5",)


def test_staff_are_mailed_about_a_resident_in_danger_at_most_once_an_hour(store):
    state, clock = store
    assert state.claim_crisis_alert("u1", 3600) is True
    assert state.claim_crisis_alert("u1", 3600) is False  # a second message a moment later
    assert state.claim_crisis_alert("u2", 3600) is True  # another resident: their own hour
    clock.now += 3599
    assert state.claim_crisis_alert("u1", 3600) is False
    clock.now += 1
    assert state.claim_crisis_alert("u1", 3600) is True
    assert state.load("u1").crisis_alerted_at == int(clock.now)


def test_the_crisis_alert_keeps_the_handover_and_its_longer_life(store):
    state, clock = store
    now = int(clock.now)
    state.set_mode("u1", now, now + 3600)
    assert state.claim_crisis_alert("u1", 3600)
    kept = state.load("u1")
    assert kept.mode_until == now + 3600 and kept.crisis_alerted_at == now
    clock.now += KEEP_SECONDS + 3600  # past a day: the hand-over's item outlives it
    assert state.load("u1").mode_until == now + 3600


def test_the_linked_menus_language_is_kept_beside_the_rest(store):
    state, clock = store
    state.set_language("u1", "vi")
    state.set_menu_language("u1", "vi")
    assert state.load("u1").menu_language == "vi" and state.load("u1").language == "vi"
    state.note_search("u1", "s1", ("1",), True)
    assert state.load("u1").menu_language == "vi"
    # A translated menu stays linked on LINE: the record of it outlives a day without talk.
    clock.now += KEEP_SECONDS + 60
    if isinstance(state, SqliteConversationState):
        assert state.load("u1").menu_language == "vi"
    state.set_menu_language("u1", "ja")
    assert state.load("u1").menu_language == "ja"
    assert state.load("u2").menu_language == ""
