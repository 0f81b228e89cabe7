"""Staff mail floods: one mail per resident per hand-over and, above the hourly limit, one
digest, held across Lambda instances in the state table (DynamoDB with moto, and SQLite); the
resident's words are quoted defanged, without invisible characters, personal data masked."""

from __future__ import annotations

import json

import boto3
import pytest
from moto import mock_aws

from madoguchi.adapters.mail_ledger import DynamoMailLedger, SqliteMailLedger
from madoguchi.handover.notification import MAILS_PER_HOUR
from tests.support import line_events as ev
from tests.support.clock import FixedClock
from tests.support.conversation_stack import deliver, handover_stack, say, settings_rows
from tests.support.dynamo_tables import create_state_table


@pytest.fixture
def stack():
    with handover_stack(settings_rows("毎日 0:00-24:00")) as stack:
        yield stack


def all_mails(stack) -> list[dict]:
    found = []
    while batch := stack.sqs.receive_message(QueueUrl=stack.queue, MaxNumberOfMessages=10).get(
        "Messages", []
    ):
        found += [json.loads(m["Body"]) for m in batch]
        for m in batch:
            stack.sqs.delete_message(QueueUrl=stack.queue, ReceiptHandle=m["ReceiptHandle"])
    return found


def test_one_resident_asking_ten_times_on_two_instances_makes_one_mail(stack):
    other = stack.load_app()  # a second Lambda instance, with its own memory
    first = stack.app
    say(stack, "https://evil.example/login\u202e を見て\rください 090-1234-5678")
    for n in range(10):
        stack.app = (first, other)[n % 2]
        say(stack, "職員と話したい")
        stack.clock.advance(30)
        say(stack, "AIに戻る")
    (mail,) = all_mails(stack)
    text = mail["Message"]
    assert "hxxps://evil[.]example/login" in text and "https://evil" not in text
    assert "\u202e" not in text and "\r" not in text
    assert "1234" not in text and "＊＊＊" in text


def test_above_the_hourly_limit_one_digest_then_the_count_next_hour(stack):
    residents = MAILS_PER_HOUR + 5
    for n in range(residents):
        deliver(stack, ev.text_event("職員と話したい", user_id=f"U{n:032x}"))
    mails = all_mails(stack)
    subjects = [m["Subject"] for m in mails]
    assert len(mails) == MAILS_PER_HOUR + 1
    digests = [s for s in subjects if "多く届いています" in s]
    assert len(digests) == 1 and sum("相談が届きました" in s for s in subjects) == MAILS_PER_HOUR
    stack.clock.advance(3600)
    say(stack, "職員と話したい")
    (next_hour,) = all_mails(stack)
    assert "お知らせしなかった相談が 5 件" in next_hour["Message"]


@pytest.fixture(params=["sqlite", "dynamodb"])
def ledger(request, tmp_path):
    clock = FixedClock()
    if request.param == "sqlite":
        yield SqliteMailLedger(tmp_path / "state.sqlite3", clock=clock), clock
        return
    with mock_aws():
        client = boto3.client("dynamodb", region_name="ap-northeast-1")
        create_state_table(client, "state")
        yield DynamoMailLedger("state", client=client, clock=clock), clock


def test_the_ledger_claims_a_resident_once_per_hold_and_counts_hours(ledger):
    store, clock = ledger
    assert store.claim_resident("r1", 600) and not store.claim_resident("r1", 600)
    assert store.claim_resident("r2", 600)
    clock.advance(601)
    assert store.claim_resident("r1", 600)
    assert [store.count_hour("2026-11-02T09") for _ in range(3)] == [1, 2, 3]
    assert store.count_hour("2026-11-02T10") == 1
    assert store.hour_count("2026-11-02T09") == 3 and store.hour_count("2026-11-02T08") == 0


def test_quoted_questions_in_the_mail_are_safe_to_read():
    from datetime import UTC, datetime

    from madoguchi.handover.notification import HandoverNotice, notice_body

    notice = HandoverNotice(
        user="ref",
        at=datetime(2026, 11, 2, 1, tzinfo=UTC),
        in_office_hours=True,
        next_opening=None,
        source="typed",
        recent_questions=[
            "至急 https://evil.example/login?id=1 へ",
            "www.evil.example\u202egnp.exe\u200b",
            "1行目\r\n偽の行: 【重要】パスワード",
            "taro@example.jp 山田太郎です",
        ],
        timeout_minutes=60,
        city_name="星見ヶ丘市",
    )
    body = notice_body(notice)
    quoted = body.split("■ この方の最近の質問(古い順)")[1].split("■ 自動応答について")[0]
    assert "hxxps://evil[.]example/login" in quoted and "www[.]evil[.]example" in quoted
    assert not any(c in quoted for c in "\u202e\u200b\r")
    assert "3. 1行目 偽の行: 【重要】パスワード" in quoted
    assert "taro" not in quoted and "山田" not in quoted and "＊＊＊" in quoted
