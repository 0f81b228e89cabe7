"""The time the webhook request being handled has left, for every call it makes to a store or
to LINE: a call that could not be over by the deadline is not made, and is counted.

LINE gives the webhook 2 s. Replies get the time the deadline leaves as their timeout; a call to
the state table, the search log or the event claims cannot be given a timeout of its own (the
client's is fixed), so it is only started while its worst case still fits.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager

from madoguchi.adapters.aws import WEBHOOK_DYNAMODB_CALL_SECONDS


class RequestTime:
    """Set while a request runs; outside one every call is allowed (scripts, the indexer)."""

    def __init__(self) -> None:
        self._remaining: Callable[[], float] | None = None
        self.turned_away = 0  # calls not made for lack of time, in the current request

    @contextmanager
    def running(self, remaining: Callable[[], float]) -> Iterator[None]:
        """Bound the calls made inside the block by `remaining()` seconds."""
        self._remaining, self.turned_away = remaining, 0
        try:
            yield
        finally:
            self._remaining = None

    def left(self) -> float | None:
        """Seconds left in the request (None outside a request)."""
        return None if self._remaining is None else max(0.0, self._remaining())

    def allows(self, seconds: float = WEBHOOK_DYNAMODB_CALL_SECONDS) -> bool:
        """Whether a call that may take `seconds` can still start; a refusal is counted."""
        left = self.left()
        if left is None or left >= seconds:
            return True
        self.turned_away += 1
        return False

    def timeout(self, seconds: float, minimum: float) -> float | None:
        """The timeout for a call that may take up to `seconds` and is useless below `minimum`:
        at most what the request leaves (a connect may add half as much again, so two thirds of
        it), or None when even `minimum` no longer fits (counted)."""
        left = self.left()
        if left is None:
            return seconds
        if not self.allows(minimum * 1.5):
            return None
        return min(seconds, left / 1.5)
