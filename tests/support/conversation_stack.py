"""The webhook with everything a conversation touches, for the tests that follow residents
through the Lambda handler: moto DynamoDB (state, claims, search log), SNS read back through SQS
(staff mail), SSM (credentials, salt), the loopback LINE API with a rich menu deployed by the
indexer's own sync, and helpers to say, tap and read back what LINE received."""

from __future__ import annotations

import json
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from datetime import timedelta
from typing import Any

import boto3
import pytest

from madoguchi.adapters.search_log import DynamoSearchLog
from madoguchi.line import postback
from madoguchi.publish import publish_upload
from madoguchi.wiring import rich_menu_hook
from tests.support import line_events as ev
from tests.support.dynamo_tables import create_log_table
from tests.support.webhook_stack import FAQ_ROWS, Stack, post, webhook_stack
from tests.support.workbooks import FAQ_HEADER, make_workbook

REPLY = "/v2/bot/message/reply"
LOG_TABLE = "madoguchi-test-search-log"
SALT_PARAM = "/madoguchi/log-salt"
SALT = "salt-for-tests-0123456789abcdef"


def settings_rows(hours: str, closed: str = "") -> list[list[str]]:
    return [
        ["項目", "値"],
        ["回答なしメッセージ", "ごめんなさい、見つかりませんでした。"],
        ["職員対応時間", hours],
        ["休業日", closed],
        ["職員引き継ぎメッセージ", "職員におつなぎします。"],
        ["時間外引き継ぎメッセージ", "受付時間外です。次の受付({office_hours})に確認します。"],
        ["職員対応終了メッセージ", "自動応答に戻りました。"],
        ["職員対応の自動終了(分)", "30"],
    ]


MENU_ROWS: list[list[Any]] = [
    ["タブ", "ボタン", "動作", "値"],
    ["くらし", "粗大ごみ", "FAQ", "1"],
    ["くらし", "職員に相談", "職員に相談", None],
    ["子育て", "児童手当", "FAQ", "5"],
    ["子育て", "子育ての質問", "カテゴリ", "子育て"],
]


def publish(
    stack,
    settings: list[list[Any]],
    menu: list[list[Any]] | None = None,
    sheets: dict[str, Sequence[Sequence[object]]] | None = None,
    faq: list[list[Any]] | None = None,
) -> Any:
    """Publish a workbook as the indexer does, rich menu sync included; `sheets` are more
    sheets of the workbook (e.g. 避難所), `faq` the FAQ sheet's rows (header first) instead of
    the usual ones."""
    stack.uploads = getattr(stack, "uploads", 0) + 1
    key = f"{stack.config.upload_prefix}faq-{stack.uploads}.xlsx"
    book: dict[str, Sequence[Sequence[object]]] = {
        "FAQ": faq or [FAQ_HEADER, *FAQ_ROWS],
        "設定": list(settings),
        "メニュー": menu or MENU_ROWS,
        **(sheets or {}),
    }
    stack.storage.put(key, make_workbook(book))
    token = ev.TEST_ACCESS_TOKEN
    hook = rich_menu_hook(stack.storage, stack.config, lambda: token, clock=stack.clock)
    event_time = f"2030-01-01T00:00:{stack.uploads:02d}.000Z"
    report = publish_upload(
        stack.storage,
        key,
        config=stack.config,
        after_publish=hook,
        event_time=event_time,
        clock=stack.clock,
    )
    assert report.status.value == "published", report.text()
    assert report.rich_menu is not None and report.rich_menu["status"] == "deployed"
    return report


@contextmanager
def handover_stack(
    settings: list[list[Any]],
    menu: list[list[Any]] | None = None,
    sheets: dict[str, Sequence[Sequence[object]]] | None = None,
    faq: list[list[Any]] | None = None,
) -> Iterator[Stack]:
    """The webhook stack plus the search log table, the staff topic (read through SQS), the salt."""
    with (
        pytest.MonkeyPatch.context() as monkeypatch,
        webhook_stack(monkeypatch, publish=False) as stack,
    ):
        create_log_table(stack.dynamodb, LOG_TABLE)
        sns, sqs = boto3.client("sns"), boto3.client("sqs")
        topic = sns.create_topic(Name="staff")["TopicArn"]
        queue = sqs.create_queue(QueueName="staff-mail")["QueueUrl"]
        queue_arn = sqs.get_queue_attributes(QueueUrl=queue, AttributeNames=["QueueArn"])
        sns.subscribe(TopicArn=topic, Protocol="sqs", Endpoint=queue_arn["Attributes"]["QueueArn"])
        boto3.client("ssm").put_parameter(Name=SALT_PARAM, Value=SALT, Type="SecureString")
        monkeypatch.setenv("MADOGUCHI_LOG_TABLE", LOG_TABLE)
        monkeypatch.setenv("MADOGUCHI_TOPIC_ARN", topic)
        monkeypatch.setenv("MADOGUCHI_LOG_SALT_PARAM", SALT_PARAM)
        stack.sqs, stack.queue = sqs, queue
        publish(stack, settings, menu, sheets, faq)
        stack.app = stack.load_app()
        yield stack


def deliver(stack, event: dict) -> list[dict]:
    """One event with a fresh reply token; the messages LINE received ([] if none)."""
    stack.line.received.clear()
    event["replyToken"] = stack.line.issue_reply_token()
    assert post(stack.app, event)["statusCode"] == 200
    requests = stack.line.requests_to(REPLY)
    if not requests:
        return []
    (request,) = requests
    assert request.status == 200, request.response
    return request.body["messages"]


def say(stack, text: str) -> list[dict]:
    return deliver(stack, ev.text_event(text))


def tap(stack, action) -> list[dict]:
    return deliver(stack, ev.postback_event(postback.encode(action)))


def quick(message: dict) -> list:
    return [postback.decode(i["action"]["data"]) for i in message["quickReply"]["items"]]


def log_records(stack, kind: str | None = None):
    today = stack.clock.japan_today()
    found = DynamoSearchLog(LOG_TABLE, clock=stack.clock).records(today - timedelta(days=1), today)
    return [r for r in found if kind is None or r.kind == kind]


def mails(stack) -> list[dict]:
    got = stack.sqs.receive_message(QueueUrl=stack.queue, MaxNumberOfMessages=10)
    return [json.loads(m["Body"]) for m in got.get("Messages", [])]


def menu_action(stack: Stack, label: str) -> Any:
    """The postback a button of the deployed rich menu sends, found by its label."""
    for menu in stack.line.rich_menus.menus.values():
        for area in menu.body["areas"]:
            action = area["action"]
            if action.get("label") == label and action["type"] == "postback":
                return postback.decode(action["data"])
    raise AssertionError(f"no rich menu button {label!r}")


def rows_of(flex: dict) -> list[Any]:
    """The decoded postbacks of a question-list bubble."""
    rows = flex["contents"]["body"]["contents"]
    return [postback.decode(r["action"]["data"]) for r in rows if "action" in r]
