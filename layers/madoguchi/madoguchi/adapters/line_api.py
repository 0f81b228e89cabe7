"""The only module that talks to the LINE Messaging API."""

from __future__ import annotations

import json
import logging
from collections.abc import Sequence
from dataclasses import dataclass

import urllib3
from linebot.v3.messaging import (
    ApiClient,
    ApiException,
    Configuration,
    Message,
    MessagingApi,
    ReplyMessageRequest,
)

logger = logging.getLogger(__name__)

# LINE gives up on a webhook after 2 s; a reply slower than this is worth less than answering
# the other events of the batch.
DEFAULT_TIMEOUT_SECONDS = 1.5


def line_api_client(access_token: str, host: str | None = None) -> ApiClient:
    """An SDK client for LINE itself, or for the loopback LINE API when `host` is given."""
    configuration = Configuration(access_token=access_token, host=host)
    # No automatic retries: a retried reply could arrive twice or too late, and a repeated
    # rich menu create would leave a duplicate menu behind.
    configuration.retries = 0
    return ApiClient(configuration)


@dataclass(frozen=True)
class SendResult:
    """How one call to LINE went; failures are values, not exceptions, so a batch goes on."""

    ok: bool
    status: int | None = None  # HTTP status; None when LINE never answered
    error: str | None = None  # short reason for logs: "timeout", "connection", LINE's message
    request_id: str | None = None  # LINE's x-line-request-id, for support requests to LINE

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
        self._api = MessagingApi(api_client)
        self._timeout = timeout_seconds

    def reply(self, reply_token: str, messages: Sequence[Message]) -> SendResult:
        """Answer an event with its reply token (usable once, within about a minute)."""
        request = ReplyMessageRequest(reply_token=reply_token, messages=list(messages))
        return self._call(
            "reply", lambda: self._api.reply_message_with_http_info(request, **self._options())
        )

    def _options(self) -> dict[str, float]:
        return {"_request_timeout": self._timeout}

    def _call(self, operation: str, send) -> SendResult:
        # Only statuses and LINE's own error text are logged: never user IDs or message text.
        try:
            response = send()
        except ApiException as error:
            result = SendResult(
                False, error.status, _line_message(error.body), _request_id(error.headers)
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
        return SendResult(True, response.status_code, None, _request_id(response.headers))


def _no_answer_reason(error: Exception) -> str:
    cause = error.reason if isinstance(error, urllib3.exceptions.MaxRetryError) else error
    if isinstance(cause, urllib3.exceptions.NewConnectionError | ConnectionError):
        return "connection"  # checked first: urllib3 makes NewConnectionError a timeout subclass
    timeouts = (urllib3.exceptions.TimeoutError, TimeoutError)
    return "timeout" if isinstance(cause, timeouts) else "connection"


def _request_id(headers) -> str | None:
    if not headers:
        return None
    for key, value in dict(headers).items():
        if key.lower() == "x-line-request-id":
            return str(value)
    return None


def _line_message(body) -> str | None:
    """LINE's error `message` (e.g. "Invalid reply token"), without the request details."""
    if not body:
        return None
    try:
        data = json.loads(body)
    except (TypeError, ValueError):
        return None
    message = data.get("message") if isinstance(data, dict) else None
    return str(message)[:200] if message else None
