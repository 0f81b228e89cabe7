"""Broadcast, message quota and follower endpoints of the loopback LINE API.

Like LINE: a broadcast goes to every reachable friend and uses that many messages of the
month's quota; over the limit it is refused with 429; a retry key (a UUID) is accepted once,
and a second request with it gets 409 naming the accepted request. Tests set the plan and the
friends, and can make the next broadcast be accepted while its answer is lost (the case the
retry key exists for), or the follower figures not be ready.
"""

from __future__ import annotations

import re
import threading
import uuid
from dataclasses import dataclass, field
from typing import Any

from madoguchi_dev.line_api.rules import ReceivedCall, Response, error, invalid, validate_messages

BROADCAST = "/v2/bot/message/broadcast"
QUOTA = "/v2/bot/message/quota"
CONSUMPTION = "/v2/bot/message/quota/consumption"
FOLLOWERS = "/v2/bot/insight/followers"
_UUID = re.compile(r"^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$")
_DATE = re.compile(r"(?:^|[?&])date=(\d{8})(?:&|$)")


@dataclass
class Broadcast:
    """One accepted broadcast: its messages, retry key and how many friends it reached."""

    messages: list[dict[str, Any]]
    retry_key: str | None
    recipients: int
    request_id: str


@dataclass
class BroadcastRoutes:
    """The plan (quota), the friends, and every broadcast accepted."""

    quota_limit: int | None = None  # None: no monthly limit ("type": "none")
    used: int = 0  # messages sent this month before the tests' own
    followers: int = 120
    reachable: int = 100  # targeted reaches: friends a broadcast goes to (not blocked)
    followers_status: str = "ready"  # "unready" and "out_of_service" carry no figures
    sent: list[Broadcast] = field(default_factory=list)
    _retry_keys: dict[str, str] = field(default_factory=dict)
    _lose_answers: int = 0
    _failures: dict[str, list[int]] = field(default_factory=dict)  # path -> statuses to answer
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def routes(self) -> dict[tuple[str, str], Any]:
        """(method, path) -> handler, for the server's table."""
        table = {
            ("POST", BROADCAST): self._broadcast,
            ("GET", QUOTA): self._quota,
            ("GET", CONSUMPTION): self._consumption,
            ("GET", FOLLOWERS): self._followers,
        }
        return {key: self._failing(key[1], handler) for key, handler in table.items()}

    def fail_next_on(self, path: str, status: int = 500, times: int = 1) -> None:
        """Answer the next `times` calls to one of these paths with `status`, nothing done."""
        with self._lock:
            self._failures.setdefault(path, []).extend([status] * times)

    def _failing(self, path: str, handler: Any) -> Any:
        def route(call: ReceivedCall) -> Response:
            with self._lock:
                pending = self._failures.get(path)
                status = pending.pop(0) if pending else None
            if status is not None:
                return error(status, "Internal server error")
            return handler(call)

        return route

    def lose_next_answer(self, times: int = 1) -> None:
        """Accept the next `times` broadcasts, but answer 500 as if the answer was lost."""
        with self._lock:
            self._lose_answers += times

    def delivered(self) -> list[list[dict[str, Any]]]:
        """Message lists of the accepted broadcasts, oldest first."""
        with self._lock:
            return [b.messages for b in self.sent]

    def _broadcast(self, call: ReceivedCall) -> Response:
        body = call.body if isinstance(call.body, dict) else {}
        details = validate_messages(body.get("messages"))
        if details:
            return invalid(details)
        retry_key = call.headers.get("x-line-retry-key")
        if retry_key is not None and not _UUID.match(retry_key):
            return error(400, "The value for the 'X-Line-Retry-Key' header is invalid")
        request_id = str(uuid.uuid4())
        with self._lock:
            if retry_key is not None and retry_key in self._retry_keys:
                return Response(
                    409,
                    {"message": "The retry key is already accepted"},
                    {"x-line-accepted-request-id": self._retry_keys[retry_key]},
                )
            cost = self.reachable * len(body["messages"])
            if self.quota_limit is not None and self.used + cost > self.quota_limit:
                return error(429, "You have reached your monthly limit.")
            self.used += cost
            self.sent.append(Broadcast(body["messages"], retry_key, self.reachable, request_id))
            if retry_key is not None:
                self._retry_keys[retry_key] = request_id
            lose = self._lose_answers > 0
            if lose:
                self._lose_answers -= 1
        if lose:
            return error(500, "Internal server error")
        return Response(200, {}, {"x-line-request-id": request_id})

    def _quota(self, call: ReceivedCall) -> Response:
        with self._lock:
            limit = self.quota_limit
        if limit is None:
            return Response(200, {"type": "none"})
        return Response(200, {"type": "limited", "value": limit})

    def _consumption(self, call: ReceivedCall) -> Response:
        with self._lock:
            return Response(200, {"totalUsage": self.used})

    def _followers(self, call: ReceivedCall) -> Response:
        if not _DATE.search("?" + call.path.partition("?")[2]):
            return invalid([{"message": "must be yyyyMMdd", "property": "date"}])
        with self._lock:
            if self.followers_status != "ready":
                return Response(200, {"status": self.followers_status})
            return Response(
                200,
                {
                    "status": "ready",
                    "followers": self.followers,
                    "targetedReaches": self.reachable,
                    "blocks": self.followers - self.reachable,
                },
            )
