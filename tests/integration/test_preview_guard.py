"""The local preview refuses what another web page, a rebound DNS name or a broken request sends
it, over real HTTP on loopback; and scripts/preview.py beyond loopback requires its token."""

from __future__ import annotations

import json
import os
import queue
import re
import signal
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from tests.support.preview_server import (
    REPO,
    SAMPLE_WORKBOOK,
    broken_workbook,
    edited_sample,
    request,
    running_preview,
)

EVIL = "https://evil.example"
FORM = {"Content-Type": "text/plain"}  # what a cross-site form or fetch sends without preflight


def preview_command(workbook: Path, data_dir: Path, *options: str) -> list[str]:
    script = REPO / "scripts" / "preview.py"
    return [
        sys.executable,
        str(script),
        "--workbook",
        str(workbook),
        "--data-dir",
        str(data_dir),
        *options,
    ]


def script_env() -> dict[str, str]:
    return {**os.environ, "PYTHONPATH": f"{REPO / 'layers' / 'madoguchi'}{os.pathsep}{REPO}"}


@pytest.fixture(scope="module")
def running(tmp_path_factory):
    with running_preview(tmp_path_factory.mktemp("guard")) as running:
        yield running


def host_of(running) -> str:
    return running.url.removeprefix("http://")


def faq_answer(running, faq_id: str) -> str:
    index = running.preview.webhook.DEPS.index.current()
    return next(f.answer for f in index.faqs if f.id == faq_id)


def raw_exchange(running, head: str, body: bytes = b"", wait: float = 5.0) -> bytes:
    """Send bytes as they are (urllib would fix the headers) and read until the server closes."""
    port = int(running.url.rsplit(":", 1)[1])
    with socket.create_connection(("127.0.0.1", port), timeout=wait) as connection:
        connection.sendall(head.encode("latin-1") + b"\r\n\r\n" + body)
        received = b""
        while chunk := connection.recv(65536):
            received += chunk
    return received


# --- DNS rebinding: the Host header ---------------------------------------------------------
@pytest.mark.parametrize("path", ["/api/state", "/api/report.xlsx", "/"])
def test_a_foreign_host_name_reads_nothing(running, path):
    status, _, body = request(running.url + path, headers={"Host": "evil.example"})
    assert status == 421
    assert "起動時に表示された URL" in json.loads(body)["error"]
    port = host_of(running).rsplit(":", 1)[1]
    for host in (f"evil.example:{port}", "127.0.0.1:1", "127.0.0.1.evil.example", ""):
        assert request(running.url + path, headers={"Host": host})[0] == 421, host


@pytest.mark.parametrize("name", ["127.0.0.1", "localhost", "[::1]", "LOCALHOST"])
def test_every_loopback_name_with_the_port_is_served(running, name):
    port = host_of(running).rsplit(":", 1)[1]
    status, _, body = request(running.url + "/api/state", headers={"Host": f"{name}:{port}"})
    assert status == 200
    assert json.loads(body)["account_name"] == "星見ヶ丘市"


# --- cross-site writes: the Origin header ---------------------------------------------------
def test_a_cross_origin_text_plain_post_publishes_no_workbook(running):
    before = faq_answer(running, "1")
    forged = edited_sample({"1": "偽の回答: evil.example に振り込んでください"})
    for origin in (EVIL, "null", f"http://{host_of(running)}.evil.example"):
        headers = {**FORM, "Origin": origin, "X-Filename": "faq.xlsx"}
        status, _, body = request(running.url + "/api/workbook", forged, headers)
        assert status == 403, origin
        assert "ほかのページからの操作" in json.loads(body)["error"]
    assert faq_answer(running, "1") == before


def test_a_cross_origin_post_sends_no_fake_staff_reply(running):
    pushes = len([r for r in running.preview.line.received if r.path == "/v2/bot/message/push"])
    payload = json.dumps({"text": "職員です。口座番号を教えてください"}).encode()
    status, _, _ = request(running.url + "/api/staff-reply", payload, {**FORM, "Origin": EVIL})
    assert status == 403
    after = [r for r in running.preview.line.received if r.path == "/v2/bot/message/push"]
    assert len(after) == pushes


def test_a_cross_origin_post_does_not_reset_the_chat_nor_switch_resident(running):
    resident, residents = running.preview.user_id, running.preview.residents
    for path in ("/api/reset", "/api/resident", "/api/office-hours", "/api/events", "/api/rebuild"):
        status, _, _ = request(running.url + path, b"{}", {**FORM, "Origin": EVIL})
        assert status == 403, path
    # Without Origin, a browser's Sec-Fetch-Site still names the other site.
    status, _, _ = request(
        running.url + "/api/reset", b"{}", {**FORM, "Sec-Fetch-Site": "cross-site"}
    )
    assert status == 403
    assert (running.preview.user_id, running.preview.residents) == (resident, residents)


def test_the_pages_own_posts_still_work(running):
    own = {"Origin": running.url, "Sec-Fetch-Site": "same-origin"}
    payload = json.dumps({"kind": "message", "text": "粗大ごみの出し方"}).encode()
    status, _, body = request(
        running.url + "/api/events", payload, {"Content-Type": "application/json", **own}
    )
    assert status == 200 and json.loads(body)["messages"]
    resident = running.preview.user_id
    assert request(running.url + "/api/reset", b"{}", own)[0] == 200
    assert running.preview.user_id != resident
    # A refused workbook from the page itself is still checked and explained, not forbidden.
    status, _, body = request(
        running.url + "/api/workbook", broken_workbook(), {**own, "X-Filename": "faq.xlsx"}
    )
    assert status == 200 and json.loads(body)["published"] is False


