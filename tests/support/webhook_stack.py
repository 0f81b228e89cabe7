"""The webhook's whole world for integration tests: moto S3 (a published index), DynamoDB (event
claims), SSM SecureStrings (LINE credentials), and the loopback LINE API."""

from __future__ import annotations

import importlib
import io
import json
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from types import ModuleType
from typing import Any

import boto3
from aws_lambda_powertools.utilities import parameters
from moto import mock_aws

from madoguchi.adapters.storage import S3Storage
from madoguchi.config import Config
from madoguchi.publish import publish_upload
from madoguchi.wiring import webhook_deps
from madoguchi_dev.lambda_runtime import LocalContext
from madoguchi_dev.line_api import LineApiServer
from tests.support import line_events as ev
from tests.support.clock import FixedClock
from tests.support.dynamo_tables import create_state_table
from tests.support.workbooks import FAQ_HEADER, faq_row, make_workbook

BUCKET = "madoguchi-test-bucket"
TABLE = "madoguchi-test-state"
SECRET_PARAM = "/madoguchi/line/channel-secret"
TOKEN_PARAM = "/madoguchi/line/access-token"

FAQ_ROWS = [
    faq_row(
        1,
        "粗大ごみの出し方",
        "前日までに粗大ごみ受付センターへ電話で申し込んでください。",
        category="ごみ",
        keywords="粗大ごみ、大型ごみ",
        url="https://example.jp/sodai",
        department="環境課",
    ),
    faq_row(
        2,
        "粗大ごみの手数料",
        "品目ごとに200円から1,000円です。",
        category="ごみ",
        keywords="粗大ごみ、料金",
    ),
    faq_row(3, "燃えるごみの収集日", "地区ごとに週2回です。", category="ごみ"),
    faq_row(
        4, "資源ごみの分け方", "びん・缶・ペットボトルに分けて出してください。", category="ごみ"
    ),
    faq_row(
        5, "児童手当の申請", "出生の翌日から15日以内に市民課で申請してください。", category="子育て"
    ),
    faq_row(6, "住民票の写しの取り方", "市民課の窓口かコンビニで取れます。", category="届出・証明"),
]
SETTINGS_ROWS = [
    ["項目", "値"],
    ["自治体名", "星見ヶ丘市"],
    ["あいさつ", "{city_name}の窓口です。知りたいことを送ってください。"],
    ["回答なしメッセージ", "ごめんなさい、見つかりませんでした。"],
    ["非対応メッセージ", "ご質問は文字で送ってください。"],
    ["職員引き継ぎメッセージ", "職員におつなぎします。"],
]


def workbook_bytes(
    faq_rows: list[list[Any]] | None = None, settings_rows: list[list[Any]] | None = None
) -> bytes:
    """A real .xlsx with the test FAQs and settings."""
    return make_workbook(
        {"FAQ": [FAQ_HEADER, *(faq_rows or FAQ_ROWS)], "設定": settings_rows or SETTINGS_ROWS}
    )


