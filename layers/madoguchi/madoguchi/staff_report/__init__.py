"""The staff report: what residents asked, in an Excel workbook."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime

from madoguchi.searchlog.model import LogRecord
from madoguchi.staff_report.excel import render
from madoguchi.staff_report.stats import ReportIndex, collect


def build_report(
    records: Iterable[LogRecord],
    index: ReportIndex | None,
    since: date,
    until: date,
    *,
    generated_at: datetime,
) -> bytes:
    """The .xlsx report for the Japan days since..until (inclusive) from search-log records,
    stamped with the moment it was made."""
    if until < since:
        raise ValueError(f"the period ends ({until}) before it starts ({since})")
    data = collect(records, index, since, until)
    return render(data, index, generated_at)


__all__ = ["build_report"]
