"""Publish a second workbook over a first with one fault injected, retried the way Lambda retries
a failed S3 event (twice, one and then two minutes later), and say how it ended: is the live
index the second workbook's, and were staff told about it, once?"""

from __future__ import annotations

import json
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import cast

from madoguchi.adapters.notifier import RecordingNotifier
from madoguchi.adapters.storage import LocalStorage, Storage
from madoguchi.config import Config
from madoguchi.publish import VersionStore, publish_upload
from tests.support.clock import FixedClock
from tests.support.faults import (
    Faults,
    FaultyNotifier,
    FaultyStorage,
    FunctionStopped,
    InjectedFault,
)
from tests.support.workbooks import FAQ_HEADER, faq_row, make_workbook

FIRST, SECOND = "uploads/faq-1.xlsx", "uploads/faq-2.xlsx"
RETRY_DELAYS = (60.0, 120.0)  # Lambda's retries of an asynchronous event
PUBLISHED_SUBJECT = "FAQを公開しました"


def workbook(answer: str) -> bytes:
    """A small valid workbook whose FAQ 2 answer tells the versions apart."""
    rows = [
        faq_row(1, "粗大ごみの出し方", "前日までに電話で申し込んでください。"),
        faq_row(2, "住民票の写しの取り方", answer),
    ]
    return make_workbook({"FAQ": [FAQ_HEADER, *rows]})


@dataclass(frozen=True)
class Ending:
    """How one publish with a fault ended, after Lambda's retries."""

    step: str  # the call that failed ("" when none did)
    attempts: int
    live_is_second: bool  # the pointer names the second upload and its index answers with it
    mails: int  # mails about the second upload that staff got
    latest_is_second: bool  # reports/latest.json describes the second upload, as published

    @property
    def correct(self) -> bool:
        """Live index right and staff told (at least once)."""
        return self.live_is_second and self.mails >= 1 and self.latest_is_second


def publish_second(root: Path, faults: Faults) -> Ending:
    """Publish FIRST cleanly, then SECOND through the faults, retrying like Lambda."""
    config = Config(local_dir=root)
    storage = LocalStorage(root)
    clock = FixedClock()
    storage.put(FIRST, workbook("市民課の窓口で取れます。"))
    publish_upload(storage, FIRST, config=config, event_time="2026-04-01T00:00:00Z", clock=clock)
    storage.put(SECOND, workbook("コンビニでも取れます。"))
    faulty = cast(Storage, FaultyStorage(storage, faults))
    notifier = FaultyNotifier(faults)
    attempts = 0
    for delay in (0.0, *RETRY_DELAYS):
        clock.advance(delay)
        attempts += 1
        try:
            publish_upload(
                faulty,
                SECOND,
                config=config,
                notifier=notifier,
                event_time="2026-04-01T00:10:00Z",
                clock=clock,
            )
            break
        except (InjectedFault, FunctionStopped):
            continue
    step = faults.calls[faults.fail_at - 1] if 0 < faults.fail_at <= len(faults.calls) else ""
    return Ending(step, attempts, _live_is_second(storage, config), *_told(storage, notifier))


def _live_is_second(storage: Storage, config: Config) -> bool:
    versions = VersionStore(storage, config.index_prefix)
    pointer = versions.pointer()
    index = versions.load_index(pointer)  # checks the artifact against the pointer's checksum
    if pointer is None or index is None or pointer.source.key != SECOND:
        return False
    faq = index.faq("2")
    return faq is not None and "コンビニ" in faq.answer


def _told(storage: Storage, notifier: RecordingNotifier) -> tuple[int, bool]:
    mails = sum(PUBLISHED_SUBJECT in subject for subject, _ in notifier.sent)
    latest = storage.get("reports/latest.json")
    report = json.loads(latest) if latest else {}
    return mails, report.get("key") == SECOND and report.get("status") == "published"


def steps_of_a_publish() -> list[str]:
    """Every storage and notifier call of the second publish when nothing fails."""
    with tempfile.TemporaryDirectory() as root:
        faults = Faults()
        publish_second(Path(root), faults)
        return faults.calls


def every_fault(*, stop: bool, after: bool) -> list[Ending]:
    """One publish per call of a clean publish, that call failing (or stopping the function)
    before it or after it took effect."""
    endings = []
    for n in range(1, len(steps_of_a_publish()) + 1):
        with tempfile.TemporaryDirectory() as root:
            faults = Faults(fail_at=n, stop=stop, after=after)
            endings.append(publish_second(Path(root), faults))
    return endings
