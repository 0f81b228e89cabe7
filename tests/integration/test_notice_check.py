"""The scheduled notice check through the indexer handler, with the event EventBridge Scheduler
sends: a notice uploaded before its start is broadcast by the loopback LINE API at its start,
not before, once whatever runs again or overlaps, and staff are mailed once; over the quota it
is not sent and staff are told; with 「お知らせの配信」 しない nothing happens."""

from __future__ import annotations

import json
from dataclasses import replace
from datetime import datetime, timedelta

import boto3
import pytest
from aws_lambda_powertools.utilities import parameters

from madoguchi.clock import JST
from madoguchi.publish.notice_schedule import NOT_SENT_SUBJECT, SENT_SUBJECT
from madoguchi_dev.line_api import LineApiServer
from tests.support.clock import FixedClock
from tests.support.indexer_aws import REGION
from tests.support.workbooks import FAQ_HEADER, make_workbook, sample_faqs

TOKEN = "notice-check-token"
TOKEN_PARAM = "/madoguchi/test/access-token"
NOTICE = "台風10号の接近にともない、18時から南中学校に避難所を開設します。"
BROADCAST = "/v2/bot/message/broadcast"
EVENING = datetime(2026, 12, 8, 15, 0, tzinfo=JST)  # staff upload, then go home
START = datetime(2026, 12, 8, 18, 0, tzinfo=JST)
NOTICE_CHECK = {"madoguchi": "notice-check"}


def workbook(broadcast: str = "する") -> bytes:
    """A notice from 18:00 on 8 December to noon the next day."""
    return make_workbook(
        {
            "FAQ": [FAQ_HEADER, *sample_faqs()],
            "設定": [
                ["項目", "値"],
                ["お知らせ", NOTICE],
                ["お知らせの開始", "2026-12-08 18:00"],
                ["お知らせの終了", "2026-12-09 12:00"],
                ["お知らせの配信", broadcast],
            ],
        }
    )


@pytest.fixture
def line():
    server = LineApiServer(access_token=TOKEN).start()
    yield server
    server.stop()


@pytest.fixture(autouse=True)
def line_env(line, monkeypatch):
    """Set before the `account` fixture imports the handler, which reads it at init."""
    monkeypatch.setenv("MADOGUCHI_CHANNEL_TOKEN_PARAM", TOKEN_PARAM)
    monkeypatch.setenv("MADOGUCHI_LINE_API_BASE", line.url)


@pytest.fixture
def indexer(line, account):
    """The indexer handler with its token in SSM, on a clock set to the evening's upload."""
    parameters.clear_caches()
    boto3.client("ssm", region_name=REGION).put_parameter(
        Name=TOKEN_PARAM, Value=TOKEN, Type="SecureString"
    )
    clock = FixedClock(EVENING)
    account.clock = clock
    account.app.DEPS = replace(account.app.DEPS, clock=clock)
    account.uploads = 0
    return account


def upload(indexer, data: bytes) -> tuple[dict, str]:
    """Save a workbook and run the handler on its event: (report JSON, mail text)."""
    indexer.uploads += 1
    put = indexer.upload("uploads/faq.xlsx", data)
    event = indexer.event_for(
        "s3_object_created_japanese_key.json",
        put,
        key="uploads/faq.xlsx",
        event_time=f"2026-12-08T06:00:{indexer.uploads:02d}.000Z",
    )
    result = indexer.invoke(event)
    report = json.loads(indexer.read(result["processed"][0]["report"]))
    [mail] = indexer.messages()
    return report, mail["Message"]


def check(indexer, at: datetime | None = None) -> dict:
    """One run of the schedule, as EventBridge Scheduler invokes the function."""
    if at is not None:
        indexer.clock.set(at)
    return indexer.invoke(dict(NOTICE_CHECK))


def test_sent_once_at_its_start_not_before_and_staff_are_told(line, indexer):
    report, mail = upload(indexer, workbook())
    assert report["notice"]["broadcast"] == {"status": "scheduled"}
    assert "お知らせ: まだ出していません(開始時刻の前です)。" in mail
    assert "配信: まだしていません。開始時刻 12月8日 18:00 になったら自動で配信します" in mail

    line.received.clear()
    assert check(indexer, START - timedelta(minutes=5))["notice"] == "scheduled"
    assert line.received == [] and indexer.messages() == []  # LINE not even asked

    result = check(indexer, START)
    assert result == {"notice": "sent", "mailed": True, "recipients": 100}
    [sent] = line.broadcasts.sent
    assert sent.messages[0]["contents"]["body"]["contents"][1]["text"] == NOTICE
    [record_key] = [k for k in indexer.keys("indexes/broadcasts/") if "mail" not in k]
    record = json.loads(indexer.read(record_key))
    assert record["state"] == "sent" and record["retry_key"] == sent.retry_key
    [mail] = indexer.messages()
    assert mail["Subject"] == SENT_SUBJECT
    assert "友だち 約100人に配信しました(2026年12月8日 18:00(日本時間))" in mail["Message"]
    assert NOTICE in mail["Message"]

    # The next runs, a redelivered run, and the same workbook saved again: nothing more.
    line.received.clear()
    assert check(indexer, START + timedelta(minutes=5))["notice"] == "already_sent"
    assert check(indexer)["notice"] == "already_sent"
    assert line.requests_to(BROADCAST) == []
    assert indexer.messages() == []
    report, mail = upload(indexer, workbook())
    assert report["notice"]["broadcast"]["status"] == "already_sent"
    assert len(line.broadcasts.sent) == 1


