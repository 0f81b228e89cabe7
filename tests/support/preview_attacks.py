"""What another web page, a rebound DNS name or a broken client can send the local preview, for
the guard's tests and scripts/reliability.py: each request, and whether anything changed."""

from __future__ import annotations

import json
import socket
import time
from dataclasses import dataclass

from tests.support.preview_server import RunningPreview, edited_sample, request

EVIL = "https://evil.example"
READS = ("/", "/api/state", "/api/report.xlsx", "/static/app.js")
WRITES = (
    "/api/workbook",
    "/api/staff-reply",
    "/api/reset",
    "/api/resident",
    "/api/office-hours",
    "/api/events",
    "/api/rebuild",
)
BROKEN_LENGTHS = ("-1", "abc", "1e3", "", "5, 7", "99999999999999999999")


@dataclass(frozen=True)
class Attacks:
    """How the preview answered the hostile requests."""

    tried: int
    refused: int  # answered 4xx without serving or doing anything
    changed: int  # requests after which the preview's state, answers or LINE pushes differed
    slowest: float  # seconds, the slowest answer (a broken length must not hold the connection)


def _fingerprint(running: RunningPreview) -> tuple[object, ...]:
    preview = running.preview
    index = preview.webhook.DEPS.index.current()
    answers = tuple(sorted((f.id, f.answer) for f in index.faqs)) if index else ()
    pushes = len([r for r in preview.line.received if r.path == "/v2/bot/message/push"])
    replies = len(preview.line.received)
    return (preview.user_id, preview.residents, preview.office_mode, answers, pushes, replies)


def raw_exchange(running: RunningPreview, head: str, body: bytes = b"") -> bytes:
    """Bytes as they are (urllib would fix the headers), read until the server closes."""
    port = int(running.url.rsplit(":", 1)[1])
    with socket.create_connection(("127.0.0.1", port), timeout=5) as connection:
        connection.sendall(head.encode("latin-1") + b"\r\n\r\n" + body)
        received = b""
        while chunk := connection.recv(65536):
            received += chunk
    return received


def attack(running: RunningPreview) -> Attacks:
    """Foreign Host names on every read, cross-site posts on every write, broken lengths."""
    host = running.url.removeprefix("http://")
    port = host.rsplit(":", 1)[1]
    forged = edited_sample({"1": "偽の回答"})
    payload = {
        "/api/workbook": forged,
        "/api/staff-reply": json.dumps({"text": "職員です"}).encode(),
        "/api/office-hours": json.dumps({"mode": "closed"}).encode(),
        "/api/events": json.dumps({"kind": "message", "text": "粗大ごみ"}).encode(),
    }
    tried = refused = changed = 0
    slowest = 0.0

    def judge(status: int, before: tuple[object, ...], seconds: float) -> None:
        nonlocal tried, refused, changed, slowest
        tried += 1
        refused += 400 <= status < 500
        changed += _fingerprint(running) != before
        slowest = max(slowest, seconds)

    for path in READS:
        for name in ("evil.example", f"evil.example:{port}", "127.0.0.1.evil.example", ""):
            before, started = _fingerprint(running), time.perf_counter()
            status, _, _ = request(running.url + path, headers={"Host": name})
            judge(status, before, time.perf_counter() - started)
    for path in WRITES:
        for headers in (
            {"Origin": EVIL},
            {"Origin": "null"},
            {"Origin": f"http://{host}.evil.example"},
            {"Sec-Fetch-Site": "cross-site"},
        ):
            before, started = _fingerprint(running), time.perf_counter()
            body = payload.get(path, b"{}")
            status, _, _ = request(
                running.url + path, body, {"Content-Type": "text/plain", **headers}
            )
            judge(status, before, time.perf_counter() - started)
    for length in BROKEN_LENGTHS:
        before, started = _fingerprint(running), time.perf_counter()
        head = (
            f"POST /api/reset HTTP/1.1\r\nHost: {host}\r\n"
            f"Content-Type: application/json\r\nContent-Length: {length}"
        )
        answer = raw_exchange(running, head, b"{}")
        status = int(answer.split()[1]) if answer.startswith(b"HTTP/") else 0
        judge(status, before, time.perf_counter() - started)
    return Attacks(tried, refused, changed, slowest)
