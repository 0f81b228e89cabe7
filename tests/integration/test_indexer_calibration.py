"""The nightly rebuild calibrates the answer threshold from the search log (DynamoDB, moto):
after enough answers residents turned away from, it is raised one step, kept in the live pointer,
reported, and an upload carries it forward and tells staff."""

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
from madoguchi.learning.calibration import MIN_JUDGED
from madoguchi.learning.source import LogCalibration, LogLearning
from madoguchi.publish import IndexHolder, VersionStore
from madoguchi.search.answer_policy import STEP, threshold_for
from madoguchi.searchlog.model import TopHit, new_search
from tests.support.clock import FixedClock
from tests.support.dynamo_tables import create_log_table
from tests.support.indexer_aws import BUCKET, REGION
from tests.support.learning_log import user
from tests.support.workbooks import sample_workbook

KEY = "uploads/faq.xlsx"
TABLE = "madoguchi-search-log"
TOP = ["F002", "F001", "F006", "F003"]


@pytest.fixture
def calibrating(account):
    """The account's indexer learning from and calibrating with a DynamoDB search log."""
    create_log_table(boto3.client("dynamodb", region_name=REGION), TABLE)
    clock = FixedClock()
    log = DynamoSearchLog(TABLE, clock=clock)
    account.app.DEPS = replace(
        account.app.DEPS,
        clock=clock,
        learner=LogLearning(log, clock),
        calibrator=LogCalibration(log, clock),
    )
    return account, log, clock


def versions() -> VersionStore:
    return VersionStore(S3Storage(BUCKET), Config(bucket_name=BUCKET).index_prefix)


def upload(account, event_time: str) -> dict:
    put = account.upload(KEY, sample_workbook())
    event = account.event_for(
        "s3_object_created_japanese_key.json", put, event_time, key=quote_plus(KEY, safe="/")
    )
    return account.invoke(event)["processed"][0]


def answers_asked_again(log, clock, count: int) -> None:
    """`count` answers given yesterday, each followed by the same resident asking again."""
    records = []
    for n in range(count):
        at = clock.utc() - timedelta(hours=20) + timedelta(minutes=n)
        top = [TopHit(f, 1.0) for f in TOP]
        records.append(
            new_search(now=at, user=user(n), query="", top=top, answered=True, retention_days=90)
        )
        again = at + timedelta(seconds=40)
        records.append(
            new_search(
                now=again, user=user(n), query="", top=top, answered=False, retention_days=90
            )
        )
    for record in records:
        log.put(record)


def test_the_nightly_rebuild_raises_the_threshold_and_the_webhook_answers_from_it(calibrating):
    account, log, clock = calibrating
    upload(account, "2026-12-01T00:00:00.000Z")
    measured = threshold_for(0.88)

    # Too few answers judged: the threshold stays, and the report says why.
    answers_asked_again(log, clock, 10)
    account.invoke(account.app.NIGHTLY_REBUILD)
    nightly = json.loads(account.read("reports/learning/latest.json"))
    assert nightly["calibration"]["status"] == "collecting"
    assert nightly["calibration"]["judged"] == 10
    assert versions().pointer().calibration["threshold"] == measured

    clock.advance(24 * 3600)
    answers_asked_again(log, clock, MIN_JUDGED)
    account.invoke(account.app.NIGHTLY_REBUILD)
    pointer = versions().pointer()
    assert pointer.calibration["status"] == "raised"
    assert pointer.calibration["threshold"] == pytest.approx(measured + STEP)
    assert pointer.calibration["estimate"] < 0.5  # residents turned away from most answers
    nightly = json.loads(account.read("reports/learning/latest.json"))
    assert nightly["calibration"] == pointer.calibration

    # The webhook's copy of the index answers from the calibrated threshold.
    holder = IndexHolder(S3Storage(BUCKET), Config(bucket_name=BUCKET))
    index = holder.current()
    assert index is not None and index.threshold == pytest.approx(measured + STEP)

    # A new upload keeps the calibration (it belongs to the city) and tells staff about it.
    clock.advance(3600)
    assert upload(account, "2026-12-03T00:00:00.000Z")["status"] == "published"
    assert versions().pointer().calibration == pointer.calibration
    mail = account.messages()[-1]["Message"]
    assert "■ 回答の確かさ" in mail and "回答の確かさ: ふつう" in mail
    assert f"回答のしきい値: {measured + STEP:g}" in mail
