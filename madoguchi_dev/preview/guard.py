"""Who may talk to the preview: a browser tab opened on this machine, and nothing else.

Any web page the person visits can send requests to a local server. Three checks stop it:
the `Host` header must be a loopback name with the preview's port (a page on evil.example that
re-points its DNS name at 127.0.0.1 still sends `Host: evil.example`), a request that changes
something must come from the preview's own page (`Origin`; a `text/plain` form post needs no
CORS preflight, so the browser sends it whatever we answer), and a broken `Content-Length` is
answered 400 before anything is read. When the preview listens beyond loopback (`--host`), every
request must also carry a random token printed in the console.
"""

from __future__ import annotations

import json
import secrets
from dataclasses import dataclass
from email.message import Message
from http.server import BaseHTTPRequestHandler
from ipaddress import ip_address
from urllib.parse import parse_qsl, urlencode, urlsplit

LOOPBACK_NAMES = ("127.0.0.1", "localhost", "[::1]")
SAFE_METHODS = frozenset({"GET", "HEAD"})
TOKEN_PARAMETER = "token"
TOKEN_COOKIE = "madoguchi_preview_token"
# Sent by browsers with every request; "none" is a link typed or opened from the console.
OWN_FETCH_SITES = frozenset({"same-origin", "none"})


@dataclass(frozen=True)
class Refusal:
    """Why a request is not served: its status and a message for the person who sees it."""

    status: int
    message: str


@dataclass(frozen=True)
class Admission:
    """A request that may be served; `set_token` when it brought the token in its URL."""

    set_token: bool = False


def is_loopback(host: str) -> bool:
    """Whether binding to `host` keeps the preview on this machine."""
    name = host.strip("[]")
    if name == "localhost":
        return True
    try:
        return ip_address(name).is_loopback
    except ValueError:
        return False


def split_host(value: str) -> tuple[str, int | None]:
    """'127.0.0.1:8000' -> ('127.0.0.1', 8000); '[::1]:80' -> ('[::1]', 80); no port -> None."""
    name, colon, port = value.rpartition(":")
    if not colon or name.endswith(":") or (value.startswith("[") and not name.endswith("]")):
        return value, None  # no port, or an IPv6 literal's own colons
    if not port.isdigit():
        return value, None
    return name, int(port)


def content_length(headers: Message) -> int:
    """The body's length in bytes (0 without the header); ValueError unless it is digits only."""
    values = [v for k, v in headers.items() if k.lower() == "content-length"]
    if not values:
        return 0
    if len(set(values)) > 1 or not values[0].strip().isdigit():
        raise ValueError(f"Content-Length {values[0]!r} is not a byte count")
    return int(values[0].strip())


@dataclass(frozen=True)
class RequestGuard:
    """The checks every request to the preview passes before it is served."""

    # Only set when listening beyond loopback: whoever can reach the port must also know it.
    token: str | None = None

    @classmethod
    def for_host(cls, host: str) -> RequestGuard:
        """No token on loopback; a fresh random one for any other address."""
        return cls(token=None if is_loopback(host) else secrets.token_urlsafe(18))

    def check(self, method: str, target: str, headers: Message, port: int) -> Admission | Refusal:
        """Admit the request or say why not; `port` is the one the preview listens on."""
        host = headers.get("Host") or ""
        if not self._host_allowed(host, port):
            return Refusal(
                421, "このアドレスでは開けません。起動時に表示された URL を開いてください。"
            )
        if method not in SAFE_METHODS and not self._same_origin(headers, host):
            return Refusal(
                403,
                "ほかのページからの操作は受け付けません。プレビューの画面から操作してください。",
            )
        try:
            content_length(headers)
        except ValueError:
            return Refusal(400, "リクエストの長さ(Content-Length)が正しくありません。")
        if self.token is None:
            return Admission()
        if _cookie(headers, TOKEN_COOKIE) == self.token:
            return Admission()
        if method in SAFE_METHODS and self._token_in(target):
            return Admission(set_token=True)
        return Refusal(403, "起動時にコンソールに表示された URL(合言葉つき)を開いてください。")

    def url(self, host: str, port: int) -> str:
        """The address to print in the console (with the token when there is one)."""
        shown = f"[{host}]" if ":" in host else host
        base = f"http://{shown}:{port}/"
        return base if self.token is None else f"{base}?{TOKEN_PARAMETER}={self.token}"

    def _host_allowed(self, host: str, port: int) -> bool:
        name, given = split_host(host.strip().lower())
        if given is None and port == 80:
            given = 80  # a browser leaves out the default port
        if given != port:
            return False
        if name in LOOPBACK_NAMES:
            return True
        # Beyond loopback the person opens an IP address; a DNS name (what rebinding needs) is
        # never accepted, and the token is required as well.
        if self.token is None:
            return False
        try:
            ip_address(name.strip("[]"))
        except ValueError:
            return False
        return True

    @staticmethod
    def _same_origin(headers: Message, host: str) -> bool:
        origin = headers.get("Origin")
        if origin is not None:
            return origin.strip().lower() == f"http://{host.strip().lower()}"
        # Browsers send Origin with every POST; without it, a browser still says where the
        # request came from here, and a program (curl, the tests) sends neither.
        site = headers.get("Sec-Fetch-Site")
        return site is None or site.strip().lower() in OWN_FETCH_SITES

    def _token_in(self, target: str) -> bool:
        values = [v for k, v in parse_qsl(urlsplit(target).query) if k == TOKEN_PARAMETER]
        return any(self.token is not None and secrets.compare_digest(v, self.token) for v in values)


def _cookie(headers: Message, name: str) -> str | None:
    for part in (headers.get("Cookie") or "").split(";"):
        key, _, value = part.strip().partition("=")
        if key == name:
            return value
    return None


class GuardedRequestHandler(BaseHTTPRequestHandler):
    """An HTTP handler that runs `guard` on every request before its do_GET/do_POST."""

    guard: RequestGuard = RequestGuard()

    def parse_request(self) -> bool:
        if not super().parse_request():
            return False
        address = self.server.server_address
        port = int(address[1]) if isinstance(address, tuple) else 0
        decision = self.guard.check(self.command, self.path, self.headers, port)
        if isinstance(decision, Refusal):
            self._refuse(decision)
            return False
        if decision.set_token:
            # Keep the token in a cookie for the page's own requests, and take it out of the
            # address bar (and so out of history and screenshots).
            self._token_accepted()
            return False
        return True

    def _refuse(self, refusal: Refusal) -> None:
        body = json.dumps({"error": refusal.message}, ensure_ascii=False).encode()
        self.close_connection = True  # the body, if any, is never read
        self.send_response(refusal.status)
        self.send_header("Content-Type", "application/json; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Cache-Control", "no-store")
        self.send_header("Connection", "close")
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)

    def _token_accepted(self) -> None:
        parts = urlsplit(self.path)
        query = urlencode([(k, v) for k, v in parse_qsl(parts.query) if k != TOKEN_PARAMETER])
        self.close_connection = True
        self.send_response(303)
        self.send_header("Location", parts.path + (f"?{query}" if query else ""))
        self.send_header(
            "Set-Cookie", f"{TOKEN_COOKIE}={self.guard.token}; Path=/; HttpOnly; SameSite=Strict"
        )
        self.send_header("Content-Length", "0")
        self.send_header("Cache-Control", "no-store")
        self.end_headers()
