"""Which uploads staff were told about: one marker per upload, and the report of a publish saved
before its pointer moves.

A delivery claims the marker before it reports and marks it reported afterwards. A duplicate
delivery of the same upload therefore stays quiet, while a retry after a failed report (S3 or
SNS down, the function stopped) reports again instead of taking the upload for a duplicate; a
publish that went live before its report failed finishes with the report it saved.
"""

from __future__ import annotations

import json
import logging
from dataclasses import dataclass
from typing import Any

from madoguchi.adapters.storage import Storage
from madoguchi.clock import Clock
from madoguchi.publish.upload_report import UploadReport, UploadStatus
from madoguchi.publish.versions import JSON_TYPE, RECORD_SUFFIX, to_json
from madoguchi.workbook.problems import Problem, Severity

log = logging.getLogger(__name__)

PROCESSED_DIR = "processed/"
DRAFT_SUFFIX = ".report.json"
REPORTING, REPORTED, RELEASED = "reporting", "reported", "released"
# A report (four small objects and one mail) takes well under a second, and Lambda retries a
# failed upload after a minute at the earliest: a claim older than this was abandoned.
CLAIM_SECONDS = 30.0


@dataclass
class Completion:
    """The markers and saved reports under one index prefix."""

    storage: Storage
    index_prefix: str
    clock: Clock

    def marker_key(self, upload_id: str) -> str:
        """The upload's marker (older deployments wrote the same key, without a state)."""
        return self.index_prefix + PROCESSED_DIR + upload_id + RECORD_SUFFIX

    def draft_key(self, upload_id: str) -> str:
        """Where a publish keeps its report until staff have it."""
        return self.index_prefix + PROCESSED_DIR + upload_id + DRAFT_SUFFIX

    def reported(self, upload_id: str) -> bool:
        """True once staff were told about this upload."""
        data = self.storage.get(self.marker_key(upload_id))
        return data is not None and _state(data) == REPORTED

    def claim(self, upload_id: str, fields: dict[str, Any]) -> bool:
        """Take the reporting of an upload; False when it is reported or being reported."""
        key = self.marker_key(upload_id)
        mine = to_json({**fields, "state": REPORTING, "claimed_at": self.clock()})
        if self.storage.put_if_absent(key, mine, JSON_TYPE):
            return True
        found = self.storage.get_tagged(key)
        if found is None:
            return self.storage.put_if_absent(key, mine, JSON_TYPE)
        data, etag = found
        state = _state(data)
        if state == REPORTED:
            return False
        if state == REPORTING:
            claimed_at = float(json.loads(data).get("claimed_at") or 0)
            if self.clock() - claimed_at < CLAIM_SECONDS:
                return False  # another delivery is reporting it right now
            log.warning("taking over an abandoned report", extra={"upload_id": upload_id})
        return self.storage.put_if_match(key, mine, etag, JSON_TYPE)

    def release(self, upload_id: str, fields: dict[str, Any]) -> None:
        """Give the claim back after a failed report, so the retry reports at once."""
        try:
            data = to_json({**fields, "state": RELEASED})
            self.storage.put(self.marker_key(upload_id), data, JSON_TYPE)
        except Exception:
            log.exception("the report claim could not be given back; it lapses by itself")

    def done(self, upload_id: str, fields: dict[str, Any]) -> None:
        """Mark the upload reported. Staff already have the report: a failure here is logged,
        not raised, since a retry would only send the same mail again."""
        try:
            data = to_json({**fields, "state": REPORTED})
            self.storage.put(self.marker_key(upload_id), data, JSON_TYPE)
        except Exception:
            log.exception("the upload was reported but could not be marked so")

    def save_draft(self, report: UploadReport) -> None:
        """Keep the report of a publish before its pointer moves."""
        data = {**report.to_dict(), "validation_text": report.validation_text}
        self.storage.put(self.draft_key(report.upload_id), to_json(data), JSON_TYPE)

    def draft(self, upload_id: str) -> UploadReport | None:
        """The saved report of a publish, or None (none saved, or unreadable)."""
        data = self.storage.get(self.draft_key(upload_id))
        if data is None:
            return None
        try:
            return report_from_dict(json.loads(data))
        except (ValueError, KeyError, TypeError):
            log.exception("the saved report of %s is unreadable", upload_id)
            return None


def _state(data: bytes) -> str:
    """A marker's state; markers of older deployments were written after reporting."""
    try:
        found = json.loads(data)
    except ValueError:
        return REPORTED
    return str(found.get("state") or REPORTED) if isinstance(found, dict) else REPORTED


def report_from_dict(data: dict[str, Any]) -> UploadReport:
    """Inverse of UploadReport.to_dict."""
    return UploadReport(
        status=UploadStatus(data["status"]),
        key=data["key"],
        version_id=data.get("version_id"),
        upload_id=data.get("upload_id") or "",
        received_at=data.get("received_at") or "",
        uploaded_at=data.get("uploaded_at") or "",
        checksum=data.get("checksum") or "",
        version=data.get("version"),
        live_version=data.get("live_version"),
        previous_version=data.get("previous_version"),
        problems=[_problem(p) for p in data.get("problems") or []],
        validation_text=data.get("validation_text") or "",
        counts=dict(data.get("counts") or {}),
        tests=dict(data.get("tests") or {}),
        timings=dict(data.get("timings") or {}),
        newer_upload=data.get("newer_upload"),
        rich_menu=data.get("rich_menu"),
        notice=data.get("notice"),
    )


def _problem(data: dict[str, Any]) -> Problem:
    return Problem(
        severity=Severity(data["severity"]),
        message=data["message"],
        fix=data.get("fix") or "",
        sheet=data.get("sheet"),
        row=data.get("row"),
        column=data.get("column"),
        cell=data.get("cell"),
    )
