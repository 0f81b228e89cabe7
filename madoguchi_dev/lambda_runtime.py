"""Run the Lambda handlers on this machine the way AWS does: load `app.py` from the function's
code directory, and hand it API Gateway / S3 events and a context object."""

from __future__ import annotations

import base64
import importlib.util
import json
import time
import uuid
from datetime import UTC, datetime
from pathlib import Path
from types import ModuleType
from typing import Any
from urllib.parse import quote_plus


class LocalContext:
    """The parts of a Lambda context that powertools reads."""

    function_version = "$LATEST"
    log_group_name = "/aws/lambda/local"
    log_stream_name = "local"

    def __init__(
        self,
        function_name: str,
        *,
        memory_limit_in_mb: int = 512,
        aws_request_id: str | None = None,
        account: str = "000000000000",
    ) -> None:
        self.function_name = function_name
        self.memory_limit_in_mb = memory_limit_in_mb
        self.invoked_function_arn = (
            f"arn:aws:lambda:ap-northeast-1:{account}:function:{function_name}"
        )
        self.aws_request_id = aws_request_id or str(uuid.uuid4())

    @staticmethod
    def get_remaining_time_in_millis() -> int:
        """As if a fresh 30-second invocation had just begun."""
        return 30_000


def load_handler_module(code_dir: Path, name: str) -> ModuleType:
    """Import `code_dir/app.py` as Lambda does (its module-level init runs now)."""
    spec = importlib.util.spec_from_file_location(name, code_dir / "app.py")
    if spec is None or spec.loader is None:
        raise FileNotFoundError(f"no handler at {code_dir / 'app.py'}")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def http_api_event(
    body: str,
    headers: dict[str, str],
    *,
    path: str = "/webhook",
    base64_body: bool = True,
    request_id: str | None = None,
    time_epoch_ms: int | None = None,
    source_ip: str = "127.0.0.1",
    api_id: str | None = None,
    account_id: str | None = None,
) -> dict[str, Any]:
    """An API Gateway HTTP API (payload 2.0) POST event, as LINE's requests reach the webhook.

    Headers are kept as given (API Gateway lowercases them; a test may not). Without `api_id` and
    `account_id` the request context has only what the handlers read.
    """
    epoch_ms = int(time.time() * 1000) if time_epoch_ms is None else time_epoch_ms
    moment = datetime.fromtimestamp(epoch_ms / 1000, UTC)
    context: dict[str, Any] = {}
    if account_id is not None:
        context["accountId"] = account_id
    if api_id is not None:
        context["apiId"] = api_id
        context["domainName"] = f"{api_id}.execute-api.ap-northeast-1.amazonaws.com"
    http = {"method": "POST", "path": path, "protocol": "HTTP/1.1", "sourceIp": source_ip}
    agent = next((v for k, v in headers.items() if k.lower() == "user-agent"), None)
    if agent is not None:
        http["userAgent"] = agent
    context.update(
        {
            "http": http,
            "requestId": request_id or str(uuid.uuid4()),
            "routeKey": f"POST {path}",
            "stage": "$default",
            "time": moment.strftime("%d/%b/%Y:%H:%M:%S +0000"),
            "timeEpoch": epoch_ms,
        }
    )
    return {
        "version": "2.0",
        "routeKey": f"POST {path}",
        "rawPath": path,
        "rawQueryString": "",
        "headers": dict(headers),
        "requestContext": context,
        "body": base64.b64encode(body.encode()).decode() if base64_body else body,
        "isBase64Encoded": base64_body,
    }


def s3_put_event(
    bucket: str, key: str, size: int, etag: str, *, version_id: str | None = None
) -> dict[str, Any]:
    """An S3 ObjectCreated:Put notification; the key is URL-encoded as S3 sends it, and a
    versioned bucket adds the new object's versionId."""
    now = datetime.now(UTC)
    event: dict[str, Any] = {
        "Records": [
            {
                "eventVersion": "2.1",
                "eventSource": "aws:s3",
                "awsRegion": "ap-northeast-1",
                "eventTime": now.isoformat(timespec="milliseconds").replace("+00:00", "Z"),
                "eventName": "ObjectCreated:Put",
                "s3": {
                    "s3SchemaVersion": "1.0",
                    "bucket": {"name": bucket, "arn": f"arn:aws:s3:::{bucket}"},
                    "object": {
                        "key": quote_plus(key, safe="/"),
                        "size": size,
                        "eTag": etag,
                        # Increasing, like S3's sequencer, so later uploads win.
                        "sequencer": f"{time.time_ns():020X}",
                    },
                },
            }
        ]
    }
    if version_id is not None:
        event["Records"][0]["s3"]["object"]["versionId"] = version_id
    return event


def decode_body(response: dict[str, Any]) -> str:
    """The body of a handler's HTTP response."""
    body = response.get("body") or ""
    return base64.b64decode(body).decode() if response.get("isBase64Encoded") else body


def parse_json(text: str) -> Any:
    """JSON, or None when the text is not JSON."""
    try:
        return json.loads(text)
    except ValueError:
        return None
