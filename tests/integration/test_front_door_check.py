"""The scheduled front-door check against the real webhook handler served over loopback HTTP
(as API Gateway would call it), with the channel secret in SSM (moto)."""

from __future__ import annotations

import importlib
import json
import sys
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import boto3
import pytest

from madoguchi_dev.lambda_runtime import LocalContext, http_api_event
from tests.support.webhook_stack import SECRET_PARAM, invoke, webhook_stack

CONTEXT = LocalContext(
    "madoguchi-healthcheck", aws_request_id="11111111-2222-4333-8444-555555555555"
)


@contextmanager
def served(app: Any) -> Iterator[tuple[str, list[dict]]]:
    """The webhook handler behind a loopback HTTP server; yields its URL and what it answered."""
    answered: list[dict] = []

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            body = self.rfile.read(int(self.headers["Content-Length"])).decode()
            headers = {k.lower(): v for k, v in self.headers.items()}
            response = invoke(app, http_api_event(body, headers, base64_body=False))
            answered.append(response)
            self.send_response(response["statusCode"])
            self.end_headers()
            self.wfile.write(str(response.get("body", "")).encode())

        def log_message(self, format: str, *args: Any) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/webhook", answered
    finally:
        server.shutdown()
        server.server_close()


def check(monkeypatch, url: str, capsys, secret_param: str = SECRET_PARAM) -> tuple[dict, dict]:
    """Run the health-check handler once; its result and the metrics it printed."""
    monkeypatch.setenv("MADOGUCHI_WEBHOOK_URL", url)
    monkeypatch.setenv("MADOGUCHI_CHANNEL_SECRET_PARAM", secret_param)
    sys.modules.pop("functions.healthcheck.app", None)
    app = importlib.import_module("functions.healthcheck.app")
    capsys.readouterr()
    result = app.lambda_handler({}, CONTEXT)
    lines = [json.loads(line) for line in capsys.readouterr().out.splitlines() if line.strip()]
    [emf] = [line for line in lines if "_aws" in line and line.get("service") == "healthcheck"]
    return result, emf


@pytest.fixture
def stack(monkeypatch):
    with webhook_stack(monkeypatch) as stack:
        stack.app = stack.load_app()
        yield stack


def test_a_healthy_front_door_answers_the_signed_verification(stack, monkeypatch, capsys):
    with served(stack.app) as (url, answered):
        result, emf = check(monkeypatch, url, capsys)
    assert result == {"healthy": True, "status": 200}
    assert emf["FrontDoorFailures"] == [0.0]
    # Exactly LINE's verification: answered 200 with no events, nothing sent to anyone.
    assert [a["statusCode"] for a in answered] == [200]
    assert answered[0]["body"] == "no events"
    assert stack.line.delivered() == [] and stack.line.delivered("/v2/bot/message/push") == []


def test_a_wrong_secret_in_ssm_makes_the_check_fail(stack, monkeypatch, capsys):
    # The check signs with another secret than the one the webhook verifies with.
    ssm = boto3.client("ssm", region_name="ap-northeast-1")
    ssm.put_parameter(Name="/madoguchi/other/secret", Value="not-ours", Type="SecureString")
    with served(stack.app) as (url, _):
        result, emf = check(monkeypatch, url, capsys, "/madoguchi/other/secret")
    assert result == {"healthy": False, "status": 401}
    assert emf["FrontDoorFailures"] == [1.0]


def test_no_answer_at_all_is_a_failure(stack, monkeypatch, capsys):
    with served(stack.app) as (url, _):
        pass  # the server is gone: connection refused
    result, emf = check(monkeypatch, url, capsys)
    assert result == {"healthy": False, "status": None}
    assert emf["FrontDoorFailures"] == [1.0]