# --- broken Content-Length ------------------------------------------------------------------
@pytest.mark.parametrize("length", ["-1", "abc", "1e3", "", "5, 7"])
def test_a_broken_content_length_is_a_400_at_once(running, length, capfd):
    head = (
        f"POST /api/reset HTTP/1.1\r\nHost: {host_of(running)}\r\n"
        f"Content-Type: application/json\r\nContent-Length: {length}"
    )
    started = time.monotonic()
    answer = raw_exchange(running, head, b"{}")
    assert time.monotonic() - started < 4  # answered, not held open until the client gives up
    status_line, _, rest = answer.partition(b"\r\n")
    assert status_line.split()[1] == b"400", answer
    assert "Content-Length" in json.loads(rest.split(b"\r\n\r\n", 1)[1])["error"]
    assert "Traceback" not in capfd.readouterr().err


def test_a_sane_content_length_still_reads_the_body(running):
    body = json.dumps({"mode": "auto"}).encode()
    head = (
        f"POST /api/office-hours HTTP/1.1\r\nHost: {host_of(running)}\r\n"
        f"Content-Type: application/json\r\nContent-Length: {len(body)}\r\nConnection: close"
    )
    answer = raw_exchange(running, head, body)
    assert answer.split()[1] == b"200", answer
    assert json.loads(answer.split(b"\r\n\r\n", 1)[1])["mode"] == "auto"


# --- beyond loopback: the token -------------------------------------------------------------
def test_script_beyond_loopback_warns_and_requires_the_printed_token(tmp_path):
    workbook = tmp_path / "faq.xlsx"
    workbook.write_bytes(SAMPLE_WORKBOOK.read_bytes())
    process = subprocess.Popen(
        preview_command(workbook, tmp_path / "data", "--port", "0", "--host", "0.0.0.0"),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=script_env(),
        preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL),
    )
    lines: queue.Queue[str] = queue.Queue()
    reader = threading.Thread(target=lambda: [lines.put(line) for line in process.stdout])
    reader.start()
    try:
        started = ""
        deadline = time.monotonic() + 60
        while "起動しました" not in started:
            started = lines.get(timeout=max(0.1, deadline - time.monotonic()))
        found = re.search(r"http://0\.0\.0\.0:(\d+)/\?token=([\w-]+)", started)
        assert found, started
        port, token = found.group(1), found.group(2)
        base = f"http://127.0.0.1:{port}"

        # Without the token nothing is served, not even on a loopback name.
        for path in ("/", "/api/state", "/api/report.xlsx"):
            assert request(base + path)[0] == 403, path
        assert request(base + "/?token=" + "x" * len(token))[0] == 403
        status, _, _ = request(base + "/api/reset", b"{}", {"Origin": base})
        assert status == 403

        # The printed URL sets the token as a cookie and drops it from the address bar; the
        # page's own requests then work (a DNS name is still refused, token or not).
        with socket.create_connection(("127.0.0.1", int(port)), timeout=10) as connection:
            connection.sendall(
                f"GET /?token={token} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\n\r\n".encode()
            )
            answer = b""
            while chunk := connection.recv(65536):
                answer += chunk
        head = answer.decode("latin-1")
        assert head.split()[1] == "303"
        assert re.search(r"(?m)^Location: /\r$", head), head
        cookie = re.search(r"(?m)^Set-Cookie: ([^;]+);.*HttpOnly; SameSite=Strict", head).group(1)
        with_cookie = {"Cookie": cookie}
        assert request(base + "/", headers=with_cookie)[0] == 200
        # The page is served at once; the first publish finishes behind 「準備中」.
        ready_by = time.monotonic() + 120
        while not (state := get_json_with(base + "/api/state", with_cookie))["ready"]:
            assert time.monotonic() < ready_by, state
            time.sleep(0.2)
        assert state["account_name"] == "星見ヶ丘市"
        own = {**with_cookie, "Origin": base, "Content-Type": "application/json"}
        assert request(base + "/api/reset", b"{}", own)[0] == 200
        status, _, _ = request(base + "/api/state", headers={**with_cookie, "Host": "evil.example"})
        assert status == 421

        process.send_signal(signal.SIGINT)
        process.wait(timeout=10)
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()
        reader.join(timeout=5)
    errors = process.stderr.read()
    process.stdout.close()
    process.stderr.close()
    assert "注意: --host 0.0.0.0" in errors and "合言葉" in errors
    assert "Traceback" not in errors


def get_json_with(url: str, headers: dict[str, str]) -> dict:
    status, _, body = request(url, headers=headers)
    assert status == 200, body
    return json.loads(body)


def test_loopback_start_prints_no_token():
    # The usual start keeps its plain URL; every other address gets a fresh token.
    from madoguchi_dev.preview.guard import RequestGuard

    for host in ("127.0.0.1", "localhost", "::1"):
        guard = RequestGuard.for_host(host)
        assert guard.token is None and "token" not in guard.url(host, 8000)
    assert RequestGuard.for_host("0.0.0.0").token != RequestGuard.for_host("0.0.0.0").token


def test_every_hostile_request_of_the_reliability_table_is_refused_and_changes_nothing(running):
    from tests.support.preview_attacks import attack

    got = attack(running)
    assert got.tried == 4 * 4 + 7 * 4 + 6
    assert (got.refused, got.changed) == (got.tried, 0)
