"""The only module that talks to the LINE Messaging API."""

from __future__ import annotations

import json
import logging
import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import urllib3

# Modules, not the package: linebot.v3.messaging's __init__ imports every API client, sync and
# async (see madoguchi.line_sdk).
from linebot.v3.messaging.api_client import ApiClient
from linebot.v3.messaging.configuration import Configuration
from linebot.v3.messaging.exceptions import ApiException
from linebot.v3.messaging.models.message import Message
from linebot.v3.messaging.models.reply_message_request import ReplyMessageRequest

logger = logging.getLogger(__name__)

# LINE gives up on a webhook after about 2 s; a reply slower than this is worth less than
# answering the other events of the batch. The webhook passes less when its deadline is near.
DEFAULT_TIMEOUT_SECONDS = 1.5
# Connecting to LINE (TCP and TLS) takes tens of milliseconds, and a kept-alive connection skips
# it altogether; the rest of a call's time is for LINE's answer.
CONNECT_TIMEOUT_SECONDS = 0.3
MIN_READ_SECONDS = 0.05
# Connections kept per host: replies of one webhook request go out in parallel.
MAX_CONNECTIONS = 8
LINE_API_HOST = "https://api.line.me"
# The profile is asked for while a resident waits for an answer: a slow LINE costs only the
# resident's language, never the answer.
PROFILE_TIMEOUT_SECONDS = 0.4
_USER_ID = re.compile(r"U[0-9a-f]{32}")


def line_api_client(access_token: str, host: str | None = None) -> ApiClient:
    """An SDK client for LINE itself, or for the loopback LINE API when `host` is given."""
    configuration = Configuration(access_token=access_token, host=host)
    # No automatic retries: a retried reply could arrive twice or too late, and a repeated
    # rich menu create would leave a duplicate menu behind.
    configuration.retries = 0
    configuration.connection_pool_maxsize = MAX_CONNECTIONS
    return ApiClient(configuration)


def request_timeout(seconds: float) -> tuple[float, float]:
    """(connect, read) timeouts for a call that should be over within `seconds`. A new
    connection that is slow to open as well may add its connect timeout (0.3 s), which the
    webhook's deadline leaves room for inside LINE's 2 s."""
    return min(CONNECT_TIMEOUT_SECONDS, seconds / 2), max(seconds, MIN_READ_SECONDS)


class RichMenuApiError(RuntimeError):
    """A rich menu call failed; says which call and LINE's status, never the token."""

    def __init__(self, operation: str, status: int | None, detail: str | None) -> None:
        self.operation, self.status, self.detail = operation, status, detail
        shown = f"HTTP {status}" if status is not None else "no answer"
        super().__init__(f"LINE {operation} failed ({shown}){': ' + detail if detail else ''}")


def call_line(
    client: ApiClient,
    method: str,
    path: str,
    *,
    body: Any = None,
    timeout: float = DEFAULT_TIMEOUT_SECONDS,
) -> Any:
    """One call to the Messaging API through the SDK's client, as its generated `MessagingApi`
    makes it, without importing that module (every operation of the API, 0.7 s to import). The
    answer is not parsed: its bytes are in `.raw_data`; a status other than 2xx raises the SDK's
    ApiException. `path` must already be quoted."""
    headers = {"Accept": "application/json"}
    if body is not None:
        headers["Content-Type"] = "application/json"
    return client.call_api(
        path,
        method,
        {},
        [],
        headers,
        body=body,
        post_params=[],
        files={},
        response_types_map={},
        auth_settings=["Bearer"],
        collection_formats={},
        _host=LINE_API_HOST,
        _request_timeout=request_timeout(timeout),
        # Nothing is parsed into the SDK's models: a body they reject must not turn a call that
        # LINE carried out into an error.
        _preload_content=False,
    )


@dataclass(frozen=True)
class SendResult:
    """How one call to LINE went; failures are values, not exceptions, so a batch goes on."""

    ok: bool
    status: int | None = None  # HTTP status; None when LINE never answered
    error: str | None = None  # short reason for logs: "timeout", "connection", LINE's message
    request_id: str | None = None  # LINE's x-line-request-id, for support requests to LINE
    body: bytes | None = None  # LINE's answer, when the caller reads it

    @property
    def retryable(self) -> bool:
        """True when trying again later might work (LINE busy, down, or unreachable)."""
        return not self.ok and (self.status is None or self.status == 429 or self.status >= 500)


