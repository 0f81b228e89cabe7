"""The nightly rebuild: the live workbook indexed again with what residents taught since, made
live only when the workbook's テスト sheet scores no worse than the live index."""

from __future__ import annotations

import enum
import hashlib
import logging
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from madoguchi.adapters.embed_cache import CachingEmbedder
from madoguchi.adapters.storage import Storage
from madoguchi.clock import Clock, system_clock, utc_now
from madoguchi.config import Config
from madoguchi.learning.phrasing import phrasing_key
from madoguchi.model import BotSettings, LearnedPhrasing
from madoguchi.publish.versions import Pointer, VersionRecord, VersionStore, iso_utc, to_json
from madoguchi.publish.workflow import KEEP_VERSIONS, Learner, build_searchable
from madoguchi.search import evaluate
from madoguchi.search.answer_policy import Calibration
from madoguchi.workbook import validate_workbook

log = logging.getLogger(__name__)

# Tonight's answer threshold from the live settings and the last calibration (LogCalibration).
Calibrator = Callable[[BotSettings, Calibration | None], Calibration | None]
REBUILD_SUFFIX = "learn"  # version names of nightly builds end with it
LATEST_REPORT = "learning/latest.json"  # under the report prefix: the last night's outcome


class RebuildStatus(enum.StrEnum):
    """How a nightly rebuild ended."""

    PUBLISHED = "published"  # the new phrasings are live
    UNCHANGED = "unchanged"  # nothing new was learned: no new version
    KEPT = "kept"  # the テスト sheet scored worse: the live index stays
    NOTHING_LIVE = "nothing_live"  # nothing published yet
    UNREADABLE = "unreadable"  # the live workbook is gone or no longer valid
    LOG_UNREADABLE = "log_unreadable"  # the search log could not be read: nothing changes
    OFF = "off"  # 設定 住民の言葉から学ぶ is off and the live index learned nothing
    SUPERSEDED = "superseded"  # an upload or rollback moved the pointer meanwhile


@dataclass
class RebuildOutcome:
    """What one nightly rebuild did, for the log and the report folder."""

    status: RebuildStatus
    live_version: str | None = None
    version: str | None = None
    learning: dict[str, Any] = field(default_factory=dict)
    tests: dict[str, Any] = field(default_factory=dict)  # {"new": figures, "live": figures}
    # Tonight's calibration of the answer threshold (answer_policy.Calibration.to_dict).
    calibration: dict[str, Any] | None = None
    seconds: float = 0.0

    def to_dict(self) -> dict[str, Any]:
        """The stored and logged form (counts only, no residents' words)."""
        return {
            "status": self.status.value,
            "live_version": self.live_version,
            "version": self.version,
            "learning": self.learning,
            "tests": self.tests,
            "calibration": self.calibration,
            "seconds": round(self.seconds, 3),
        }


def _same(a: tuple[LearnedPhrasing, ...], b: tuple[LearnedPhrasing, ...]) -> bool:
    """Whether two builds learned the same phrasings (counts and dates may differ)."""
    return {(phrasing_key(p.text), p.faq_id) for p in a} == {
        (phrasing_key(p.text), p.faq_id) for p in b
    }


def _figures(metrics: dict[str, Any]) -> dict[str, Any]:
    return {k: metrics[k] for k in ("n", "hit@1", "hit@4", "mrr@10") if k in metrics}


def no_worse(new: dict[str, Any], live: dict[str, Any]) -> bool:
    """The new index ranks the テスト questions at least as well: Hit@1, Hit@4 and MRR."""
    return all(new.get(k, 0.0) >= live.get(k, 0.0) - 1e-9 for k in ("hit@1", "hit@4", "mrr@10"))


def rebuild_live(
    storage: Storage,
    *,
    config: Config,
    learner: Learner,
    clock: Clock = system_clock,
    embedder: CachingEmbedder | None = None,
    calibrator: Calibrator | None = None,
) -> RebuildOutcome:
    """Index the live workbook again with the phrasings learned now; publish when no worse.
    Then move the answer threshold toward 回答の確かさ's target (see learning.calibration)."""
    started = time.perf_counter()
    outcome = _rebuild(storage, config, learner, clock, embedder)
    if calibrator is not None and outcome.status is not RebuildStatus.NOTHING_LIVE:
        outcome.calibration = _calibrate(storage, config, calibrator)
    outcome.seconds = time.perf_counter() - started
    try:
        key = config.report_prefix + LATEST_REPORT
        storage.put(key, to_json(outcome.to_dict()), "application/json; charset=utf-8")
    except Exception:
        log.exception("the nightly rebuild's report could not be written")
    log.info("nightly rebuild", extra={"rebuild": outcome.to_dict()})
    return outcome


