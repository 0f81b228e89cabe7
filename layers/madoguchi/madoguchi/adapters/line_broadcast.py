"""The only module that sends a message to every friend at once (LINE's broadcast), and reads
what that costs first: the month's message quota, what was used of it, and the number of
friends (insight). Used by the indexer after a publish; never by the webhook.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass

import urllib3
from linebot.v3.insight.api.insight import Insight
from linebot.v3.insight.api_client import ApiClient as InsightClient
from linebot.v3.insight.configuration import Configuration as InsightConfiguration
from linebot.v3.insight.exceptions import ApiException as InsightApiException

# Modules, not the packages: their __init__ files import every client, async ones included.
from linebot.v3.messaging.api.messaging_api import MessagingApi
from linebot.v3.messaging.api_client import ApiClient
from linebot.v3.messaging.exceptions import ApiException
from linebot.v3.messaging.models.broadcast_request import BroadcastRequest
from linebot.v3.messaging.models.message import Message

from madoguchi.adapters.line_api import (
    header_value,
    line_api_client,
    line_message,
    request_timeout,
)

DEFAULT_TIMEOUT_SECONDS = 10.0  # the indexer is not in a hurry; LINE answers in well under 1 s


class BroadcastApiError(RuntimeError):
    """A quota, consumption or follower call failed; says which and LINE's status, no token."""

    def __init__(self, operation: str, status: int | None, detail: str | None) -> None:
        self.operation, self.status, self.detail = operation, status, detail
        shown = f"HTTP {status}" if status is not None else "no answer"
        super().__init__(f"LINE {operation} failed ({shown}){': ' + detail if detail else ''}")


@dataclass(frozen=True)
class Quota:
    """The month's message quota: `limit` None when the plan sets none."""

    limit: int | None
    used: int

    @property
    def remaining(self) -> int | None:
        """Messages that can still be sent this month (None: no limit)."""
        return None if self.limit is None else max(0, self.limit - self.used)


@dataclass(frozen=True)
class Followers:
    """Friends on one day: `reachable` (targeted reaches) are the ones a broadcast goes to;
    None when LINE has no figure (not ready yet, or too few friends for statistics)."""

    status: str  # "ready", "unready" or "out_of_service"
    followers: int | None = None
    reachable: int | None = None


@dataclass(frozen=True)
class BroadcastResult:
    """How one broadcast went: accepted now, already accepted with this retry key, or not."""

    accepted: bool
    status: int | None
    duplicate: bool = False  # LINE had accepted this retry key before (a retry)
    request_id: str | None = None
    error: str | None = None

    @property
    def retryable(self) -> bool:
        """True when the same retry key may be tried again later (LINE busy or unreachable)."""
        return not self.accepted and (self.status is None or self.status >= 500)


def new_retry_key() -> str:
    """A retry key as LINE wants it: a UUID in hexadecimal form."""
    return str(uuid.uuid4())


class LineBroadcastApi:
    """Quota, friends and broadcast; a loopback `host` serves tests and the local preview."""

    def __init__(
        self,
        access_token: str,
        host: str | None = None,
        api_client: ApiClient | None = None,
        insight_client: InsightClient | None = None,
        *,
        timeout_seconds: float = DEFAULT_TIMEOUT_SECONDS,
    ) -> None:
        if api_client is None:
            api_client = line_api_client(access_token, host)
        if insight_client is None:
            configuration = InsightConfiguration(access_token=access_token, host=host)
            configuration.retries = 0
            insight_client = InsightClient(configuration)
        self._api = MessagingApi(api_client)
        self._insight = Insight(insight_client)
        self._timeout = request_timeout(timeout_seconds)

    def quota(self) -> Quota:
        """This month's limit and what was used of it."""
        limit = self._call("get message quota", self._api.get_message_quota)
        used = self._call("get quota consumption", self._api.get_message_quota_consumption)
        kind = getattr(limit.type, "value", limit.type)
        return Quota(
            limit=int(limit.value or 0) if kind == "limited" else None,
            used=int(used.total_usage or 0),
        )

    def followers(self, day: str) -> Followers:
        """Friends on `day` (yyyyMMdd, Japan time; LINE has figures up to yesterday)."""
        found = self._call("get followers", self._insight.get_number_of_followers, day)
        status = str(getattr(found.status, "value", found.status) or "")
        return Followers(status, found.followers, found.targeted_reaches)

    def broadcast(self, messages: Sequence[Message], retry_key: str) -> BroadcastResult:
        """Send to every friend; LINE accepts one request per `retry_key` (a retry gets 409)."""
        request = BroadcastRequest(messages=list(messages))
        try:
            response = self._api.broadcast_with_http_info(
                request,
                x_line_retry_key=retry_key,
                _request_timeout=self._timeout,
                _preload_content=False,
            )
        except ApiException as error:
            if error.status == 409:
                accepted = header_value(error.headers, "x-line-accepted-request-id")
                return BroadcastResult(True, 409, duplicate=True, request_id=accepted)
            return BroadcastResult(False, error.status, error=line_message(error.body))
        except (urllib3.exceptions.HTTPError, OSError) as error:
            return BroadcastResult(False, None, error=type(error).__name__)
        status = int(getattr(response, "status_code", None) or 200)
        return BroadcastResult(
            True, status, request_id=header_value(response.headers, "x-line-request-id")
        )

    def _call(self, operation: str, method, *args):
        try:
            return method(*args, _request_timeout=self._timeout)
        except (ApiException, InsightApiException) as error:
            raise BroadcastApiError(operation, error.status, line_message(error.body)) from None
        except (urllib3.exceptions.HTTPError, OSError) as error:
            raise BroadcastApiError(operation, None, type(error).__name__) from None
        except ValueError as error:  # an answer the SDK's models reject (pydantic)
            raise BroadcastApiError(operation, None, "unreadable") from error