class LineMessenger:
    """Sends replies; a loopback `host` serves tests and the local preview."""

    def __init__(
        self,
        access_token: str,
        host: str | None = None,
        api_client: ApiClient | None = None,
        *,
        timeout_seconds: float = DEFAULT_TIMEOUT_SECONDS,
    ) -> None:
        if api_client is None:
            api_client = line_api_client(access_token, host)
        self._client = api_client
        self._timeout = timeout_seconds

    def reply(
        self, reply_token: str, messages: Sequence[Message], *, timeout: float | None = None
    ) -> SendResult:
        """Answer an event with its reply token (usable once, within about a minute), giving
        LINE at most `timeout` seconds (default: the messenger's own)."""
        request = ReplyMessageRequest(reply_token=reply_token, messages=list(messages))
        seconds = self._timeout if timeout is None else min(timeout, self._timeout)
        return self._call(
            "reply",
            lambda: call_line(
                self._client, "POST", "/v2/bot/message/reply", body=request, timeout=seconds
            ),
        )

    def profile_language(
        self, user_id: str, *, timeout: float = PROFILE_TIMEOUT_SECONDS
    ) -> str | None:
        """The `language` of the resident's LINE profile ("" when the profile has none), or
        None when LINE could not tell (the failure is logged, without the user id)."""
        if not _USER_ID.fullmatch(user_id or ""):
            return None
        path = f"/v2/bot/profile/{user_id}"
        got = self._call(
            "get profile", lambda: call_line(self._client, "GET", path, timeout=timeout), keep=True
        )
        if not got.ok or got.body is None:
            return None
        try:
            language = json.loads(got.body).get("language") or ""
        except (ValueError, AttributeError):
            logger.warning("LINE get profile answer unreadable", extra={"line_error": "body"})
            return None
        return language if isinstance(language, str) else ""

    def _call(self, operation: str, send, *, keep: bool = False) -> SendResult:
        # Only statuses and LINE's own error text are logged: never user IDs or message text.
        try:
            response = send()
        except ApiException as error:
            result = SendResult(
                False,
                error.status,
                line_message(error.body),
                header_value(error.headers, "x-line-request-id"),
            )
            logger.warning(
                "LINE %s failed",
                operation,
                extra={
                    "line_status": result.status,
                    "line_error": result.error,
                    "line_request_id": result.request_id,
                },
            )
            return result
        except (urllib3.exceptions.HTTPError, OSError) as error:
            reason = _no_answer_reason(error)
            logger.warning(
                "LINE %s got no answer",
                operation,
                extra={"line_error": reason, "line_exception": type(error).__name__},
            )
            return SendResult(False, None, reason)
        except Exception as error:
            # The SDK could not read LINE's answer (e.g. an error body that is not UTF-8): a
            # failure to report, never an exception that stops the other replies.
            context = error.__context__
            status = context.status if isinstance(context, ApiException) else None
            logger.warning(
                "LINE %s answer unreadable",
                operation,
                extra={
                    "line_status": status,
                    "line_error": "unreadable",
                    "line_exception": type(error).__name__,
                },
            )
            return SendResult(False, status, "unreadable")
        body = response.raw_data if keep else None
        return SendResult(
            True,
            response.status_code,
            None,
            header_value(response.headers, "x-line-request-id"),
            body,
        )


def _no_answer_reason(error: Exception) -> str:
    cause = error.reason if isinstance(error, urllib3.exceptions.MaxRetryError) else error
    if isinstance(cause, urllib3.exceptions.NewConnectionError | ConnectionError):
        return "connection"  # checked first: urllib3 makes NewConnectionError a timeout subclass
    timeouts = (urllib3.exceptions.TimeoutError, TimeoutError)
    return "timeout" if isinstance(cause, timeouts) else "connection"


def header_value(headers, name: str) -> str | None:
    """One response header, looked up case-insensitively (None when absent)."""
    for key, value in dict(headers or {}).items():
        if key.lower() == name:
            return str(value)
    return None


def _error_body(body) -> dict | None:
    """LINE's error answer as JSON with a `message`, or None for anything else."""
    if not body:
        return None
    try:
        data = json.loads(body)
    except (TypeError, ValueError):
        return None
    return data if isinstance(data, dict) and data.get("message") else None


def line_message(body) -> str | None:
    """LINE's error `message` (e.g. "Invalid reply token"), without the request details."""
    data = _error_body(body)
    return str(data["message"])[:200] if data is not None else None


def error_detail(body) -> str | None:
    """LINE's error `message` and details, short, without request data."""
    data = _error_body(body)
    if data is None:
        return None
    details = "; ".join(
        f"{d.get('property', '')}: {d.get('message', '')}"
        for d in data.get("details") or []
        if isinstance(d, dict)
    )
    return (str(data["message"]) + (f" ({details})" if details else ""))[:300]
