"""The indexer learns from the search log (DynamoDB, moto): an upload builds with the learned
phrasings and says so, the nightly rebuild publishes them when the テスト sheet scores no worse,
and keeps the live index when it would score worse."""

from __future__ import annotations

import json
from dataclasses import replace
from datetime import timedelta
from urllib.parse import quote_plus

import boto3
import pytest

from madoguchi.adapters.search_log import DynamoSearchLog
from madoguchi.adapters.storage import S3Storage
from madoguchi.config import Config
from madoguchi.learning.source import LogLearning
from madoguchi.publish import VersionStore
from tests.support.clock import FixedClock
from tests.support.dynamo_tables import create_log_table
from tests.support.indexer_aws import BUCKET, REGION
from tests.support.learning_log import tap, user
from tests.support.workbooks import sample_workbook

KEY = "uploads/faq.xlsx"
TABLE = "madoguchi-search-log"
TOP = ["F002", "F001", "F006", "F003"]
TESTS = [("古いたんすの処分", "F001"), ("住民票がほしい", "F003")]


@pytest.fixture
def learning(account):
    """The account's indexer reading a DynamoDB search log, with a fixed clock."""
    create_log_table(boto3.client("dynamodb", region_name=REGION), TABLE)
    clock = FixedClock()
    log = DynamoSearchLog(TABLE, clock=clock)
    account.app.DEPS = replace(account.app.DEPS, clock=clock, learner=LogLearning(log, clock))
    return account, log, clock


def versions() -> VersionStore:
    return VersionStore(S3Storage(BUCKET), Config(bucket_name=BUCKET).index_prefix)


def upload(account, event_time: str) -> dict:
    put = account.upload(KEY, sample_workbook(tests=TESTS))
    event = account.event_for(
        "s3_object_created_japanese_key.json", put, event_time, key=quote_plus(KEY, safe="/")
    )
    return account.invoke(event)["processed"][0]


def residents_choose(log, clock, query: str, faq_id: str, *residents: int) -> None:
    for n, resident in enumerate(residents):
        at = clock.utc() - timedelta(hours=n + 1)
        for record in tap(user(resident), query, TOP, at=at, opened=(faq_id,)):
            log.put(record)


def test_an_upload_builds_with_what_residents_taught_and_reports_it(learning):
    account, log, clock = learning
    residents_choose(log, clock, "大きい家具を処分したい", "F001", 1, 2)
    outcome = upload(account, "2026-12-01T00:00:00.000Z")

    assert outcome["status"] == "published"
    report = json.loads(account.read(outcome["report"]))
    assert report["learning"]["phrasings"] == 1 and report["learning"]["residents"] == 2
    assert report["counts"]["learned_phrasings"] == 1
    text = account.read(report["text_key"]).decode("utf-8-sig")
    assert "住民 2 人の質問から、言い換えを 1 件学びました" in text
    pointer = versions().pointer()
    [phrasing] = versions().learned(pointer.version)
    assert (phrasing.text, phrasing.faq_id, phrasing.residents) == (
        "大きい家具を処分したい",
        "F001",
        2,
    )
    assert versions().load_index().learned == (phrasing,)


def test_the_nightly_rebuild_publishes_new_phrasings_and_then_rests(learning):
    account, log, clock = learning
    upload(account, "2026-12-01T00:00:00.000Z")
    uploaded = versions().pointer()
    assert versions().learned(uploaded.version) == ()
    before = versions().load_index().search("大きい家具 処分").hits[0]

    residents_choose(log, clock, "大きい家具を処分したい", "F001", 1, 2)
    result = account.invoke(account.app.NIGHTLY_REBUILD)

    assert result["rebuild"] == "published" and result["version"].endswith("-learn")
    pointer = versions().pointer()
    assert pointer.version == result["version"]
    assert pointer.source == uploaded.source  # the same workbook, built again
    assert pointer.latest_upload == uploaded.latest_upload
    assert pointer.counts["learned_phrasings"] == 1
    after = versions().load_index().search("大きい家具 処分")
    assert after.hits[0].faq.id == "F001" and after.confidence > before.confidence
    nightly = json.loads(account.read("reports/learning/latest.json"))
    assert nightly["status"] == "published" and nightly["learning"]["residents"] == 2
    assert "大きい家具" not in json.dumps(nightly, ensure_ascii=False)  # counts, not words

    assert account.invoke(account.app.NIGHTLY_REBUILD)["rebuild"] == "unchanged"
    assert versions().pointer().version == pointer.version
    assert account.messages()[1:] == []  # staff get mail for the upload only

    # The next night learns one more: its build replaces the previous night's, not an upload's.
    clock.advance(24 * 3600)
    residents_choose(log, clock, "年金の手帳", "F003", 3, 4)
    assert account.invoke(account.app.NIGHTLY_REBUILD)["rebuild"] == "published"
    assert versions().pointer().counts["learned_phrasings"] == 2
    assert retired(account, pointer.version) and not retired(account, uploaded.version)


def retired(account, version: str) -> bool:
    key = versions().record_key(version)
    tags = account.s3.get_object_tagging(Bucket=BUCKET, Key=key)["TagSet"]
    return {"Key": "madoguchi-retired", "Value": "true"} in tags


def test_the_nightly_rebuild_keeps_the_live_index_when_the_tests_score_worse(learning):
    account, log, clock = learning
    upload(account, "2026-12-01T00:00:00.000Z")
    live = versions().pointer()
    # Two residents (wrongly) open 資源ごみ for the very question the テスト sheet says is 粗大ごみ.
    residents_choose(log, clock, "古いたんすの処分", "F002", 1, 2)

    assert account.invoke(account.app.NIGHTLY_REBUILD)["rebuild"] == "kept"
    assert versions().pointer() == live
    nightly = json.loads(account.read("reports/learning/latest.json"))
    assert nightly["tests"]["new"]["hit@1"] < nightly["tests"]["live"]["hit@1"]


def test_one_resident_flooding_a_wrong_tap_changes_nothing(learning):
    account, log, clock = learning
    upload(account, "2026-12-01T00:00:00.000Z")
    live = versions().pointer()
    records = []
    for n in range(100):
        at = clock.utc() - timedelta(minutes=n + 1)
        records += tap(user(9), "住民票がほしい", TOP, at=at, opened=("F006",))
    for record in records:
        log.put(record)

    assert account.invoke(account.app.NIGHTLY_REBUILD)["rebuild"] == "unchanged"
    assert versions().pointer() == live
    assert versions().load_index().search("住民票がほしい").hits[0].faq.id == "F003"


def test_the_nightly_rebuild_before_anything_is_published(learning):
    account, _, _ = learning
    assert account.invoke(account.app.NIGHTLY_REBUILD)["rebuild"] == "nothing_live"


def test_an_upload_while_the_log_is_unreadable_publishes_without_learning(learning):
    account, _, clock = learning
    missing = DynamoSearchLog("no-such-table", clock=clock)
    account.app.DEPS = replace(account.app.DEPS, learner=LogLearning(missing, clock))
    outcome = upload(account, "2026-12-01T00:00:00.000Z")

    assert outcome["status"] == "published"
    report = json.loads(account.read(outcome["report"]))
    assert report["learning"]["error"] == "ResourceNotFoundException"
    assert "検索の記録を読めなかった" in account.read(report["text_key"]).decode("utf-8-sig")
    live = versions().pointer()
    assert account.invoke(account.app.NIGHTLY_REBUILD)["rebuild"] == "log_unreadable"
    assert versions().pointer() == live
