"""Turn an uploaded workbook into the live search index, or keep the old one and say why."""

from __future__ import annotations

import hashlib
import json
import logging
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import PurePosixPath
from typing import Any

from madoguchi.adapters.notifier import Notifier
from madoguchi.adapters.storage import Storage
from madoguchi.clock import Clock, system_clock, utc_now
from madoguchi.config import Config
from madoguchi.search import SearchIndex, build_index, evaluate
from madoguchi.upload_report import UploadReport, UploadStatus
from madoguchi.workbook import format_report_ja, validate_workbook
from madoguchi.workbook.problems import Problem, Severity

log = logging.getLogger(__name__)

POINTER_NAME = "current.json"
VERSIONS_DIR = "versions/"
PROCESSED_DIR = "processed/"
ARTIFACT_SUFFIX = ".index"
RECORD_SUFFIX = ".json"
POINTER_FORMAT = 1
KEEP_VERSIONS = 10  # newest versions kept for rollback; older ones are retired
MAX_UPLOAD_BYTES = 25 * 1024 * 1024  # a real FAQ workbook is well under 1 MB
POINTER_ATTEMPTS = 5
JSON_TYPE = "application/json; charset=utf-8"
TEXT_TYPE = "text/plain; charset=utf-8"


class PublishedIndexError(RuntimeError):
    """The pointer names an artifact that is missing or does not match its checksum."""


@dataclass(frozen=True)
class Upload:
    """One uploaded object, identified by key and version (or ETag) and placed in time."""

    key: str
    version_id: str | None
    etag: str
    uploaded_at: str  # ISO UTC with microseconds, so strings compare in time order
    sequencer: str = ""

    @property
    def upload_id(self) -> str:
        """Stable id: the same object redelivered gets the same id."""
        identity = f"{self.key}\n{self.version_id or self.etag}"
        return hashlib.sha256(identity.encode()).hexdigest()[:32]

    def to_dict(self) -> dict[str, Any]:
        """Plain form stored in the pointer."""
        return {
            "key": self.key,
            "version_id": self.version_id,
            "etag": self.etag,
            "uploaded_at": self.uploaded_at,
            "sequencer": self.sequencer,
            "upload_id": self.upload_id,
        }


def is_newer(upload: Upload, recorded: dict[str, Any] | None) -> bool:
    """True if `upload` happened after the upload recorded in the pointer."""
    if not recorded:
        return True
    if recorded.get("upload_id") == upload.upload_id:
        # Seen before: only a refused upload whose report was never finished is looked at again.
        return bool(recorded.get("refused"))
    other_sequencer = recorded.get("sequencer") or ""
    if recorded.get("key") == upload.key and upload.sequencer and other_sequencer:
        # S3 orders events on one key by sequencer: right-pad with zeros, compare as text.
        width = max(len(upload.sequencer), len(other_sequencer))
        mine, theirs = upload.sequencer.ljust(width, "0"), other_sequencer.ljust(width, "0")
        if mine != theirs:
            return mine.upper() > theirs.upper()
    mine_at, theirs_at = upload.uploaded_at, recorded.get("uploaded_at") or ""
    if mine_at != theirs_at:
        return mine_at > theirs_at
    # Same instant on different keys: any fixed order keeps redeliveries from flip-flopping.
    return upload.upload_id > (recorded.get("upload_id") or "")


def iso_utc(moment: datetime | str) -> str:
    """A fixed-width ISO UTC string (2026-04-01T00:05:03.120000Z) that sorts by time."""
    if isinstance(moment, str):
        moment = datetime.fromisoformat(moment.replace("Z", "+00:00"))
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def pointer_key(config: Config) -> str:
    """The small object naming the live index."""
    return config.index_prefix + POINTER_NAME


def current_pointer(storage: Storage, config: Config) -> dict | None:
    """The live pointer, or None before the first publish."""
    data = storage.get(pointer_key(config))
    return None if data is None else json.loads(data)