def _calibrate(storage: Storage, config: Config, calibrator: Calibrator) -> dict[str, Any] | None:
    """Tonight's calibration, kept in the live pointer for the webhook; None when it failed."""
    versions = VersionStore(storage, config.index_prefix)
    try:
        pointer = versions.pointer()
        live = versions.load_index(pointer) if pointer is not None else None
        if pointer is None or live is None:
            return None
        calibration = calibrator(live.settings, Calibration.from_dict(pointer.calibration))
        if calibration is None:
            return None
        versions.calibrate(calibration.to_dict())
    except Exception:
        log.exception("the answer threshold could not be calibrated tonight; it stays")
        return None
    return calibration.to_dict()


def _rebuild(
    storage: Storage,
    config: Config,
    learner: Learner,
    clock: Clock,
    embedder: CachingEmbedder | None,
) -> RebuildOutcome:
    versions = VersionStore(storage, config.index_prefix)
    pointer = versions.pointer()
    if pointer is None:
        return RebuildOutcome(RebuildStatus.NOTHING_LIVE)
    outcome = RebuildOutcome(RebuildStatus.UNREADABLE, live_version=pointer.version)
    data = storage.get(pointer.source.key, pointer.source.version_id)
    result = validate_workbook(data) if data is not None else None
    if result is None or not result.ok or result.workbook is None:
        log.warning("the live workbook cannot be read again; nothing rebuilt")
        return outcome
    workbook = result.workbook
    live = versions.load_index(pointer)
    assert live is not None  # the pointer names it
    learned = learner(workbook)
    outcome.learning = learned.summary()
    if learned.error:
        outcome.status = RebuildStatus.LOG_UNREADABLE  # keep what the bot knows
        return outcome
    if _same(learned.phrasings, live.learned):
        outcome.status = RebuildStatus.OFF if not learned.enabled else RebuildStatus.UNCHANGED
        return outcome
    built_at = iso_utc(utc_now(clock))
    index, _ = build_searchable(
        workbook,
        checksum=result.checksum,
        built_at=built_at,
        learned=learned.phrasings,
        embedder=embedder,
        views=learned.views,
    )
    if index.semantic:
        live.attach_embedder(embedder)  # both scored as residents get them
    new_figures = _figures(evaluate(index, workbook.tests))
    live_figures = _figures(evaluate(live, workbook.tests))
    outcome.tests = {"new": new_figures, "live": live_figures}
    if not no_worse(new_figures, live_figures):
        outcome.status = RebuildStatus.KEPT
        return outcome
    artifact = index.to_bytes()
    compact = built_at[:19].replace("-", "").replace(":", "").replace("T", "-")
    version = f"{compact}-{REBUILD_SUFFIX}"
    counts = {
        **pointer.counts,
        "learned_phrasings": len(index.learned),
        "learned_residents": learned.residents,
    }
    record = VersionRecord(
        version=version,
        artifact_key=versions.artifact_key(version),
        checksum=hashlib.sha256(artifact).hexdigest(),
        workbook_checksum=result.checksum,
        artifact_bytes=len(artifact),
        built_at=built_at,
        counts=counts,
        menu_hash=index.meta.get("menu_hash", ""),
        tests=new_figures,
        source=pointer.source,
    )
    versions.store(record, artifact, learned=index.learned)

    def propose(current: Pointer | None) -> Pointer | None:
        # Staff uploaded or DevOps rolled back while this ran: theirs wins.
        if current is None or current.version != pointer.version:
            return None
        return Pointer.naming(record, current, published_at=iso_utc(utc_now(clock)))

    _, written = versions.switch(propose)
    if written is None:
        versions.retire(version)
        outcome.status = RebuildStatus.SUPERSEDED
        return outcome
    outcome.status, outcome.version = RebuildStatus.PUBLISHED, version
    try:
        # A night's build replaces the previous night's of the same workbook, so nightly builds
        # never push the versions staff uploaded out of the newest KEEP_VERSIONS.
        if pointer.version.endswith(f"-{REBUILD_SUFFIX}"):
            versions.retire(pointer.version)
        versions.prune(KEEP_VERSIONS)
    except Exception:
        log.exception("retiring index versions failed; the next publish retires them")
    return outcome
