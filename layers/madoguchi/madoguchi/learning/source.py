"""Where an indexer build gets its learned phrasings, and the nightly calibration the answers it
judges: the search log of the last days."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import timedelta

from madoguchi.adapters.search_log import SearchLog
from madoguchi.clock import Clock, japan_today, system_clock, utc_now
from madoguchi.learning.calibration import (
    WINDOW_DAYS,
    judge_answers,
    next_calibration,
    window_start,
)
from madoguchi.learning.mining import Learned, learn_for
from madoguchi.model import BotSettings, FaqWorkbook
from madoguchi.search.answer_policy import Calibration

log = logging.getLogger(__name__)


@dataclass
class LogLearning:
    """Mines the search log (DynamoDB in AWS, SQLite locally) for each build."""

    search_log: SearchLog
    clock: Clock = system_clock
    days: int = 90  # the log keeps no more than the deployment's retention anyway

    def __call__(self, workbook: FaqWorkbook) -> Learned:
        """The phrasings this workbook may learn now; nothing (and why) when the log fails."""
        if not workbook.settings.learn_from_residents:
            return Learned(enabled=False)
        until = japan_today(self.clock)
        since = until - timedelta(days=max(1, self.days) - 1)
        try:
            records = list(self.search_log.records(since, until))
        except Exception as error:
            # A build must not fail for the log: it publishes without learned phrasings and
            # the next build learns again.
            log.exception("reading the search log failed; building without learned phrasings")
            return Learned(error=type(error).__name__)
        return learn_for(workbook, records)


@dataclass
class LogCalibration:
    """Judges the answers in the search log since the threshold last changed (at most `days`)."""

    search_log: SearchLog
    clock: Clock = system_clock
    days: int = WINDOW_DAYS

    def __call__(self, settings: BotSettings, previous: Calibration | None) -> Calibration | None:
        """Tonight's calibration; None (keep the previous one) when the log cannot be read."""
        now = utc_now(self.clock)
        start = window_start(previous, settings, now, self.days)
        until = japan_today(self.clock)
        try:
            records = [
                r
                for r in self.search_log.records(until - timedelta(days=self.days), until)
                if r.at >= start
            ]
        except Exception:
            log.exception("reading the search log failed; the answer threshold stays")
            return None
        stamp = now.isoformat(timespec="seconds").replace("+00:00", "Z")
        return next_calibration(previous, judge_answers(records, now), settings, stamp)
