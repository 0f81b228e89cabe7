"""Where an indexer build gets its learned phrasings: the search log of the last days."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import timedelta

from madoguchi.adapters.search_log import SearchLog
from madoguchi.clock import Clock, japan_today, system_clock
from madoguchi.learning.mining import Learned, learn_for
from madoguchi.model import FaqWorkbook

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