def load_published_index(
    storage: Storage, config: Config, pointer: dict | None = None
) -> SearchIndex | None:
    """The live search index (None before the first publish); checks the artifact's checksum."""
    pointer = pointer if pointer is not None else current_pointer(storage, config)
    if pointer is None:
        return None
    data = storage.get(pointer["artifact_key"])
    if data is None:
        raise PublishedIndexError(f"published artifact {pointer['artifact_key']} is missing")
    if hashlib.sha256(data).hexdigest() != pointer["checksum"]:
        raise PublishedIndexError(f"published artifact {pointer['artifact_key']} is corrupted")
    return SearchIndex.from_bytes(data)


def list_versions(storage: Storage, config: Config) -> list[dict]:
    """Every stored version record, newest first, with `current` set on the live one."""
    pointer = current_pointer(storage, config) or {}
    records = []
    for key in storage.list(config.index_prefix + VERSIONS_DIR):
        if not key.endswith(RECORD_SUFFIX):
            continue
        data = storage.get(key)
        if data is None:
            continue  # retired between list and get
        record = json.loads(data)
        record["current"] = record.get("version") == pointer.get("version")
        records.append(record)
    return sorted(records, key=lambda r: (r["built_at"], r["version"]), reverse=True)


def rollback(
    storage: Storage, config: Config, version: str, *, clock: Clock = system_clock
) -> dict:
    """Make an earlier version live again; returns the new pointer."""
    record_data = storage.get(_record_key(config, version))
    if record_data is None:
        raise KeyError(f"no such index version: {version}")
    record = json.loads(record_data)
    artifact = storage.get(record["artifact_key"])
    if artifact is None or hashlib.sha256(artifact).hexdigest() != record["checksum"]:
        raise PublishedIndexError(f"the artifact of version {version} is missing or corrupted")
    # Re-writing the artifact drops any retirement tag and restarts its lifecycle clock.
    storage.put(record["artifact_key"], artifact)
    storage.put(_record_key(config, version), record_data, JSON_TYPE)
    for _ in range(POINTER_ATTEMPTS):
        found = storage.get_tagged(pointer_key(config))
        current, etag = (json.loads(found[0]), found[1]) if found else (None, None)
        pointer = _pointer_from_record(record, current, clock)
        pointer["rolled_back_from"] = current.get("version") if current else None
        if storage.put_if_match(pointer_key(config), _json(pointer), etag, JSON_TYPE):
            log.info("rolled back to %s", version)
            return pointer
    raise RuntimeError("the pointer kept changing while rolling back; try again")


def publish_upload(
    storage: Storage,
    key: str,
    *,
    version_id: str | None = None,
    notifier: Notifier | None = None,
    config: Config,
    event_time: str | None = None,
    sequencer: str | None = None,
    after_publish: Callable[[SearchIndex], dict[str, Any]] | None = None,
    clock: Clock = system_clock,
) -> UploadReport:
    """Validate, build and publish one uploaded workbook; always writes a report.

    `after_publish` (the rich menu sync) runs on the new index before the report is written; its
    result goes into the report, and its failure never undoes the publish.
    """
    run = _PublishRun(storage, config, key, version_id, clock)
    report = run.process(event_time, sequencer)
    if after_publish is not None and report.status is UploadStatus.PUBLISHED and run.index:
        try:
            report.rich_menu = after_publish(run.index)
        except Exception:
            log.exception("the after-publish step failed; the new index stays live")
            report.rich_menu = {"status": "failed", "message": "メニューを更新できませんでした。"}
    run.finish(report, notifier)
    return report


