"""A LINE Messaging API on loopback, strict like LINE for the parts Madoguchi uses.

Tests and the local preview point the SDK's `Configuration(host=...)` here. It checks requests with
LINE's rules (`rules.py`), answers with LINE-shaped errors, records everything it received, and can
be told to fail or to be slow.
"""

from __future__ import annotations

import contextlib
import json
import re
import threading
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass, replace
from http.server import BaseHTTPRequestHandler
from typing import Any

from madoguchi_dev.line_api.broadcast_routes import BroadcastRoutes
from madoguchi_dev.line_api.richmenu_routes import RichMenuRoutes
from madoguchi_dev.line_api.rules import (
    ReceivedCall,
    Response,
    check_length,
    error,
    invalid,
    validate_messages,
)
from madoguchi_dev.loopback_http import LoopbackHTTPServer

REPLY_TOKEN_SECONDS = 60.0  # a reply token works once, within about a minute
PROFILE_PATH = "/v2/bot/profile/"
DROPPED = 0  # the recorded status of a request whose connection was closed unanswered
# Requests kept in `received` (the newest): tests look at a few, a load test sends thousands.
MAX_RECORDED = 10_000
_UUID = re.compile(r"^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$")


@dataclass(frozen=True)
class ReceivedRequest:
    """One request as the server saw it, and what it answered."""

    method: str
    path: str
    headers: dict[str, str]
    body: Any  # parsed JSON, or the raw text when it was not JSON
    status: int
    response: dict[str, Any]


Route = Callable[["ReceivedCall"], Response]


def _sent(messages: list) -> dict[str, Any]:
    return {
        "sentMessages": [
            {"id": str(uuid.uuid4().int)[:18], "quoteToken": uuid.uuid4().hex} for _ in messages
        ]
    }


@dataclass
class _Fault:
    status: int | None  # None: handled normally, only delayed or garbled
    delay: float
    remaining: int
    raw: bytes | None = None  # sent instead of the JSON answer
    drop: bool = False  # close the connection without answering
    path: str | None = None  # only requests to this path (None: any request)


