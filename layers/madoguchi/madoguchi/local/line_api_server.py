"""A LINE Messaging API on loopback, strict like LINE for the parts Madoguchi uses.

Tests and the local preview point the SDK's `Configuration(host=...)` here. It checks requests the
way LINE does, answers with LINE-shaped errors, records everything it received, and can be told to
fail or to be slow.
"""

from __future__ import annotations

import contextlib
import json
import re
import threading
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

MAX_MESSAGES = 5
MAX_TEXT_LENGTH = 5000
MAX_QUICK_REPLY_ITEMS = 13
MAX_QUICK_REPLY_LABEL = 20
MAX_ACTION_LABEL = 40  # flex components; quick replies allow only 20
MAX_POSTBACK_DATA = 300
MAX_DISPLAY_TEXT = 300
MAX_ALT_TEXT = 400
MAX_CAROUSEL_BUBBLES = 12
MAX_BUBBLE_BYTES = 30_000
MAX_CAROUSEL_BYTES = 50_000
REPLY_TOKEN_SECONDS = 60.0  # a reply token works once, within about a minute
_UUID = re.compile(r"^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$")
_ACTION_TYPES = {"postback", "message", "uri", "datetimepicker", "camera", "cameraRoll", "location"}

Detail = dict[str, str]


@dataclass(frozen=True)
class Response:
    """An HTTP answer: status, JSON body, extra headers."""

    status: int
    body: dict[str, Any]
    headers: dict[str, str] = field(default_factory=dict)


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


@dataclass(frozen=True)
class ReceivedCall:
    """What a route handler gets: the parsed request."""

    method: str
    path: str
    headers: dict[str, str]
    body: Any


def error(status: int, message: str, details: list[Detail] | None = None) -> Response:
    """A LINE-shaped error."""
    body: dict[str, Any] = {"message": message}
    if details:
        body["details"] = details
    return Response(status, body)


def _detail(prop: str, message: str) -> Detail:
    return {"message": message, "property": prop}


def _check_length(value: Any, prop: str, limit: int, *, required: bool = True) -> list[Detail]:
    if value is None:
        return [_detail(prop, "must be specified")] if required else []
    if not isinstance(value, str):
        return [_detail(prop, "must be a string")]
    if required and not value:
        return [_detail(prop, "may not be empty")]
    if len(value) > limit:
        return [_detail(prop, f"Length must be between 0 and {limit}")]
    return []


def validate_action(action: Any, prop: str, *, label_limit: int | None) -> list[Detail]:
    """One action object; `label_limit` None means the label is optional and unchecked."""
    if not isinstance(action, dict):
        return [_detail(prop, "must be specified")]
    kind = action.get("type")
    if kind not in _ACTION_TYPES:
        return [_detail(f"{prop}.type", "invalid action type")]
    details: list[Detail] = []
    if label_limit is not None:
        details += _check_length(action.get("label"), f"{prop}.label", label_limit)
    elif action.get("label") is not None:
        details += _check_length(action.get("label"), f"{prop}.label", MAX_ACTION_LABEL)
    if kind == "postback":
        details += _check_length(action.get("data"), f"{prop}.data", MAX_POSTBACK_DATA)
        for key in ("displayText", "text"):
            details += _check_length(
                action.get(key), f"{prop}.{key}", MAX_DISPLAY_TEXT, required=False
            )
    elif kind == "message":
        details += _check_length(action.get("text"), f"{prop}.text", MAX_DISPLAY_TEXT)
    elif kind == "uri":
        details += _check_length(action.get("uri"), f"{prop}.uri", 1000)
    return details


def _validate_quick_reply(quick_reply: Any, prop: str) -> list[Detail]:
    if not isinstance(quick_reply, dict) or not isinstance(quick_reply.get("items"), list):
        return [_detail(f"{prop}.items", "must be specified")]
    items = quick_reply["items"]
    if not 1 <= len(items) <= MAX_QUICK_REPLY_ITEMS:
        return [_detail(f"{prop}.items", f"Size must be between 1 and {MAX_QUICK_REPLY_ITEMS}")]
    details: list[Detail] = []
    for i, item in enumerate(items):
        where = f"{prop}.items[{i}]"
        if not isinstance(item, dict) or item.get("type") != "action":
            details.append(_detail(f"{where}.type", "must be 'action'"))
            continue
        details += validate_action(
            item.get("action"), f"{where}.action", label_limit=MAX_QUICK_REPLY_LABEL
        )
    return details


def _walk_actions(node: Any, prop: str) -> list[Detail]:
    """Every action inside a flex container."""
    details: list[Detail] = []
    if isinstance(node, dict):
        for key, value in node.items():
            if key == "action":
                details += validate_action(value, f"{prop}.action", label_limit=None)
            else:
                details += _walk_actions(value, f"{prop}.{key}")
    elif isinstance(node, list):
        for i, value in enumerate(node):
            details += _walk_actions(value, f"{prop}[{i}]")
    return details


def _size(node: Any) -> int:
    return len(json.dumps(node, ensure_ascii=False).encode())