class _PublishRun:
    """The steps of one publish_upload call, sharing storage, config and timings."""

    def __init__(
        self, storage: Storage, config: Config, key: str, version_id: str | None, clock: Clock
    ):
        self.storage, self.config, self.key, self.clock = storage, config, key, clock
        self.report = UploadReport(
            status=UploadStatus.REFUSED,
            key=key,
            version_id=version_id,
            received_at=iso_utc(utc_now(clock)),
        )
        self.started = time.perf_counter()
        self.artifact_key: str | None = None
        self.index: SearchIndex | None = None

    def timed(self, name: str, since: float) -> None:
        self.report.timings[name] = round(time.perf_counter() - since, 4)

    def process(self, event_time: str | None, sequencer: str | None) -> UploadReport:
        report, storage = self.report, self.storage
        info = storage.head(self.key, report.version_id)
        pointer = current_pointer(storage, self.config)
        report.live_version = report.previous_version = pointer and pointer["version"]
        if info is None:
            return self.refuse(
                [
                    _problem(
                        "アップロードされたファイルが見つかりませんでした。",
                        "もう一度ファイルを保存(アップロード)してください。",
                    )
                ]
            )
        upload = Upload(
            key=self.key,
            version_id=info.version_id or report.version_id,
            etag=info.etag,
            uploaded_at=iso_utc(event_time or info.last_modified),
            sequencer=sequencer or "",
        )
        report.version_id, report.upload_id = upload.version_id, upload.upload_id
        report.uploaded_at = upload.uploaded_at
        self.upload = upload
        marker = storage.get(self._marker_key())
        if marker is not None or (pointer and pointer["source"]["upload_id"] == upload.upload_id):
            report.status = UploadStatus.DUPLICATE
            return report
        if pointer and not is_newer(upload, pointer.get("latest_upload")):
            return self.supersede(pointer)
        if info.size > MAX_UPLOAD_BYTES:
            return self.refuse(
                [
                    _problem(
                        f"ファイルが大きすぎます({info.size // (1024 * 1024)} MB)。",
                        "FAQ のワークブックだけを保存してください。画像などは入れないでください。",
                    )
                ]
            )
        data = storage.get(self.key, upload.version_id)
        if data is None:
            unreadable = _problem("ファイルを読めませんでした。", "もう一度保存してください。")
            return self.refuse([unreadable])
        return self.validate_and_publish(data, pointer)

    def validate_and_publish(self, data: bytes, pointer: dict | None) -> UploadReport:
        report = self.report
        since = time.perf_counter()
        result = validate_workbook(data, filename=PurePosixPath(self.key).name)
        self.timed("validate", since)
        report.checksum, report.problems = result.checksum, list(result.problems)
        report.validation_text = format_report_ja(result)
        if not result.ok:
            return self.refuse([])
        workbook = result.workbook
        report.counts = {
            "faqs": len(workbook.faqs),
            "published_faqs": len(workbook.published_faqs),
            "unpublished_faqs": len(workbook.faqs) - len(workbook.published_faqs),
            "synonym_groups": len(workbook.synonyms),
            "menu_tabs": len(workbook.menu),
            "menu_buttons": sum(len(tab.buttons) for tab in workbook.menu),
            "tests": len(workbook.tests),
        }
        since = time.perf_counter()
        built_at = iso_utc(utc_now(self.clock))
        try:
            index = build_index(workbook, checksum=result.checksum, built_at=built_at)
            artifact = index.to_bytes()
        except Exception:
            # The validator accepted it, so this is our fault, but staff still need to hear.
            log.exception("building the index failed")
            return self.refuse(
                [
                    _problem(
                        "検索用のデータを作れませんでした。",
                        "ファイルはそのままで、システムの担当者に連絡してください。",
                    )
                ]
            )
        self.timed("build", since)
        self.evaluate(index, workbook.tests, pointer)
        self.index = index
        since = time.perf_counter()
        version = _version_name(built_at, self.upload.upload_id)
        report.version = version
        self.artifact_key = self.config.index_prefix + VERSIONS_DIR + version + ARTIFACT_SUFFIX
        record = {
            "version": version,
            "artifact_key": self.artifact_key,
            "checksum": hashlib.sha256(artifact).hexdigest(),
            "workbook_checksum": result.checksum,
            "artifact_bytes": len(artifact),
            "built_at": built_at,
            "counts": report.counts,
            "menu_hash": index.meta.get("menu_hash", ""),
            "tests": {k: v for k, v in (report.tests.get("new") or {}).items() if k != "misses"},
            "source": self.upload.to_dict(),
        }
        self.storage.put(self.artifact_key, artifact)
        self.storage.put(_record_key(self.config, version), _json(record), JSON_TYPE)
        switched = self.switch_pointer(record)
        self.timed("publish", since)
        return switched

    def evaluate(self, index: SearchIndex, tests, pointer: dict | None) -> None:
        since = time.perf_counter()
        self.report.tests["new"] = _test_summary(evaluate(index, tests), index)
        self.report.tests["previous"] = None
        if pointer is not None:
            try:
                previous = load_published_index(self.storage, self.config, pointer)
                self.report.tests["previous"] = _test_summary(evaluate(previous, tests), previous)
            except Exception:
                # Comparing is a courtesy; a broken old index must not stop a good new one.
                log.exception("evaluating the previous index failed")
                self.report.tests["previous"] = None
        self.timed("evaluate", since)

    def switch_pointer(self, record: dict) -> UploadReport:
        key = pointer_key(self.config)
        for _ in range(POINTER_ATTEMPTS):
            found = self.storage.get_tagged(key)
            current, etag = (json.loads(found[0]), found[1]) if found else (None, None)
            if current and current["source"]["upload_id"] == self.upload.upload_id:
                self.storage.retire(self.artifact_key)
                self.storage.retire(_record_key(self.config, record["version"]))
                self.report.status = UploadStatus.DUPLICATE
                return self.report
            if current and not is_newer(self.upload, current.get("latest_upload")):
                self.storage.retire(self.artifact_key)
                self.storage.retire(_record_key(self.config, record["version"]))
                return self.supersede(current)
            pointer = _pointer_from_record(record, current, self.clock)
            pointer["latest_upload"] = self.upload.to_dict()
            if self.storage.put_if_match(key, _json(pointer), etag, JSON_TYPE):
                self.report.status = UploadStatus.PUBLISHED
                self.report.live_version = record["version"]
                self.report.previous_version = current and current["version"]
                self.prune()
                return self.report
            log.info("pointer changed while publishing; reading it again")
        raise RuntimeError("the index pointer kept changing; the upload will be retried")

    def prune(self) -> None:
        """Retire versions beyond the newest few, never the live one."""
        records = list_versions(self.storage, self.config)
        for record in records[KEEP_VERSIONS:]:
            if record["current"]:
                continue
            self.storage.retire(record["artifact_key"])
            self.storage.retire(_record_key(self.config, record["version"]))

    def refuse(self, problems: list[Problem]) -> UploadReport:
        self.report.status = UploadStatus.REFUSED
        self.report.problems = problems + self.report.problems
        if problems:
            extra = "\n".join(f"・{p.message} {p.fix}" for p in problems)
            self.report.validation_text = (extra + "\n" + self.report.validation_text).strip()
        self.remember_refused()
        return self.report

    def remember_refused(self) -> None:
        """Make a refused upload the newest one seen, so no older upload can publish after it.

        Staff were just told the answers stay as they are until they fix this file; an older
        workbook arriving late (a delayed or retried event) must not change them behind that
        report. It is superseded instead, and saving it again makes it the newest.
        """
        upload = getattr(self, "upload", None)
        if upload is None:
            return  # the object was never found, so it has no place in time
        key = pointer_key(self.config)
        for _ in range(POINTER_ATTEMPTS):
            found = self.storage.get_tagged(key)
            if found is None:
                return  # nothing is live yet: the first good workbook goes live, whenever
            current, etag = json.loads(found[0]), found[1]
            seen = current.get("latest_upload")
            if (seen or {}).get("upload_id") == upload.upload_id or not is_newer(upload, seen):
                return
            current["latest_upload"] = {**upload.to_dict(), "refused": True}
            if self.storage.put_if_match(key, _json(current), etag, JSON_TYPE):
                return
        log.warning("the pointer kept changing; the refused upload is not marked as newest")

    def supersede(self, pointer: dict) -> UploadReport:
        self.report.status = UploadStatus.SUPERSEDED
        self.report.live_version = pointer["version"]
        self.report.newer_upload = (pointer.get("latest_upload") or {}).get("key")
        return self.report

    def _marker_key(self) -> str:
        return self.config.index_prefix + PROCESSED_DIR + self.upload.upload_id + RECORD_SUFFIX

    def finish(self, report: UploadReport, notifier: Notifier | None) -> None:
        """Remember the upload, write the report files, and tell staff."""
        if report.status is not UploadStatus.DUPLICATE and report.upload_id:
            marker = {"upload_id": report.upload_id, "status": report.status.value, "key": self.key}
            if not self.storage.put_if_absent(self._marker_key(), _json(marker), JSON_TYPE):
                # Another delivery of the same upload got here first and reports it.
                report.status = UploadStatus.DUPLICATE
        self.timed("total", self.started)
        stamp = report.received_at[:19].replace("-", "").replace(":", "")
        stem = PurePosixPath(self.key).stem.replace(" ", "_")[:60]
        base = f"{self.config.report_prefix}{stamp}_{stem}_{report.status.value}"
        if report.upload_id:
            base += "_" + report.upload_id[:8]
        report.report_key, report.text_key = base + ".json", base + ".txt"
        text = report.text()
        body = _json(report.to_dict())
        # A BOM lets older Windows editors open the Japanese text correctly.
        text_bytes = "\ufeff".encode() + text.encode("utf-8")
        self.storage.put(report.report_key, body, JSON_TYPE)
        self.storage.put(report.text_key, text_bytes, TEXT_TYPE)
        if report.status is UploadStatus.DUPLICATE:
            return  # the first delivery already told everyone
        self.storage.put(self.config.report_prefix + "latest.json", body, JSON_TYPE)
        self.storage.put(self.config.report_prefix + "latest.txt", text_bytes, TEXT_TYPE)
        if notifier is not None:
            notifier.notify(report.subject(), text)


