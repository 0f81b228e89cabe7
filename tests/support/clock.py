"""A clock the tests set by hand, so no test reads the machine's time."""

from __future__ import annotations

from datetime import UTC, date, datetime

from madoguchi.clock import JST

# A Wednesday morning in Japan: inside every office-hours setting the tests use.
WEEKDAY_MORNING = datetime(2026, 12, 2, 10, 0, tzinfo=JST)


class FixedClock:
    """Called like time.time; stays where it is put until a test moves it."""

    def __init__(self, moment: datetime = WEEKDAY_MORNING) -> None:
        self.now = moment.timestamp()

    def __call__(self) -> float:
        return self.now

    def set(self, moment: datetime) -> None:
        """Jump to a moment (aware datetime)."""
        self.now = moment.timestamp()

    def advance(self, seconds: float) -> None:
        """Move forward by some seconds."""
        self.now += seconds

    def utc(self) -> datetime:
        """The current moment in UTC."""
        return datetime.fromtimestamp(self.now, UTC)

    def japan_today(self) -> date:
        """The current date in Japan."""
        return datetime.fromtimestamp(self.now, JST).date()
