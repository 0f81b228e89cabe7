"""Reliability figures for README.md: the scenarios the tests check (tests/support/
webhook_scenarios.py, publish_faults.py, webhook_fuzz.py), run again here with their times
measured. Prints rows of the README's Reliability table.

    python scripts/reliability.py [--fuzz-bodies 2000] [--seed 20260401] [--events 8]

Everything runs in this process: moto for AWS, the loopback LINE API, SQLite for the fuzzing.
"""

from __future__ import annotations

import argparse
import contextlib
import io
import os
import tempfile
import time
from collections.abc import Callable, Iterator
from functools import partial
from pathlib import Path
from typing import Any

import pytest

from tests.support import webhook_scenarios as scenarios
from tests.support.publish_faults import every_fault, steps_of_a_publish
from tests.support.webhook_fuzz import fuzz_webhook
from tests.support.webhook_stack import Stack, webhook_stack

Row = tuple[str, str, str, str]


@contextlib.contextmanager
def quiet() -> Iterator[None]:
    """The handlers' metric lines and logged tracebacks stay out of the table (the scenarios
    read the webhook's own log, which a stack keeps in memory)."""
    with contextlib.redirect_stdout(io.StringIO()), contextlib.redirect_stderr(io.StringIO()):
        yield


def with_stack(run: Callable[[Stack], Any]) -> Any:
    """`run` in a fresh webhook stack (moto, loopback LINE, a published workbook)."""
    with quiet(), pytest.MonkeyPatch.context() as monkeypatch, webhook_stack(monkeypatch) as stack:
        stack.app = stack.load_app()
        return run(stack)


def seconds(value: float) -> str:
    return f"{value:.2f} s" if value >= 0.1 else f"{value * 1000:.0f} ms"


def hostile_row() -> Row:
    got = with_stack(scenarios.send_hostile)
    statuses = [h.status for h in scenarios.hostile_requests()]
    result = (
        f"rejected {got.refused} ({statuses.count(401)} with 401, {statuses.count(400)} with 400),"
        f" crashes {len(got.crashes)}, claims or LINE calls {got.processed}"
    )
    return (
        "forged and malformed webhook requests (kinds, incl. a body 100,000 levels deep)",
        str(got.tried),
        result,
        f"slowest {seconds(got.slowest_seconds)}",
    )


def fuzz_row(count: int, seed: int) -> Row:
    shm = Path("/dev/shm")
    with quiet(), tempfile.TemporaryDirectory(dir=shm if shm.is_dir() else None) as root:
        run = fuzz_webhook(Path(root), seed, count)
    statuses = ", ".join(f"{n} × {status}" for status, n in sorted(run.statuses.items()))
    result = (
        f"crashes {len(run.crashes)} ({statuses}); {run.replies} replies sent,"
        f" {len(run.invalid_replies)} of them refused by LINE's checks"
    )
    return (
        f"fuzzed signed webhook bodies (seed {seed})",
        f"{run.bodies:,}",
        result,
        f"{seconds(run.seconds)} in all, slowest {seconds(run.slowest_seconds)}",
    )


def redelivery_row() -> Row:
    got = with_stack(lambda stack: scenarios.redeliver(stack, residents=5))
    return (
        "redelivered events (alone, with their batch, twice in one request)",
        f"{got.deliveries} deliveries of {got.events} events",
        f"replies {got.replies}, duplicate replies {got.replies - got.events}",
        "—",
    )


def line_rows(events: int) -> list[Row]:
    rows = []
    for trouble in scenarios.line_troubles(slow_seconds=1.0, hung_seconds=3.0):
        got = with_stack(partial(scenarios.batch_with_trouble, trouble=trouble, events=events))
        if "hung" in trouble.name:  # the webhook cannot know whether LINE showed them later
            result = f"not acknowledged in time {got.failures} (counted as failures)"
        else:
            result = f"answered {got.answered}, lost {got.events - got.answered}"
            result += f" (counted as failures {got.failures})"
        result += f", crashes {int(got.crashed)}"
        rows.append((trouble.name, f"{events} events in one request", result, seconds(got.seconds)))
    return rows


def outage_rows(residents: int = 10) -> list[Row]:
    rows = []
    for kind, name in (
        ("missing", "conversation-state table missing"),
        ("throttled", "conversation-state table throttling every call"),
    ):
        got = with_stack(partial(scenarios.state_outage, kind=kind, residents=residents))
        result = (
            f"answered {got.answered}; {got.state_failures} state calls failed or were skipped"
            " during the pause after a failure, all counted"
        )
        if got.dynamodb_requests is not None:
            result += f"; {got.dynamodb_requests} requests reached DynamoDB"
        rows.append(
            (name, f"{residents} residents", result, f"slowest {seconds(got.slowest_seconds)}")
        )
    return rows


