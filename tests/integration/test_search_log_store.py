"""The search log on DynamoDB (moto) and SQLite: the same behaviour through one Protocol."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import boto3
import pytest
from moto import mock_aws

from madoguchi.adapters.search_log import DynamoSearchLog, SqliteSearchLog
from madoguchi.searchlog import (
    CATEGORY_VIEW,
    FAQ_VIEW,
    FEEDBACK,
    HANDOVER,
    SEARCH,
    TopHit,
    new_event,
    new_search,
)
from madoguchi.searchlog.model import with_opened
from tests.support.clock import FixedClock
from tests.support.dynamo_tables import create_log_table

CLOCK = FixedClock()


@pytest.fixture(params=["dynamodb", "sqlite"])
def log(request, tmp_path):
    if request.param == "sqlite":
        store = SqliteSearchLog(tmp_path / "log.sqlite3", clock=CLOCK)
        yield store
        store.close()
        return
    with mock_aws():
        client = boto3.client("dynamodb", region_name="ap-northeast-1")
        create_log_table(client, "log")
        yield DynamoSearchLog("log", client=client, clock=CLOCK)


def now_utc() -> datetime:
    return CLOCK.utc().replace(microsecond=123000)


def search(at: datetime, user: str, query: str, answered=True, retention=90):
    top = [TopHit("F001", 12.3456789), TopHit("F002", 3.5)] if answered else [TopHit("F009", 0.4)]
    return new_search(
        now=at, user=user, query=query, top=top, answered=answered, retention_days=retention
    )


def test_records_round_trip_with_every_field(log):
    at = now_utc()
    first = search(at, "u1", "粗大ごみの出し方")
    log.put(first)
    feedback = new_event(
        FEEDBACK,
        now=at,
        user="u1",
        retention_days=90,
        faq_id="F001",
        helpful=False,
        search_id=first.id,
    )
    log.put(feedback)
    handover = new_event(
        HANDOVER, now=at, user="u1", retention_days=90, detail={"source": "typed", "in_hours": True}
    )
    log.put(handover)
    today = (at + timedelta(hours=9)).date()
    got = {r.id: r for r in log.records(today, today)}
    assert got[first.id].kind == SEARCH
    assert got[first.id].query == "粗大ごみの出し方"
    assert got[first.id].top == (TopHit("F001", 12.3457), TopHit("F002", 3.5))
    assert got[first.id].answered is True
    assert got[first.id].at == first.at
    assert got[feedback.id].helpful is False and got[feedback.id].search_id == first.id
    assert got[handover.id].detail == {"source": "typed", "in_hours": True}


def test_views_keep_their_source_and_search_and_older_opened_lists_still_read(log):
    at = now_utc()
    first = search(at, "u1", "住民票")
    log.put(with_opened(first, "F002"))  # how candidates were counted before views were logged
    view = new_event(
        FAQ_VIEW,
        now=at,
        user="u1",
        retention_days=90,
        faq_id="F003",
        search_id=first.id,
        detail={"source": "candidate"},
    )
    listed = new_event(
        CATEGORY_VIEW,
        now=at,
        user="u1",
        retention_days=90,
        detail={"category": "ごみ", "source": "menu"},
    )
    log.put(view)
    log.put(listed)
    today = (at + timedelta(hours=9)).date()
    got = {r.id: r for r in log.records(today, today)}
    assert got[first.id].opened == ("F002",)
    assert (got[view.id].kind, got[view.id].faq_id, got[view.id].search_id) == (
        FAQ_VIEW,
        "F003",
        first.id,
    )
    assert got[view.id].detail == {"source": "candidate"}
    assert got[listed.id].detail == {"category": "ごみ", "source": "menu"}


def test_range_is_read_in_japan_days(log):
    # 2026-03-01 14:59 UTC is 23:59 on 1 March in Japan; 15:00 UTC is already 2 March.
    late = datetime(2026, 3, 1, 14, 59, tzinfo=UTC)
    next_day = datetime(2026, 3, 1, 15, 0, tzinfo=UTC)
    before = datetime(2026, 2, 28, 14, 59, tzinfo=UTC)  # 28 February in Japan
    for at, query in [(late, "a"), (next_day, "b"), (before, "c")]:
        log.put(search(at, "u1", query, retention=100000))
    assert [r.query for r in log.records(date(2026, 3, 1), date(2026, 3, 1))] == ["a"]
    assert [r.query for r in log.records(date(2026, 3, 2), date(2026, 3, 2))] == ["b"]
    assert [r.query for r in log.records(date(2026, 2, 28), date(2026, 3, 2))] == ["c", "a", "b"]


def test_expired_records_are_not_returned(log):
    old = CLOCK.utc() - timedelta(days=10)
    log.put(search(old, "u1", "古い質問", retention=5))
    log.put(search(old, "u1", "残る質問", retention=30))
    day = (old + timedelta(hours=9)).date()
    assert [r.query for r in log.records(day, day)] == ["残る質問"]


def test_recent_queries_are_the_last_five_searches_of_that_user(log):
    start = now_utc() - timedelta(minutes=10)
    for i in range(7):
        log.put(search(start + timedelta(seconds=i), "u1", f"質問{i}"))
    log.put(search(start + timedelta(seconds=30), "u2", "別の人"))
    log.put(new_event(HANDOVER, now=start + timedelta(seconds=40), user="u1", retention_days=90))
    assert log.recent_queries("u1") == ["質問2", "質問3", "質問4", "質問5", "質問6"]
    assert log.recent_queries("u1", limit=2) == ["質問5", "質問6"]
    assert log.recent_queries("nobody") == []


def test_many_records_page_through_dynamodb_queries():
    with mock_aws():
        client = boto3.client("dynamodb", region_name="ap-northeast-1")
        create_log_table(client, "log")
        log = DynamoSearchLog("log", client=client)
        at = now_utc()
        long_query = "長い質問" * 2000  # about 24 KB each, so a query page holds fewer than 60
        for i in range(60):
            log.put(search(at + timedelta(milliseconds=i), "u1", long_query + str(i)))
        day = (at + timedelta(hours=9)).date()
        assert len(list(log.records(day - timedelta(days=1), day + timedelta(days=1)))) == 60


def test_sqlite_salt_is_random_and_stable(tmp_path):
    first = SqliteSearchLog(tmp_path / "a.sqlite3")
    salt = first.salt()
    assert len(salt) == 32 and first.salt() == salt
    first.close()
    assert SqliteSearchLog(tmp_path / "a.sqlite3").salt() == salt
    assert SqliteSearchLog(tmp_path / "b.sqlite3").salt() != salt