class LineApiServer:
    """The loopback LINE API: `start()`, then point the SDK at `.url`; `stop()` when done."""

    def __init__(self, access_token: str | None = None, host: str = "127.0.0.1") -> None:
        self.access_token = access_token  # None accepts any bearer token
        self._host = host
        self._lock = threading.Lock()
        self._reply_tokens: dict[str, float] = {}  # token -> issued at (monotonic)
        self._retry_keys: dict[str, str] = {}  # push retry key -> accepted request id
        self._faults: list[_Fault] = []
        self.received: list[ReceivedRequest] = []
        self.routes: dict[tuple[str, str], Route] = {
            ("POST", "/v2/bot/message/reply"): self._reply,
            ("POST", "/v2/bot/message/push"): self._push,
        }
        self.rich_menus = RichMenuRoutes()
        self.profiles: dict[str, dict[str, str]] = {}  # user id -> LINE profile (friends only)
        self.broadcasts = BroadcastRoutes()  # the plan, the friends and what was broadcast
        self.routes.update(self.broadcasts.routes())
        self._server: LoopbackHTTPServer | None = None
        self._thread: threading.Thread | None = None

    # --- lifecycle -------------------------------------------------------------------------
    def start(self, port: int = 0) -> LineApiServer:
        """Listen on loopback (port 0: any free port) in a background thread."""
        server = LoopbackHTTPServer((self._host, port), _handler_for(self))
        self._server = server
        self._thread = threading.Thread(
            target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True
        )
        self._thread.start()
        return self

    @property
    def url(self) -> str:
        """Base URL for `Configuration(host=...)`."""
        if self._server is None:
            raise RuntimeError("the LINE API server is not started")
        host, port = self._server.server_address[:2]
        return f"http://{host!s}:{port}"

    def stop(self) -> None:
        """Stop listening and wait for the thread."""
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
            self._server = None
        if self._thread is not None:
            self._thread.join(timeout=5)
            self._thread = None

    def __enter__(self) -> LineApiServer:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    # --- what tests and the preview drive --------------------------------------------------
    def issue_reply_token(self, token: str | None = None) -> str:
        """Register a reply token (a fresh one by default), as LINE puts in a webhook event."""
        token = token or uuid.uuid4().hex
        with self._lock:
            self._reply_tokens[token] = time.monotonic()
        return token

    def set_profile(self, user_id: str, language: str | None = None, name: str = "住民") -> None:
        """Make `user_id` a friend whose profile says `language` (None: no language, as LINE
        leaves it out when it does not know)."""
        profile = {"userId": user_id, "displayName": name}
        if language is not None:
            profile["language"] = language
        with self._lock:
            self.profiles[user_id] = profile

    def fail_next(
        self, status: int = 500, times: int = 1, delay: float = 0.0, path: str | None = None
    ) -> None:
        """Answer the next `times` requests (to `path` only, when given) with `status` (e.g. 500
        or 429)."""
        with self._lock:
            self._faults.append(_Fault(status, delay, times, path=path))

    def delay_next(self, seconds: float, times: int = 1, path: str | None = None) -> None:
        """Hold the next `times` requests (to `path` only, when given) this long before handling
        them normally."""
        with self._lock:
            self._faults.append(_Fault(None, seconds, times, path=path))

    def garble_next(
        self, body: bytes = b"<html>Bad Gateway</html>", times: int = 1, status: int | None = None
    ) -> None:
        """Handle the next `times` requests normally (or fail them with `status`), but answer
        with `body` instead of LINE's JSON, as a broken proxy or a changed API might."""
        with self._lock:
            self._faults.append(_Fault(status, 0.0, times, body))

    def drop_next(self, times: int = 1) -> None:
        """Close the connection of the next `times` requests without answering them (recorded
        with status 0), as a network failure or a crashed proxy would."""
        with self._lock:
            self._faults.append(_Fault(None, 0.0, times, drop=True))

    def reset(self) -> None:
        """Forget what was received and the faults not yet served: a clean start for a test."""
        with self._lock:
            self.received.clear()
            self._faults.clear()

    def requests_to(self, path: str) -> list[ReceivedRequest]:
        """Recorded requests for one path, oldest first."""
        with self._lock:
            return [r for r in self.received if r.path == path]

    def delivered(self, path: str = "/v2/bot/message/reply") -> list[list[dict]]:
        """Message lists LINE would have shown, one per accepted reply (or push)."""
        return [r.body["messages"] for r in self.requests_to(path) if r.status == 200]

    # --- request handling ------------------------------------------------------------------
    def handle(self, method: str, path: str, headers: dict[str, str], raw: bytes) -> Response:
        """Route one request and record it."""
        fault = self._take_fault(path)
        if fault is not None and fault.delay:
            time.sleep(fault.delay)
        body: Any = raw.decode("utf-8", "replace")
        response = self._respond(method, path, headers, raw, fault)
        if fault is not None and fault.drop:
            response = Response(DROPPED, {})
        if fault is not None and fault.raw is not None:
            response = replace(response, raw=fault.raw)
        with contextlib.suppress(ValueError):
            body = json.loads(raw) if raw else None
        with self._lock:
            self.received.append(
                ReceivedRequest(method, path, headers, body, response.status, response.body)
            )
            if len(self.received) > MAX_RECORDED + MAX_RECORDED // 10:
                # A long load test must not grow without bound: the oldest go, a batch at a time.
                del self.received[: len(self.received) - MAX_RECORDED]
        return response

    def _take_fault(self, path: str) -> _Fault | None:
        with self._lock:
            if not self._faults:
                return None
            fault = self._faults[0]
            if fault.path is not None and fault.path != path.split("?", 1)[0]:
                return None  # meant for another path: this request goes through
            fault.remaining -= 1
            if fault.remaining <= 0:
                self._faults.pop(0)
            return fault

    def _respond(
        self, method: str, path: str, headers: dict[str, str], raw: bytes, fault: _Fault | None
    ) -> Response:
        if fault is not None and fault.status is not None:
            if fault.status == 429:
                return error(429, "The API rate limit has been exceeded. Try again later.")
            return error(fault.status, "Internal server error")
        route = self.routes.get((method, path.split("?", 1)[0]))
        route = route or self.rich_menus.route(method, path)
        if route is None and method == "GET" and path.startswith(PROFILE_PATH):
            route = self._profile
        if route is None:
            return error(404, "Not found")
        authorization = headers.get("authorization", "")
        token = authorization[7:] if authorization.startswith("Bearer ") else ""
        if not token or (self.access_token is not None and token != self.access_token):
            return error(
                401,
                "Authentication failed. Confirm that the access token in the authorization "
                "header is valid.",
            )
        if getattr(route, "raw_body", False):
            body = raw  # an image upload or an empty POST: the route reads the bytes itself
        elif method in ("POST", "PUT"):
            if not headers.get("content-type", "").startswith("application/json"):
                return error(415, "Unsupported Media Type")
            try:
                body = json.loads(raw)
            except ValueError:
                return error(400, "The request body could not be parsed as JSON")
        else:
            body = None
        return route(ReceivedCall(method, path, headers, body))

    def _reply(self, call: ReceivedCall) -> Response:
        body = call.body if isinstance(call.body, dict) else {}
        details = check_length(body.get("replyToken"), "replyToken", 200)
        details += validate_messages(body.get("messages"))
        if details:
            return invalid(details)
        with self._lock:
            issued = self._reply_tokens.pop(body["replyToken"], None)
        if issued is None or time.monotonic() - issued > REPLY_TOKEN_SECONDS:
            return error(400, "Invalid reply token")
        return Response(200, _sent(body["messages"]), {"x-line-request-id": str(uuid.uuid4())})

    def _profile(self, call: ReceivedCall) -> Response:
        """GET /v2/bot/profile/{userId}: 404 for anyone who is not a friend, as LINE."""
        with self._lock:
            profile = self.profiles.get(call.path[len(PROFILE_PATH) :].split("?", 1)[0])
        if profile is None:
            return error(404, "Not found")
        return Response(200, dict(profile), {"x-line-request-id": str(uuid.uuid4())})

    def _push(self, call: ReceivedCall) -> Response:
        body = call.body if isinstance(call.body, dict) else {}
        details = check_length(body.get("to"), "to", 100)
        details += validate_messages(body.get("messages"))
        if details:
            return invalid(details)
        retry_key = call.headers.get("x-line-retry-key")
        request_id = str(uuid.uuid4())
        if retry_key is not None:
            if not _UUID.match(retry_key):
                return error(400, "The value for the 'X-Line-Retry-Key' header is invalid")
            with self._lock:
                accepted = self._retry_keys.get(retry_key)
                if accepted is None:
                    self._retry_keys[retry_key] = request_id
            if accepted is not None:
                return Response(
                    409,
                    {"message": "The retry key is already accepted"},
                    {"x-line-accepted-request-id": accepted},
                )
        return Response(200, _sent(body["messages"]), {"x-line-request-id": request_id})


def _handler_for(api: LineApiServer) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"  # keep-alive, like LINE; the SDK reuses connections
        # Headers and body go out as two writes; with Nagle's algorithm the body would wait for
        # the client's delayed ACK (tens of milliseconds per request).
        disable_nagle_algorithm = True

        def _serve(self) -> None:
            length = int(self.headers.get("Content-Length") or 0)
            raw = self.rfile.read(length) if length else b""
            headers = {k.lower(): v for k, v in self.headers.items()}
            response = api.handle(self.command, self.path, headers, raw)
            if response.status == DROPPED:
                self.close_connection = True
                return
            payload = response.raw
            if payload is None:
                payload = json.dumps(response.body, ensure_ascii=False).encode()
            try:
                self.send_response(response.status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(payload)))
                for key, value in response.headers.items():
                    self.send_header(key, value)
                self.end_headers()
                self.wfile.write(payload)
            except (BrokenPipeError, ConnectionResetError):
                pass  # the client gave up (a timeout test); the request is still recorded

        do_GET = do_POST = do_PUT = do_DELETE = _serve

        def log_message(self, format: str, *args: Any) -> None:
            pass  # recorded in api.received instead of printed

    return Handler