def _pointer_from_record(record: dict, current: dict | None, clock: Clock) -> dict:
    """The pointer naming `record`, carrying forward the newest upload seen so far."""
    return {
        "format": POINTER_FORMAT,
        "version": record["version"],
        "artifact_key": record["artifact_key"],
        "checksum": record["checksum"],
        "workbook_checksum": record["workbook_checksum"],
        "built_at": record["built_at"],
        "published_at": iso_utc(utc_now(clock)),
        "counts": record["counts"],
        "menu_hash": record["menu_hash"],
        "source": record["source"],
        # Rollback keeps this, so an old upload redelivered later still cannot win.
        "latest_upload": (current or {}).get("latest_upload") or record["source"],
    }


def _test_summary(metrics: dict, index: SearchIndex) -> dict:
    """Headline figures plus the questions whose first answer was not a right one."""
    keys = ("n", "hit@1", "hit@4", "mrr@10", "no_answer_rate")
    summary: dict[str, Any] = {k: metrics[k] for k in keys if k in metrics}
    summary["misses"] = [
        {
            "query": case["query"],
            "row": case.get("row"),
            "expected": list(case["relevant_ids"]),
            "top_id": case["top"][0] if case.get("top") else None,
            "top_question": _question_of(index, case["top"][0]) if case.get("top") else None,
            "rank": case["rank"],
        }
        for case in metrics.get("cases", [])
        if case.get("rank") != 1
    ]
    return summary


def _question_of(index: SearchIndex, faq_id: str) -> str:
    faq = index.faq(faq_id)
    return faq.question if faq else ""


def _version_name(built_at: str, upload_id: str) -> str:
    """Sortable, readable and unique per upload: 20260401-000503-1a2b3c4d."""
    compact = built_at[:19].replace("-", "").replace(":", "").replace("T", "-")
    return f"{compact}-{upload_id[:8]}"


def _record_key(config: Config, version: str) -> str:
    return config.index_prefix + VERSIONS_DIR + version + RECORD_SUFFIX


def _problem(message: str, fix: str) -> Problem:
    return Problem(severity=Severity.ERROR, message=message, fix=fix)


def _json(data: Any) -> bytes:
    return json.dumps(data, ensure_ascii=False, indent=2).encode("utf-8")


__all__ = [
    "PublishedIndexError",
    "UploadReport",
    "UploadStatus",
    "current_pointer",
    "is_newer",
    "list_versions",
    "load_published_index",
    "publish_upload",
    "rollback",
]