@dataclass
class Stack:
    """Handles on everything the webhook touches."""

    line: LineApiServer
    config: Config
    env: dict[str, str]
    storage: S3Storage
    dynamodb: Any
    log: io.StringIO = field(default_factory=io.StringIO)
    clock: FixedClock = field(default_factory=FixedClock)  # the webhook's "now"
    # The request deadline's stopwatch stands still, so a busy machine cannot push a test past
    # it; tests of the deadline give the webhook a stopwatch or a deadline of their own.
    stopwatch: FixedClock = field(default_factory=FixedClock)
    app: Any = None  # the handler module, once a test loads it
    sqs: Any = None  # tests that read staff mail set the SQS client and queue
    queue: str = ""
    claims_before: int = 0
    _uploads: int = 0

    def publish(
        self,
        faq_rows: list[list[Any]] | None = None,
        settings_rows: list[list[Any]] | None = None,
    ) -> Any:
        """Upload and publish a workbook as the indexer does, each upload newer than the last."""
        self._uploads += 1
        key = f"{self.config.upload_prefix}faq-{self._uploads}.xlsx"
        self.storage.put(key, workbook_bytes(faq_rows, settings_rows))
        # S3 times have whole seconds; an explicit, increasing event time orders the uploads.
        event_time = f"2030-01-01T00:{self._uploads // 60:02d}:{self._uploads % 60:02d}.000Z"
        report = publish_upload(self.storage, key, config=self.config, event_time=event_time)
        assert report.status.value == "published", report.log_fields()
        return report

    def load_app(self) -> ModuleType:
        """Import functions.webhook.app afresh (its init runs again), give it the stack's clock
        and capture its logs."""
        sys.modules.pop("functions.webhook.app", None)
        app: Any = importlib.import_module("functions.webhook.app")
        app.DEPS = webhook_deps(app.CONFIG, clock=self.clock, stopwatch=self.stopwatch)
        for handler in app.logger.handlers:
            handler.setStream(self.log)
        return app

    def log_lines(self) -> list[dict]:
        """Every JSON log line written so far."""
        return [json.loads(line) for line in self.log.getvalue().splitlines() if line.strip()]

    def claims(self) -> int:
        """Number of event claims in the state table."""
        return self.dynamodb.scan(TableName=TABLE, Select="COUNT")["Count"]


@contextmanager
def webhook_stack(monkeypatch: Any, *, publish: bool = True) -> Iterator[Stack]:
    """Start moto and the loopback LINE API, and point the webhook's environment at them."""
    line = LineApiServer(access_token=ev.TEST_ACCESS_TOKEN).start()
    env = {
        "AWS_DEFAULT_REGION": "ap-northeast-1",
        "AWS_ACCESS_KEY_ID": "testing",
        "AWS_SECRET_ACCESS_KEY": "testing",
        "AWS_SESSION_TOKEN": "testing",
        "MADOGUCHI_BUCKET": BUCKET,
        "MADOGUCHI_STATE_TABLE": TABLE,
        "MADOGUCHI_CHANNEL_SECRET_PARAM": SECRET_PARAM,
        "MADOGUCHI_CHANNEL_TOKEN_PARAM": TOKEN_PARAM,
        "MADOGUCHI_LINE_API_BASE": line.url,
        "POWERTOOLS_METRICS_NAMESPACE": "MadoguchiTest",
        "POWERTOOLS_SERVICE_NAME": "madoguchi-webhook",
    }
    for key, value in env.items():
        monkeypatch.setenv(key, value)
    monkeypatch.delenv("MADOGUCHI_LOCAL_DIR", raising=False)
    parameters.clear_caches()
    try:
        with mock_aws():
            boto3.client("s3").create_bucket(
                Bucket=BUCKET,
                CreateBucketConfiguration={"LocationConstraint": "ap-northeast-1"},
            )
            dynamodb = boto3.client("dynamodb")
            create_state_table(dynamodb, TABLE)
            ssm = boto3.client("ssm")
            ssm.put_parameter(Name=SECRET_PARAM, Value=ev.TEST_CHANNEL_SECRET, Type="SecureString")
            ssm.put_parameter(Name=TOKEN_PARAM, Value=ev.TEST_ACCESS_TOKEN, Type="SecureString")
            config = Config.from_env()
            stack = Stack(line, config, env, S3Storage(BUCKET), dynamodb)
            if publish:
                stack.publish()
            yield stack
    finally:
        line.stop()
        parameters.clear_caches()
        sys.modules.pop("functions.webhook.app", None)


def invoke(app: ModuleType, event: dict) -> dict:
    """Call the Lambda handler the way API Gateway does."""
    context = LocalContext("madoguchi-webhook", aws_request_id="test-request-id")
    return app.lambda_handler(event, context)


def post(app: ModuleType, *events: dict, secret: str = ev.TEST_CHANNEL_SECRET) -> dict:
    """Sign and deliver events to the handler."""
    body, signature = ev.signed_body(*events, secret=secret)
    return invoke(app, ev.api_gateway_event(body, signature))
