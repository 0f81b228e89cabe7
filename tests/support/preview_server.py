"""The local preview running in this process on a free loopback port, for integration and
browser tests, and small urllib helpers to talk to it."""

from __future__ import annotations

import io
import json
import os
import shutil
import threading
import urllib.error
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import quote

import pytest
from openpyxl import load_workbook

from madoguchi_dev.preview.server import Preview, PreviewPaths, serve
from tests.support.workbooks import FAQ_HEADER, faq_row, make_workbook

REPO = Path(__file__).resolve().parents[2]
SAMPLE_WORKBOOK = REPO / "faq" / "faq.xlsx"


@dataclass
class RunningPreview:
    """A started preview and where to reach it."""

    preview: Preview
    url: str  # http://127.0.0.1:PORT (no trailing slash)
    workbook: Path  # the copy the preview watches
    started: dict[str, Any]  # what publishing the workbook at start gave
    gate: IndexerGate | None = None  # holds the indexer (running_preview(held=True))


class IndexerGate:
    """Holds every indexer invocation of a preview (publishes, rebuilds) until opened: a publish
    that takes as long as a test needs, through the real indexer handler."""

    def __init__(self, preview: Preview) -> None:
        self.opened = threading.Event()
        self.waiting = threading.Event()  # an invocation is being held
        real = preview.indexer.lambda_handler

        def held(event: Any, context: Any) -> Any:
            self.waiting.set()
            if not self.opened.wait(timeout=60):
                raise TimeoutError("the test never opened the indexer gate")
            return real(event, context)

        preview.indexer.lambda_handler = held

    def close(self) -> None:
        """Hold the next invocations again."""
        self.waiting.clear()
        self.opened.clear()

    def open(self) -> None:
        """Let held and later invocations run."""
        self.opened.set()


@contextmanager
def running_preview(root: Path, *, held: bool = False) -> Iterator[RunningPreview]:
    """Copy the sample workbook under `root`, start the preview on port 0, stop it after.

    `held`: the first publish runs in the background behind an IndexerGate (`.gate`), closed, so
    the page is still 「準備中」 when the test starts; `started` is then empty."""
    workbook = root / "faq.xlsx"
    shutil.copyfile(SAMPLE_WORKBOOK, workbook)
    preview = Preview(PreviewPaths(repo=REPO, workbook=workbook, data=root / "data"))
    server = serve(preview, "127.0.0.1", 0)
    # powertools configures a service's logger once per process: the handlers' loggers keep the
    # level they are first given, and the other webhook tests read INFO lines.
    with pytest.MonkeyPatch.context() as env:
        env.setenv("POWERTOOLS_LOG_LEVEL", os.environ.get("POWERTOOLS_LOG_LEVEL", "INFO"))
        gate = None
        try:
            if held:
                preview.prepare()
                gate = IndexerGate(preview)
                preview.publish_first_in_background()
                started: dict[str, Any] = {}
            else:
                started = preview.start()
            thread = threading.Thread(
                target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True
            )
            thread.start()
            host, port = server.server_address[:2]
            try:
                yield RunningPreview(preview, f"http://{host!s}:{port}", workbook, started, gate)
            finally:
                server.shutdown()
                thread.join(timeout=5)
        finally:
            if gate is not None:
                gate.open()
            server.server_close()
            preview.stop()  # gives the environment back before the patch is undone


def request(
    url: str, data: bytes | None = None, headers: dict[str, str] | None = None
) -> tuple[int, dict[str, str], bytes]:
    """One HTTP request on loopback: status, headers and body, also for error statuses."""
    req = urllib.request.Request(url, data=data, headers=headers or {})
    try:
        with urllib.request.urlopen(req, timeout=30) as response:
            return response.status, dict(response.headers), response.read()
    except urllib.error.HTTPError as error:
        return error.code, dict(error.headers), error.read()


def get_json(url: str) -> Any:
    """GET a JSON document that must be there."""
    status, _, body = request(url)
    assert status == 200, body
    return json.loads(body)


def post_event(base: str, payload: dict[str, Any]) -> tuple[int, Any]:
    """POST /api/events; status and decoded JSON."""
    status, _, body = request(
        base + "/api/events",
        json.dumps(payload, ensure_ascii=False).encode(),
        {"Content-Type": "application/json"},
    )
    return status, json.loads(body)


def upload_workbook(base: str, data: bytes, filename: str) -> dict[str, Any]:
    """POST /api/workbook as the page does: raw body, URL-encoded file name."""
    status, _, body = request(
        base + "/api/workbook",
        data,
        {"Content-Type": "application/octet-stream", "X-Filename": quote(filename)},
    )
    assert status == 200, body
    return json.loads(body)


def edited_sample(answers: dict[str, str]) -> bytes:
    """The sample workbook with some FAQ answers (by ID) replaced, as staff would save it."""
    book = load_workbook(SAMPLE_WORKBOOK)
    sheet = book["FAQ"]
    header = [cell.value for cell in sheet[1]]
    id_column, answer_column = header.index("ID") + 1, header.index("回答") + 1
    left = dict(answers)
    for row in range(2, sheet.max_row + 1):
        faq_id = str(sheet.cell(row=row, column=id_column).value or "").strip()
        if faq_id in left:
            sheet.cell(row=row, column=answer_column, value=left.pop(faq_id))
    assert not left, f"no such FAQ IDs in the sample: {sorted(left)}"
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def broken_workbook() -> bytes:
    """A workbook staff might save by mistake: ID 1 twice (row 3) and an empty 回答 (row 4)."""
    return make_workbook(
        {
            "FAQ": [
                FAQ_HEADER,
                faq_row(1, "粗大ごみの出し方", "予約してください。"),
                faq_row(1, "住民票の取り方", "市民課で取れます。"),
                faq_row(2, "戸籍の取り方", ""),
            ]
        }
    )
