"""A store the webhook can answer without (the conversation state and event claims): a failed
call is logged, counted and replaced by a fallback, and the store is then left alone for a short
pause, so an outage costs one slow call instead of one per event."""

from __future__ import annotations

import logging
import traceback
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

from madoguchi.clock import Clock, system_clock
from madoguchi.request_time import RequestTime

logger = logging.getLogger(__name__)

T = TypeVar("T")

# Long enough that a throttled or unreachable table is not asked again by every event of a
# burst; short enough that hand-overs work again soon after it recovers.
PAUSE_SECONDS = 10.0


class StoreGuard:
    """Calls one store, or gives the fallback while it fails; `failures` counts both."""

    def __init__(
        self, name: str, clock: Clock = system_clock, pause_seconds: float = PAUSE_SECONDS
    ) -> None:
        self.name = name
        self.failures = 0  # calls that failed, or were not made during a pause
        self._clock = clock
        self._pause_seconds = pause_seconds
        self._resume_at = float("-inf")
        # The webhook's request deadline: a call that could not end by it is not made.
        self.request_time: RequestTime | None = None

    @property
    def paused(self) -> bool:
        """True while the store is left alone after a failure."""
        return self._clock() < self._resume_at

    def call(
        self, what: str, function: Callable[[], T], fallback: T, *, even_paused: bool = False
    ) -> T:
        """`function()`, or `fallback` when it raises or the store is paused (`even_paused`:
        tried anyway, for the one retry of a write a resident is waiting on)."""
        if self.paused and not even_paused:
            self.failures += 1
            return fallback
        if self.request_time is not None and not self.request_time.allows():
            return fallback  # counted by the request; never retried after it
        try:
            return function()
        except Exception as error:
            self.failures += 1
            self._resume_at = self._clock() + self._pause_seconds
            logger.error(
                "%s unavailable; answering without it",
                self.name,
                extra={"call": what, "pause_seconds": self._pause_seconds, **error_fields(error)},
            )
            return fallback


def error_fields(error: BaseException) -> dict[str, Any]:
    """An error's type and where it happened, without its message, which may quote a resident."""
    frames = traceback.extract_tb(error.__traceback__)[-3:]
    where = [f"{Path(f.filename).name}:{f.lineno} {f.name}" for f in frames]
    return {"error": type(error).__name__, "where": where}