@pytest.mark.parametrize("overlap", ["before its claim", "after its claim"])
def test_two_overlapping_runs_send_once_and_mail_once(line, indexer, overlap):
    upload(indexer, workbook())
    indexer.clock.set(START)
    storage = indexer.app.DEPS.storage
    nested: list[dict] = []
    overlapped: list[bool] = []

    class Overlapping:
        """The bucket, with a second run of the check starting inside the first one's claim."""

        def __getattr__(self, name):
            return getattr(storage, name)

        def put_if_absent(self, key, data, content_type="application/octet-stream"):
            claim = "/broadcasts/" in key and "mail" not in key and not overlapped
            overlapped.append(claim)  # the second run's own claim goes straight through
            if claim and overlap == "before its claim":
                nested.append(check(indexer))
            done = storage.put_if_absent(key, data, content_type)
            if claim and overlap == "after its claim":
                nested.append(check(indexer))
            return done

    indexer.app.DEPS = replace(indexer.app.DEPS, storage=Overlapping())
    first = check(indexer)
    assert nested[0]["notice"] == "sent"
    assert len(line.broadcasts.sent) == 1
    statuses = [r.status for r in line.requests_to(BROADCAST)]
    if overlap == "before its claim":
        # The second run claimed and sent; the first found its claim taken, then the record.
        assert first["notice"] == "already_sent" and statuses == [200]
    else:
        # The second run found the first's claim and sent with its retry key; LINE took the
        # first's own request with that key as a repeat (409), reaching nobody twice.
        assert first["notice"] == "sent" and statuses == [200, 409]
    [mail] = indexer.messages()
    assert mail["Subject"] == SENT_SUBJECT


def test_over_the_quota_it_is_not_sent_and_staff_are_told_once(line, indexer):
    upload(indexer, workbook())
    line.broadcasts.quota_limit, line.broadcasts.used = 1_000, 950  # 50 left for 100 friends
    assert check(indexer, START) == {"notice": "quota", "mailed": True, "recipients": 100}
    [mail] = indexer.messages()
    assert mail["Subject"] == NOT_SENT_SUBJECT
    assert (
        "今月送れるメッセージが足りないためです(友だち 約100人、今月の残り 50通)"
        in (mail["Message"])
    )
    assert check(indexer, START + timedelta(minutes=5))["mailed"] is False
    assert line.broadcasts.sent == [] and indexer.messages() == []

    line.broadcasts.quota_limit = 5_000  # the plan was raised: the next run sends it
    assert check(indexer, START + timedelta(minutes=10))["notice"] == "sent"
    assert len(line.broadcasts.sent) == 1
    assert [m["Subject"] for m in indexer.messages()] == [SENT_SUBJECT]


def test_with_the_setting_off_or_nothing_published_nothing_happens(line, indexer):
    assert check(indexer, START) == {"notice": "unpublished", "mailed": False, "recipients": None}
    upload(indexer, workbook(broadcast="しない"))
    line.received.clear()  # the upload's rich menu sync
    assert check(indexer, START)["notice"] == "off"
    assert line.received == [] and indexer.messages() == []


def test_a_lost_answer_is_told_once_and_the_next_run_completes_it_with_the_same_key(line, indexer):
    upload(indexer, workbook())
    line.broadcasts.lose_next_answer()  # LINE takes it at 18:00, but its answer never arrives
    assert check(indexer, START)["notice"] == "failed"
    [first] = line.broadcasts.sent
    [mail] = indexer.messages()
    assert mail["Subject"] == NOT_SENT_SUBJECT
    assert (
        "5分ごとに確かめ直し" in mail["Message"] and "二重に届くことはありません" in mail["Message"]
    )

    assert check(indexer, START + timedelta(minutes=5))["notice"] == "sent"
    retry = line.requests_to(BROADCAST)[-1]
    assert retry.headers["x-line-retry-key"] == first.retry_key and retry.status == 409
    assert len(line.broadcasts.sent) == 1  # friends got it once
    assert [m["Subject"] for m in indexer.messages()] == [SENT_SUBJECT]
