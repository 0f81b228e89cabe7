"""The webhook's copy of the live index: kept in memory, refreshed when the pointer moves."""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from dataclasses import replace
from typing import TYPE_CHECKING, Any

from madoguchi.adapters.e5_engine import WARM_QUESTION
from madoguchi.adapters.storage import Storage
from madoguchi.config import Config
from madoguchi.publish.versions import Pointer, VersionStore
from madoguchi.search import SearchIndex
from madoguchi.search.answer_policy import Calibration

if TYPE_CHECKING:
    from madoguchi.search.second_reader import SecondReader
    from madoguchi.search.semantic import Embedder

logger = logging.getLogger(__name__)


class IndexHolder:
    """Keeps the published index in memory; looks at the small pointer object at most every
    `config.index_refresh_seconds` and reloads the index only when the pointer changed. Each
    index it loads gets the `embedder` for questions (None: BM25 alone) and the second `reader`
    of its candidates (None: ranked without it)."""

    def __init__(
        self,
        storage: Storage,
        config: Config,
        *,
        clock: Callable[[], float] = time.monotonic,
        embedder: Embedder | None = None,
        reader: SecondReader | None = None,
    ) -> None:
        self._versions = VersionStore(storage, config.index_prefix)
        self._refresh_seconds = config.index_refresh_seconds
        self._clock = clock  # a monotonic clock: only intervals matter here
        self._index: SearchIndex | None = None
        self._pointer: Pointer | None = None
        self._checked_at: float | None = None
        self.embedder = embedder
        self.reader = reader

    def current(self) -> SearchIndex | None:
        """The index to answer with; the last good one if storage cannot be read right now."""
        now = self._clock()
        elapsed = None if self._checked_at is None else now - self._checked_at
        # A negative elapsed time means the clock restarted (e.g. a restored snapshot): check.
        if elapsed is None or elapsed < 0 or elapsed >= self._refresh_seconds:
            self._checked_at = now
            self._refresh()
        return self._index

    def expire(self) -> None:
        """Check the pointer on the next call (after a snapshot restore, for example)."""
        self._checked_at = None

    def _refresh(self) -> None:
        try:
            pointer = self._versions.pointer()
            if pointer is None:
                return  # nothing published yet
            if self._index is not None and self._pointer is not None:
                if pointer == self._pointer:
                    return  # nothing new
                if replace(pointer, calibration=None) == replace(self._pointer, calibration=None):
                    # Only the nightly calibration moved: the same index, another threshold.
                    self._index.calibration = Calibration.from_dict(pointer.calibration)
                    self._pointer = pointer
                    return
            index = self._versions.load_index(pointer)
        except Exception:
            logger.exception("published index could not be read; answering with the one in memory")
            return
        if index is not None:
            index.calibration = Calibration.from_dict(pointer.calibration)
            index.attach_reader(self.reader)
            if self.embedder is not None and index.attach_embedder(self.embedder):
                index.search(WARM_QUESTION)  # its vectors ready before the first resident
            self._index, self._pointer = index, pointer
            logger.info("search index loaded", extra={"index_meta": _meta_summary(index)})


def _meta_summary(index: Any) -> dict[str, Any]:
    meta = getattr(index, "meta", None) or {}
    return {key: meta.get(key) for key in ("built_at", "checksum", "counts") if key in meta}