def slow_batch_row(events: int = 50) -> Row:
    line_seconds, table_seconds = 0.3, 0.05
    got = with_stack(
        partial(
            scenarios.slow_batch,
            events=events,
            line_seconds=line_seconds,
            table_seconds=table_seconds,
        )
    )
    return (
        f"one request of {events} events, LINE {line_seconds:g} s per reply and the state table"
        f" {table_seconds * 1000:.0f} ms per call",
        str(events),
        f"answered {got.answered}; table calls made {got.calls_made}, not made for lack of time"
        f" {got.calls_skipped} (counted, never retried)",
        seconds(got.seconds),
    )


def preview_row() -> Row:
    from tests.support.preview_attacks import attack
    from tests.support.preview_server import running_preview

    with (
        quiet(),
        tempfile.TemporaryDirectory() as folder,
        running_preview(Path(folder)) as running,
    ):
        got = attack(running)
    return (
        "hostile requests to the local preview: foreign Host names (DNS rebinding) on every page,"
        " cross-site posts on every action, broken Content-Length",
        str(got.tried),
        f"refused {got.refused}, changed anything {got.changed}",
        f"slowest {seconds(got.slowest)}",
    )


def publish_row() -> Row:
    started = time.perf_counter()
    with quiet():
        steps = len(steps_of_a_publish())
        endings = [
            ending
            for stop in (False, True)
            for after in (False, True)
            for ending in every_fault(stop=stop, after=after)
        ]
    elapsed = time.perf_counter() - started
    live = sum(e.live_is_second for e in endings)
    told = sum(e.mails >= 1 and e.latest_is_second for e in endings)
    twice = sum(e.mails > 1 for e in endings)
    return (
        f"a fault at each of the {steps} storage and mail steps of a publish (an error or the"
        " function stopped, before or after the step), retried as Lambda retries",
        str(len(endings)),
        f"live index correct {live}, staff told {told} ({twice} of them twice)",
        f"{seconds(elapsed / len(endings))} per publish",
    )


def injection_row() -> Row:
    """Formula payloads as residents' questions and learned phrasings, in the staff report."""
    import openpyxl

    from madoguchi.learning.personal import mask_personal
    from tests.support.formula_payloads import PAYLOADS, report_of

    started = time.perf_counter()
    book = openpyxl.load_workbook(io.BytesIO(report_of()))
    elapsed = time.perf_counter() - started
    cells = [c for sheet in book.worksheets for row in sheet.iter_rows() for c in row]
    formulas = sum(c.data_type == "f" for c in cells)
    written = " ".join(" ".join(str(c.value).split()) for c in cells if c.value is not None)
    # As the report shows them: spaces joined, links masked (they may carry personal data).
    shown = sum(" ".join(mask_personal(p).split()) in written for p in PAYLOADS)
    return (
        "formula (CSV) injection in the staff report: residents' questions and learned phrasings"
        " starting with = + - @, tab, CR, full-width ＝; DDE (=cmd…!A0) and HYPERLINK calls",
        f"{len(PAYLOADS)} payloads, each unanswered, rated and (2) learned",
        f"formula cells 0 expected, found {formulas} of {len(cells)}; payloads shown as text"
        f" {shown} of {len(PAYLOADS)}",
        f"{seconds(elapsed)} per report",
    )


def personal_row() -> Row:
    """The personal-data filter on its dev set (scripts/evaluate_personal.py)."""
    from scripts.evaluate_personal import ORDINARY, load, ordinary_dropped, score

    started = time.perf_counter()
    examples = load()
    scores = score(examples, dictionary=True)
    bare = score(examples, dictionary=False)
    asked = [ordinary_dropped(paths, dictionary=True) for paths in ORDINARY.values()]
    elapsed = time.perf_counter() - started
    total, dropped = sum(n for n, _ in asked), sum(len(q) for _, q in asked)
    return (
        "personal-data forms residents may type (phone and マイナンバー in any digits, cards,"
        " postal codes, addresses, names, birth dates, e-mail) and harmless look-alikes"
        " (`tests/data/personal_data.jsonl`)",
        f"{scores.forms} forms, {scores.alikes} look-alikes",
        f"learned or quoted unmasked 0 expected, found {len(scores.through)}"
        f" (webhook mails, no dictionary: {len(bare.through)}); look-alikes lost"
        f" {len(scores.lost)} ({scores.lost_share:.1%}); ordinary dev questions kept from"
        f" learning {dropped} of {total}",
        f"{seconds(elapsed)} for all",
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--fuzz-bodies", type=int, default=2000)
    parser.add_argument("--seed", type=int, default=20260401)
    parser.add_argument("--events", type=int, default=8, help="events per batch for LINE trouble")
    args = parser.parse_args(argv)
    os.environ["POWERTOOLS_LOG_LEVEL"] = "INFO"  # the scenarios read the "webhook handled" lines
    rows = [
        hostile_row(),
        fuzz_row(args.fuzz_bodies, args.seed),
        redelivery_row(),
        *line_rows(args.events),
        *outage_rows(),
        slow_batch_row(),
        preview_row(),
        publish_row(),
        injection_row(),
        personal_row(),
    ]
    print("| what was tried | how many | result | time |")
    print("|---|---|---|---|")
    for row in rows:
        print("| " + " | ".join(row) + " |")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