def _validate_flex(message: dict, prop: str) -> list[Detail]:
    details = _check_length(message.get("altText"), f"{prop}.altText", MAX_ALT_TEXT)
    contents = message.get("contents")
    where = f"{prop}.contents"
    if not isinstance(contents, dict):
        return [*details, _detail(where, "must be specified")]
    kind = contents.get("type")
    if kind == "bubble":
        if _size(contents) > MAX_BUBBLE_BYTES:
            details.append(_detail(where, f"bubble size must be at most {MAX_BUBBLE_BYTES} bytes"))
    elif kind == "carousel":
        bubbles = contents.get("contents")
        if not isinstance(bubbles, list) or not 1 <= len(bubbles) <= MAX_CAROUSEL_BUBBLES:
            details.append(
                _detail(f"{where}.contents", f"Size must be between 1 and {MAX_CAROUSEL_BUBBLES}")
            )
        elif any(not isinstance(b, dict) or b.get("type") != "bubble" for b in bubbles):
            details.append(_detail(f"{where}.contents", "must contain only bubbles"))
        if _size(contents) > MAX_CAROUSEL_BYTES:
            details.append(
                _detail(where, f"carousel size must be at most {MAX_CAROUSEL_BYTES} bytes")
            )
    else:
        details.append(_detail(f"{where}.type", "must be 'bubble' or 'carousel'"))
    return details + _walk_actions(contents, where)


def validate_messages(messages: Any, prop: str = "messages") -> list[Detail]:
    """Check a messages array as LINE does for text, flex, sticker and image messages."""
    if not isinstance(messages, list):
        return [_detail(prop, "must be specified")]
    if not 1 <= len(messages) <= MAX_MESSAGES:
        return [_detail(prop, f"Size must be between 1 and {MAX_MESSAGES}")]
    details: list[Detail] = []
    for i, message in enumerate(messages):
        where = f"{prop}[{i}]"
        if not isinstance(message, dict):
            details.append(_detail(where, "must be an object"))
            continue
        kind = message.get("type")
        if kind == "text":
            details += _check_length(message.get("text"), f"{where}.text", MAX_TEXT_LENGTH)
        elif kind == "flex":
            details += _validate_flex(message, where)
        elif kind == "sticker":
            for key in ("packageId", "stickerId"):
                details += _check_length(message.get(key), f"{where}.{key}", 100)
        elif kind == "image":
            for key in ("originalContentUrl", "previewImageUrl"):
                details += _check_length(message.get(key), f"{where}.{key}", 2000)
        else:
            details.append(_detail(f"{where}.type", "unsupported message type"))
        if "quickReply" in message and message["quickReply"] is not None:
            details += _validate_quick_reply(message["quickReply"], f"{where}.quickReply")
    return details


def _invalid(details: list[Detail]) -> Response:
    return error(400, f"The request body has {len(details)} error(s)", details)


def _sent(messages: list) -> dict[str, Any]:
    return {
        "sentMessages": [
            {"id": str(uuid.uuid4().int)[:18], "quoteToken": uuid.uuid4().hex} for _ in messages
        ]
    }


@dataclass
class _Fault:
    status: int | None  # None: no error, only a delay
    delay: float
    remaining: int


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
        # Rich menus (ids in paths, image bodies) have their own module, which imports this one.
        from madoguchi.local.line_richmenu_routes import RichMenuRoutes

        self.rich_menus = RichMenuRoutes()
        self._server: ThreadingHTTPServer | None = None
        self._thread: threading.Thread | None = None

    # --- lifecycle -------------------------------------------------------------------------
    def start(self, port: int = 0) -> LineApiServer:
        """Listen on loopback (port 0: any free port) in a background thread."""
        server = ThreadingHTTPServer((self._host, port), _handler_for(self))
        server.daemon_threads = True
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
        return f"http://{host}:{port}"

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

    def fail_next(self, status: int = 500, times: int = 1, delay: float = 0.0) -> None:
        """Answer the next `times` requests with `status` (e.g. 500 or 429)."""
        with self._lock:
            self._faults.append(_Fault(status, delay, times))

    def delay_next(self, seconds: float, times: int = 1) -> None:
        """Hold the next `times` requests this long before handling them normally."""
        with self._lock:
            self._faults.append(_Fault(None, seconds, times))

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
        fault = self._take_fault()
        if fault is not None and fault.delay:
            time.sleep(fault.delay)
        body: Any = raw.decode("utf-8", "replace")
        response = self._respond(method, path, headers, raw, fault)
        with contextlib.suppress(ValueError):
            body = json.loads(raw) if raw else None
        with self._lock:
            self.received.append(
                ReceivedRequest(method, path, headers, body, response.status, response.body)
            )
        return response

    def _take_fault(self) -> _Fault | None:
        with self._lock:
            if not self._faults:
                return None
            fault = self._faults[0]
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
        details = _check_length(body.get("replyToken"), "replyToken", 200)
        details += validate_messages(body.get("messages"))
        if details:
            return _invalid(details)
        with self._lock:
            issued = self._reply_tokens.pop(body["replyToken"], None)
        if issued is None or time.monotonic() - issued > REPLY_TOKEN_SECONDS:
            return error(400, "Invalid reply token")
        return Response(200, _sent(body["messages"]), {"x-line-request-id": str(uuid.uuid4())})

    def _push(self, call: ReceivedCall) -> Response:
        body = call.body if isinstance(call.body, dict) else {}
        details = _check_length(body.get("to"), "to", 100)
        details += validate_messages(body.get("messages"))
        if details:
            return _invalid(details)
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

        def _serve(self) -> None:
            length = int(self.headers.get("Content-Length") or 0)
            raw = self.rfile.read(length) if length else b""
            headers = {k.lower(): v for k, v in self.headers.items()}
            response = api.handle(self.command, self.path, headers, raw)
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
