"""The metrics the alarms and the dashboard read: outages where Lambda itself succeeds must
still show, in the stage's own namespace."""

from __future__ import annotations

import json
from dataclasses import replace

import boto3
import pytest
from aws_lambda_powertools.utilities import parameters

from madoguchi.adapters.storage import S3Storage
from tests.support import line_events as ev
from tests.support.webhook_stack import SECRET_PARAM, invoke, post, webhook_stack


def emitted(capsys) -> tuple[dict[str, float], set[str]]:
    """Metric sums and namespaces of the EMF lines the handlers printed since the last call."""
    sums: dict[str, float] = {}
    namespaces: set[str] = set()
    for line in capsys.readouterr().out.splitlines():
        if not line.startswith("{") or '"_aws"' not in line:
            continue
        record = json.loads(line)
        for directive in record["_aws"]["CloudWatchMetrics"]:
            namespaces.add(directive["Namespace"])
            for metric in directive["Metrics"]:
                value = record[metric["Name"]]
                sums[metric["Name"]] = sums.get(metric["Name"], 0) + sum(
                    value if isinstance(value, list) else [value]
                )
    return sums, namespaces


@pytest.fixture
def stack():
    with pytest.MonkeyPatch.context() as monkeypatch, webhook_stack(monkeypatch) as stack:
        stack.monkeypatch = monkeypatch
        yield stack


def test_a_request_signed_with_another_secret_counts_as_signature_rejected(stack, capsys):
    app = stack.load_app()
    capsys.readouterr()
    response = post(app, ev.text_event("粗大ごみ"), secret="a-staging-channel-secret")
    assert response["statusCode"] == 401
    metrics, namespaces = emitted(capsys)
    assert metrics["SignatureRejected"] == 1
    assert namespaces == {"MadoguchiTest"}  # POWERTOOLS_METRICS_NAMESPACE, as the stack sets it


def test_a_request_without_a_signature_is_not_counted_as_rejected(stack, capsys):
    app = stack.load_app()
    body, _ = ev.signed_body(ev.text_event("粗大ごみ"))
    capsys.readouterr()
    assert invoke(app, ev.api_gateway_event(body, None))["statusCode"] == 401
    metrics, _ = emitted(capsys)
    assert "SignatureRejected" not in metrics
    assert metrics["WebhookRequests"] == 1


def test_unreadable_credentials_count_as_a_failed_request(stack, capsys):
    app = stack.load_app()
    boto3.client("ssm").delete_parameter(Name=SECRET_PARAM)
    parameters.clear_caches()
    capsys.readouterr()
    assert post(app, ev.text_event("粗大ごみ"))["statusCode"] == 500
    metrics, _ = emitted(capsys)
    assert metrics["RequestsFailed"] == 1


def test_a_missing_log_salt_still_answers_and_counts_state_failures(stack, capsys):
    stack.monkeypatch.setenv("MADOGUCHI_LOG_SALT_PARAM", "/madoguchi/test/log-salt")  # never set
    app = stack.load_app()
    capsys.readouterr()
    response = post(
        app, ev.text_event("粗大ごみの出し方", reply_token=stack.line.issue_reply_token())
    )
    assert response["statusCode"] == 200
    # Without the salt there is no user reference, so no state and no log: a plain answer.
    (messages,) = stack.line.delivered()
    assert messages[0]["text"].startswith("■ 粗大ごみ")
    metrics, _ = emitted(capsys)
    assert metrics["StateFailures"] == 1
    assert metrics["ReplyFailures"] == 0


def test_a_request_for_staff_counts_as_a_handover(stack, capsys):
    app = stack.load_app()
    capsys.readouterr()
    event = ev.text_event("職員と話したい", reply_token=stack.line.issue_reply_token())
    assert post(app, event)["statusCode"] == 200
    metrics, _ = emitted(capsys)
    assert metrics["Handovers"] == 1
    assert metrics["ReplyFailures"] == 0


def test_an_answered_question_counts_without_handover_or_failure(stack, capsys):
    app = stack.load_app()
    capsys.readouterr()
    event = ev.text_event("粗大ごみの出し方", reply_token=stack.line.issue_reply_token())
    assert post(app, event)["statusCode"] == 200
    metrics, _ = emitted(capsys)
    assert metrics["Searches"] == 1 and metrics["NoAnswer"] == 0
    assert "Handovers" not in metrics and "RequestsFailed" not in metrics


def test_an_upload_the_indexer_cannot_read_counts_as_failed_and_raises(account, capsys):
    put = account.upload("uploads/faq.xlsx", b"any bytes")
    event = account.event_for("s3_object_created_japanese_key.json", put, key="uploads/faq.xlsx")
    account.app.DEPS = replace(account.app.DEPS, storage=S3Storage("a-bucket-that-does-not-exist"))
    capsys.readouterr()
    with pytest.raises(Exception):  # noqa: B017 - whatever S3 raised; Lambda retries it
        account.invoke(event)
    metrics, namespaces = emitted(capsys)
    assert metrics["UploadsFailed"] == 1
    assert namespaces == {"Madoguchi"}
