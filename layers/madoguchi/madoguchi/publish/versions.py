"""Published index versions: the pointer naming the live one, a record per version, and the one
compare-and-swap that moves the pointer (publish and rollback both use it).

The JSON of the pointer (`<index prefix>current.json`) and of the records
(`<index prefix>versions/<version>.json`) is what buckets already hold: field names and order are
kept, so existing deployments keep working and rollback still finds older versions.
"""

from __future__ import annotations

import hashlib
import json
import logging
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from typing import Any

from madoguchi.adapters.storage import Storage
from madoguchi.clock import Clock, system_clock, utc_now
from madoguchi.model import LearnedPhrasing
from madoguchi.search import SearchIndex

log = logging.getLogger(__name__)

POINTER_NAME = "current.json"
VERSIONS_DIR = "versions/"
ARTIFACT_SUFFIX = ".index"
RECORD_SUFFIX = ".json"
# The phrasings learned from residents that a version was built with (JSON, not a record).
LEARNED_SUFFIX = ".learned"
# One record per notice sent to every friend (madoguchi.publish.broadcast), by its identity.
BROADCASTS_DIR = "broadcasts/"
POINTER_FORMAT = 1
POINTER_ATTEMPTS = 5
JSON_TYPE = "application/json; charset=utf-8"


class PublishedIndexError(RuntimeError):
    """The pointer names an artifact that is missing or does not match its checksum."""


class PointerContention(RuntimeError):
    """Other writers kept changing the pointer; nothing was switched (safe to try again)."""


