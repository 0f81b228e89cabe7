"""The indexer's report schedules (moto): last month's and last week's search reports are saved
where staff can read them, from the live index and the DynamoDB search log, and staff get mail."""

from __future__ import annotations

import io
from dataclasses import replace
from datetime import datetime, timedelta
from urllib.parse import quote_plus

import boto3
import openpyxl
import pytest

from madoguchi.adapters.search_log import DynamoSearchLog
from madoguchi.clock import JST
from madoguchi.searchlog.model import TopHit, new_search
from tests.support.clock import FixedClock
from tests.support.dynamo_tables import create_log_table
from tests.support.indexer_aws import BUCKET, REGION
from tests.support.workbooks import sample_workbook

TABLE = "madoguchi-search-log"
KEY = "uploads/faq.xlsx"


@pytest.fixture
def reporting(account, monkeypatch):
    """The account's indexer with a search log, a fixed clock and a published sample."""
    create_log_table(boto3.client("dynamodb", region_name=REGION), TABLE)
    clock = FixedClock(datetime(2026, 12, 1, 6, 0, tzinfo=JST))
    log = DynamoSearchLog(TABLE, clock=clock)
    config = replace(account.app.DEPS.config, region=REGION)
    account.app.DEPS = replace(account.app.DEPS, clock=clock, search_log=log, config=config)
    put = account.upload(KEY, sample_workbook())
    event = account.event_for(
        "s3_object_created_japanese_key.json", put, key=quote_plus(KEY, safe="/")
    )
    assert account.invoke(event)["processed"][0]["status"] == "published"
    account.messages()  # the upload's own mail
    return account, log


def searched(log, at: datetime, query: str, answered: bool) -> None:
    log.put(
        new_search(
            now=at,
            user="u1",
            query=query,
            top=[TopHit("F001", 3.0)],
            answered=answered,
            retention_days=400,
        )
    )


def test_the_monthly_report_is_saved_and_mailed(reporting):
    account, log = reporting
    november = datetime(2026, 11, 15, 10, 0, tzinfo=JST)
    for minutes in range(3):
        searched(log, november + timedelta(minutes=minutes), "粗大ごみの出し方", True)
    searched(log, november, '=HYPERLINK("https://evil.example","還付")', False)
    searched(log, datetime(2026, 12, 1, 1, 0, tzinfo=JST), "今月の質問", True)  # not November

    result = account.invoke({"madoguchi": "search-report", "period": "monthly"})

    assert result == {"report": "search/2026-11.xlsx", "searches": 4}
    book = openpyxl.load_workbook(io.BytesIO(account.read("reports/search/2026-11.xlsx")))
    assert "よく見られたFAQ" in book.sheetnames
    [mail] = account.messages()
    assert mail["Subject"] == "【星見ヶ丘市】検索レポート 2026年11月(月次)"
    body = mail["Message"]
    assert "住民の方からの質問: 4 件" in body and "そのまま回答できた質問: 3 件(75%)" in body
    assert f"console.aws.amazon.com/s3/object/{BUCKET}?region={REGION}" in body
    assert "HYPERLINK" not in body and "evil" not in body


def test_the_weekly_report_is_named_by_its_iso_week(reporting):
    account, log = reporting
    account.app.DEPS.clock.set(datetime(2026, 11, 30, 6, 0, tzinfo=JST))  # a Monday
    searched(log, datetime(2026, 11, 25, 9, 0, tzinfo=JST), "粗大ごみの出し方", True)

    result = account.invoke({"madoguchi": "search-report", "period": "weekly"})

    assert result == {"report": "search/weekly/2026-W48.xlsx", "searches": 1}
    assert account.keys("reports/search/") == ["reports/search/weekly/2026-W48.xlsx"]
    [mail] = account.messages()
    assert mail["Subject"].endswith("2026年第48週(週次)")


def test_without_a_search_log_the_schedule_does_nothing(account):
    account.app.DEPS = replace(account.app.DEPS, search_log=None)
    assert account.invoke({"madoguchi": "search-report", "period": "weekly"}) == {
        "report": "no_search_log"
    }
    assert account.keys("reports/search/") == []
