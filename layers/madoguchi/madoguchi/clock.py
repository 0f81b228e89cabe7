"""Time in one place: code that needs "now" takes a Clock, so tests can fix the moment."""

from __future__ import annotations

import time
from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta, timezone

# Japan keeps no daylight saving time: a fixed offset is exact.
JST = timezone(timedelta(hours=9), "JST")

Clock = Callable[[], float]  # seconds since the epoch, like time.time


def system_clock() -> float:
    """The machine's wall clock (production's clock)."""
    return time.time()


def utc_now(clock: Clock = system_clock) -> datetime:
    """The clock's moment as an aware UTC datetime."""
    return datetime.fromtimestamp(clock(), UTC)


def japan_today(clock: Clock = system_clock) -> date:
    """The clock's date in Japan."""
    return datetime.fromtimestamp(clock(), JST).date()
