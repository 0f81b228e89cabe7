"""Deliver an upload report: JSON and Japanese text files under the report prefix, and the staff
notification (SNS mail; the outbox folder locally)."""

from __future__ import annotations

from pathlib import PurePosixPath

from madoguchi.adapters.notifier import Notifier
from madoguchi.adapters.storage import Storage
from madoguchi.publish.upload_report import UploadReport, UploadStatus
from madoguchi.publish.versions import JSON_TYPE, to_json

TEXT_TYPE = "text/plain; charset=utf-8"


def report_base(report: UploadReport, report_prefix: str) -> str:
    """Report key without suffix: time received, file name, outcome and the upload's id."""
    stamp = report.received_at[:19].replace("-", "").replace(":", "")
    stem = PurePosixPath(report.key).stem.replace(" ", "_")[:60]
    base = f"{report_prefix}{stamp}_{stem}_{report.status.value}"
    if report.upload_id:
        base += "_" + report.upload_id[:8]
    return base


def deliver_report(
    report: UploadReport, storage: Storage, report_prefix: str, notifier: Notifier | None
) -> None:
    """Write the report files (and `latest.*`) and tell staff; a duplicate only leaves its files."""
    base = report_base(report, report_prefix)
    report.report_key, report.text_key = base + ".json", base + ".txt"
    text = report.text()
    body = to_json(report.to_dict())
    # A BOM lets older Windows editors open the Japanese text correctly.
    text_bytes = "\ufeff".encode() + text.encode("utf-8")
    storage.put(report.report_key, body, JSON_TYPE)
    storage.put(report.text_key, text_bytes, TEXT_TYPE)
    if report.status is UploadStatus.DUPLICATE:
        return  # the first delivery already told everyone
    storage.put(report_prefix + "latest.json", body, JSON_TYPE)
    storage.put(report_prefix + "latest.txt", text_bytes, TEXT_TYPE)
    if notifier is not None:
        notifier.notify(report.subject(), text)