@dataclass(frozen=True)
class Upload:
    """One uploaded object, identified by key and version (or ETag) and placed in time."""

    key: str
    version_id: str | None
    etag: str
    uploaded_at: str  # ISO UTC with microseconds, so strings compare in time order
    sequencer: str = ""
    refused: bool = False  # on the newest-upload mark: that upload was refused, nothing built

    @property
    def upload_id(self) -> str:
        """Stable id: the same object redelivered gets the same id."""
        identity = f"{self.key}\n{self.version_id or self.etag}"
        return hashlib.sha256(identity.encode()).hexdigest()[:32]

    def to_dict(self) -> dict[str, Any]:
        """Plain form stored in the pointer and the records."""
        return {
            "key": self.key,
            "version_id": self.version_id,
            "etag": self.etag,
            "uploaded_at": self.uploaded_at,
            "sequencer": self.sequencer,
            "upload_id": self.upload_id,
            **({"refused": True} if self.refused else {}),
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Upload:
        """Inverse of to_dict (the id is derived again from key and version)."""
        return cls(
            key=data["key"],
            version_id=data.get("version_id"),
            etag=data.get("etag") or "",
            uploaded_at=data.get("uploaded_at") or "",
            sequencer=data.get("sequencer") or "",
            refused=bool(data.get("refused")),
        )


def is_newer(upload: Upload, recorded: Upload | None) -> bool:
    """True if `upload` happened after `recorded` (the newest upload the pointer has seen)."""
    if recorded is None:
        return True
    if recorded.upload_id == upload.upload_id:
        # Seen before: only a refused upload whose report was never finished is looked at again.
        return recorded.refused
    if recorded.key == upload.key and upload.sequencer and recorded.sequencer:
        # S3 orders events on one key by sequencer: right-pad with zeros, compare as text.
        width = max(len(upload.sequencer), len(recorded.sequencer))
        mine, theirs = upload.sequencer.ljust(width, "0"), recorded.sequencer.ljust(width, "0")
        if mine != theirs:
            return mine.upper() > theirs.upper()
    if upload.uploaded_at != recorded.uploaded_at:
        return upload.uploaded_at > recorded.uploaded_at
    # Same instant on different keys: any fixed order keeps redeliveries from flip-flopping.
    return upload.upload_id > recorded.upload_id


def iso_utc(moment: datetime | str) -> str:
    """A fixed-width ISO UTC string (2026-04-01T00:05:03.120000Z) that sorts by time."""
    if isinstance(moment, str):
        moment = datetime.fromisoformat(moment.replace("Z", "+00:00"))
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


@dataclass(frozen=True)
class VersionRecord:
    """One built index version, stored beside its artifact."""

    version: str
    artifact_key: str
    checksum: str  # sha256 of the artifact
    workbook_checksum: str
    artifact_bytes: int
    built_at: str
    counts: dict[str, int]
    menu_hash: str
    tests: dict[str, Any]  # headline figures of the workbook's テスト sheet
    source: Upload

    def to_dict(self) -> dict[str, Any]:
        """The stored form."""
        return {
            "version": self.version,
            "artifact_key": self.artifact_key,
            "checksum": self.checksum,
            "workbook_checksum": self.workbook_checksum,
            "artifact_bytes": self.artifact_bytes,
            "built_at": self.built_at,
            "counts": self.counts,
            "menu_hash": self.menu_hash,
            "tests": self.tests,
            "source": self.source.to_dict(),
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> VersionRecord:
        """Inverse of to_dict."""
        return cls(
            version=data["version"],
            artifact_key=data["artifact_key"],
            checksum=data["checksum"],
            workbook_checksum=data.get("workbook_checksum") or "",
            artifact_bytes=int(data.get("artifact_bytes") or 0),
            built_at=data["built_at"],
            counts=dict(data.get("counts") or {}),
            menu_hash=data.get("menu_hash") or "",
            tests=dict(data.get("tests") or {}),
            source=Upload.from_dict(data["source"]),
        )


@dataclass(frozen=True)
class Pointer:
    """The small object naming the live version, and the newest upload seen so far."""

    version: str
    artifact_key: str
    checksum: str
    workbook_checksum: str
    built_at: str
    published_at: str
    counts: dict[str, int]
    menu_hash: str
    source: Upload  # the upload the live version was built from
    # Kept across rollbacks, so an old upload redelivered later still cannot win.
    latest_upload: Upload | None
    rolled_back_from: str | None = None
    rollback: bool = False  # written by a rollback (the record then says from which version)
    # The nightly calibration of the answer threshold (answer_policy.Calibration.to_dict): it
    # belongs to the city, not to one version, so publishing and rollback carry it forward.
    calibration: dict[str, Any] | None = None
    format: int = POINTER_FORMAT
    extra: dict[str, Any] = field(default_factory=dict, compare=False, repr=False)

    @classmethod
    def naming(
        cls,
        record: VersionRecord,
        current: Pointer | None,
        *,
        published_at: str,
        latest_upload: Upload | None = None,
    ) -> Pointer:
        """The pointer naming `record`, carrying forward the newest upload seen so far."""
        latest = latest_upload or (current.latest_upload if current else None) or record.source
        return cls(
            version=record.version,
            artifact_key=record.artifact_key,
            checksum=record.checksum,
            workbook_checksum=record.workbook_checksum,
            built_at=record.built_at,
            published_at=published_at,
            counts=record.counts,
            menu_hash=record.menu_hash,
            source=record.source,
            latest_upload=latest,
            calibration=current.calibration if current else None,
        )

    def to_dict(self) -> dict[str, Any]:
        """The stored form."""
        data: dict[str, Any] = {
            "format": self.format,
            "version": self.version,
            "artifact_key": self.artifact_key,
            "checksum": self.checksum,
            "workbook_checksum": self.workbook_checksum,
            "built_at": self.built_at,
            "published_at": self.published_at,
            "counts": self.counts,
            "menu_hash": self.menu_hash,
            "source": self.source.to_dict(),
        }
        if self.latest_upload is not None:
            data["latest_upload"] = self.latest_upload.to_dict()
        if self.rollback:
            data["rolled_back_from"] = self.rolled_back_from
        if self.calibration is not None:
            data["calibration"] = self.calibration
        return {**data, **self.extra}

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Pointer:
        """Inverse of to_dict; fields this code does not know are kept as they are."""
        known = {
            "format",
            "version",
            "artifact_key",
            "checksum",
            "workbook_checksum",
            "built_at",
            "published_at",
            "counts",
            "menu_hash",
            "source",
            "latest_upload",
            "rolled_back_from",
            "calibration",
        }
        latest = data.get("latest_upload")
        return cls(
            format=int(data.get("format") or POINTER_FORMAT),
            version=data["version"],
            artifact_key=data["artifact_key"],
            checksum=data["checksum"],
            workbook_checksum=data.get("workbook_checksum") or "",
            built_at=data.get("built_at") or "",
            published_at=data.get("published_at") or "",
            counts=dict(data.get("counts") or {}),
            menu_hash=data.get("menu_hash") or "",
            source=Upload.from_dict(data["source"]),
            latest_upload=Upload.from_dict(latest) if latest else None,
            rolled_back_from=data.get("rolled_back_from"),
            rollback="rolled_back_from" in data,
            calibration=data.get("calibration")
            if isinstance(data.get("calibration"), dict)
            else None,
            extra={k: v for k, v in data.items() if k not in known},
        )


def to_json(data: dict[str, Any]) -> bytes:
    """How pointers, records and reports are written: indented UTF-8 JSON."""
    return json.dumps(data, ensure_ascii=False, indent=2).encode("utf-8")


class VersionStore:
    """The versions under one index prefix: records, artifacts and the pointer."""

    def __init__(self, storage: Storage, index_prefix: str) -> None:
        self.storage = storage
        self.prefix = index_prefix

    @property
    def pointer_key(self) -> str:
        """The small object naming the live index."""
        return self.prefix + POINTER_NAME

    def artifact_key(self, version: str) -> str:
        """Where a version's index file lives."""
        return self.prefix + VERSIONS_DIR + version + ARTIFACT_SUFFIX

    def record_key(self, version: str) -> str:
        """Where a version's record lives."""
        return self.prefix + VERSIONS_DIR + version + RECORD_SUFFIX

    def broadcast_key(self, notice_identity: str) -> str:
        """The record that a notice was (or is being) sent to every friend; it outlives
        versions, so a re-upload of the same notice never sends it twice."""
        return self.prefix + BROADCASTS_DIR + notice_identity + RECORD_SUFFIX

    def learned_key(self, version: str) -> str:
        """Where the phrasings a version learned from residents are listed."""
        return self.prefix + VERSIONS_DIR + version + LEARNED_SUFFIX

    def learned(self, version: str) -> tuple[LearnedPhrasing, ...] | None:
        """What a version learned from residents; None for versions that kept no list."""
        data = self.storage.get(self.learned_key(version))
        if data is None:
            return None
        return tuple(LearnedPhrasing.from_dict(p) for p in json.loads(data)["phrasings"])

    def pointer(self) -> Pointer | None:
        """The live pointer, or None before the first publish."""
        data = self.storage.get(self.pointer_key)
        return None if data is None else Pointer.from_dict(json.loads(data))

    def load_index(self, pointer: Pointer | None = None) -> SearchIndex | None:
        """The live search index (None before the first publish); checks the artifact's checksum."""
        pointer = pointer if pointer is not None else self.pointer()
        if pointer is None:
            return None
        data = self.storage.get(pointer.artifact_key)
        if data is None:
            raise PublishedIndexError(f"published artifact {pointer.artifact_key} is missing")
        if hashlib.sha256(data).hexdigest() != pointer.checksum:
            raise PublishedIndexError(f"published artifact {pointer.artifact_key} is corrupted")
        return SearchIndex.from_bytes(data)

    def versions(self) -> list[VersionRecord]:
        """Every stored version record, newest first."""
        records = []
        for key in self.storage.list(self.prefix + VERSIONS_DIR):
            if not key.endswith(RECORD_SUFFIX):
                continue
            data = self.storage.get(key)
            if data is None:
                continue  # retired between list and get
            records.append(VersionRecord.from_dict(json.loads(data)))
        return sorted(records, key=lambda r: (r.built_at, r.version), reverse=True)

    def store(
        self,
        record: VersionRecord,
        artifact: bytes,
        learned: tuple[LearnedPhrasing, ...] = (),
    ) -> None:
        """Write a new version's artifact, learned phrasings and record (not live until the
        pointer names it)."""
        self.storage.put(record.artifact_key, artifact)
        listed = {"version": record.version, "phrasings": [p.to_dict() for p in learned]}
        self.storage.put(self.learned_key(record.version), to_json(listed), JSON_TYPE)
        self.storage.put(self.record_key(record.version), to_json(record.to_dict()), JSON_TYPE)

    def retire(self, version: str) -> None:
        """Let storage expire a version's artifact and record."""
        self.storage.retire(self.artifact_key(version))
        self.storage.retire(self.learned_key(version))
        self.storage.retire(self.record_key(version))

    def prune(self, keep: int) -> None:
        """Retire versions beyond the newest `keep`, never the live one."""
        pointer = self.pointer()
        for record in self.versions()[keep:]:
            if pointer is None or record.version != pointer.version:
                self.retire(record.version)

    def switch(
        self, propose: Callable[[Pointer | None], Pointer | None]
    ) -> tuple[Pointer | None, Pointer | None]:
        """Compare-and-swap the pointer: `propose` gets the live pointer and returns the next one,
        or None to leave it; run again whenever another writer got in between.

        Returns (the pointer seen, the pointer written or None).
        """
        for _ in range(POINTER_ATTEMPTS):
            found = self.storage.get_tagged(self.pointer_key)
            current = Pointer.from_dict(json.loads(found[0])) if found else None
            proposed = propose(current)
            if proposed is None:
                return current, None
            etag = found[1] if found else None
            if self.storage.put_if_match(
                self.pointer_key, to_json(proposed.to_dict()), etag, JSON_TYPE
            ):
                return current, proposed
            log.info("the index pointer changed while switching it; reading it again")
        raise PointerContention("the index pointer kept changing; try again")

    def calibrate(self, calibration: dict[str, Any]) -> Pointer | None:
        """Keep tonight's calibration in the live pointer (whichever version is live by then);
        None before the first publish."""

        def propose(current: Pointer | None) -> Pointer | None:
            return None if current is None else replace(current, calibration=calibration)

        return self.switch(propose)[1]

    def rollback(self, version: str, *, clock: Clock = system_clock) -> Pointer:
        """Make an earlier version live again; returns the new pointer."""
        record_data = self.storage.get(self.record_key(version))
        if record_data is None:
            raise KeyError(f"no such index version: {version}")
        record = VersionRecord.from_dict(json.loads(record_data))
        artifact = self.storage.get(record.artifact_key)
        if artifact is None or hashlib.sha256(artifact).hexdigest() != record.checksum:
            raise PublishedIndexError(f"the artifact of version {version} is missing or corrupted")
        # Re-writing the artifact drops any retirement tag and restarts its lifecycle clock.
        self.storage.put(record.artifact_key, artifact)
        self.storage.put(self.record_key(version), record_data, JSON_TYPE)

        def propose(current: Pointer | None) -> Pointer:
            pointer = Pointer.naming(record, current, published_at=iso_utc(utc_now(clock)))
            previous = current.version if current else None
            return replace(pointer, rolled_back_from=previous, rollback=True)

        _, pointer = self.switch(propose)
        assert pointer is not None  # propose always proposes
        log.info("rolled back to %s", version)
        return pointer
