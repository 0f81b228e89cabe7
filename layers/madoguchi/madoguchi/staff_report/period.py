"""The report's period: whole days in Japan time, both ends included; the same for
scripts/report.py and the local preview, and stated in the report in plain Japanese dates."""

from __future__ import annotations

from datetime import date, datetime, timedelta

from madoguchi.clock import JST

REPORT_DAYS = 30  # the default period: the last 30 days in Japan, today included


def last_days(today: date, days: int = REPORT_DAYS) -> tuple[date, date]:
    """(since, until) of the `days` Japan days ending with `today`."""
    return today - timedelta(days=days - 1), today


def japanese_date(day: date) -> str:
    """2026年4月1日."""
    return f"{day.year}年{day.month}月{day.day}日"


def japanese_moment(moment: datetime) -> str:
    """2026年4月1日 9:05, in Japan time."""
    local = moment.astimezone(JST)
    return f"{japanese_date(local.date())} {local.hour}:{local.minute:02d}"


def period_text(since: date, until: date) -> str:
    """The period as the report states it."""
    days = (until - since).days + 1
    return (
        f"{japanese_date(since)}〜{japanese_date(until)}"
        f"(日本時間の日付で{days}日間。最初と最後の日を含みます)"
    )
