"""Fuzzed, signed webhook bodies through the webhook's Lambda handler as the local preview runs
it (SQLite state, the sample workbook published, the loopback LINE API, which checks every reply
as strictly as LINE). A crash is an exception out of the handler or a 5xx."""

from __future__ import annotations

import contextlib
import json
import shutil
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from madoguchi_dev import lambda_runtime
from madoguchi_dev import line_events as line
from madoguchi_dev.preview.server import Preview, PreviewPaths
from tests.support.fuzz_bodies import bodies

REPO = Path(__file__).resolve().parents[2]
REPLY = "/v2/bot/message/reply"


@dataclass
class FuzzRun:
    """What the handler did with the bodies."""

    bodies: int = 0
    statuses: Counter[int] = field(default_factory=Counter)
    crashes: list[tuple[int, str]] = field(default_factory=list)  # (body number, error)
    replies: int = 0  # replies LINE accepted
    invalid_replies: list[dict] = field(default_factory=list)  # replies LINE refused as invalid
    slowest_seconds: float = 0.0
    seconds: float = 0.0


def fuzz_webhook(root: Path, seed: int, count: int) -> FuzzRun:
    """Deliver `count` bodies from `seed`, signed with the channel secret, to the handler."""
    workbook = root / "faq.xlsx"
    shutil.copyfile(REPO / "faq" / "faq.xlsx", workbook)
    preview = Preview(PreviewPaths(repo=REPO, workbook=workbook, data=root / "data"))
    preview.start()
    run = FuzzRun()
    try:
        started = time.perf_counter()
        for number, body in enumerate(bodies(seed, count)):
            _issue_reply_tokens(preview, body)
            request = lambda_runtime.http_api_event(
                body, {"x-line-signature": line.sign(body, preview.channel_secret)}
            )
            before = len(preview.line.received)
            since = time.perf_counter()
            try:
                response = preview.webhook.lambda_handler(
                    request, lambda_runtime.LocalContext("webhook")
                )
            except Exception as error:
                run.crashes.append((number, type(error).__name__))
            else:
                run.statuses[response["statusCode"]] += 1
                if response["statusCode"] >= 500:
                    run.crashes.append((number, f"HTTP {response['statusCode']}"))
            run.slowest_seconds = max(run.slowest_seconds, time.perf_counter() - since)
            run.bodies += 1
            _count_replies(run, preview.line.received[before:])
        run.seconds = time.perf_counter() - started
    finally:
        preview.stop()
    return run


def _issue_reply_tokens(preview: Preview, body: str) -> None:
    """Make the body's reply tokens usable, so LINE's checks of the replies are exercised."""
    with contextlib.suppress(ValueError, RecursionError):
        payload = json.loads(body)
        events = payload.get("events") if isinstance(payload, dict) else None
        for event in events if isinstance(events, list) else []:
            token = event.get("replyToken") if isinstance(event, dict) else None
            if isinstance(token, str) and token:
                preview.line.issue_reply_token(token)


def _count_replies(run: FuzzRun, received: list) -> None:
    for request in received:
        if request.path != REPLY:
            continue
        if request.status == 200:
            run.replies += 1
        elif not _only_the_token(request.response):
            run.invalid_replies.append(request.response)


def _only_the_token(response: dict) -> bool:
    """LINE refused the reply token the body carried (unknown, or too long): not our reply."""
    if response.get("message") == "Invalid reply token":
        return True
    details = response.get("details") or []
    return bool(details) and all(d.get("property") == "replyToken" for d in details)
