"""Analysed FAQ text from the last build, by content hash, so a rebuild analyses only what changed.

Analysis (word segmentation, bigrams, kana readings) is most of an index build, and staff usually
change a few rows of a workbook of thousands. The indexer keeps, beside the published index, each
text's terms and reading n-grams under a hash of the text; the next build looks texts up there
and analyses only new ones. Entries are valid for one analyzer: its settings, synonym groups and
this code's version make a fingerprint, and a cache of another fingerprint is ignored.
"""

from __future__ import annotations

import hashlib
import json
import logging
import zlib
from collections.abc import Callable
from typing import Any

import madoguchi

logger = logging.getLogger(__name__)

# Raise when the analysis itself changes (tokenizer, readings): every cached entry is then stale.
ANALYSIS_VERSION = 1
_FORMAT = 1


def fingerprint(settings: dict[str, Any], synonym_groups: list[list[str]]) -> str:
    """What the analysis of a text depends on besides the text."""
    source = json.dumps(
        [ANALYSIS_VERSION, madoguchi.__version__, settings, synonym_groups],
        ensure_ascii=False,
        sort_keys=True,
    )
    return hashlib.sha256(source.encode()).hexdigest()


class AnalysisCache:
    """Terms of texts by (kind, content hash); remembers which entries this build used."""

    def __init__(self, fingerprint: str, entries: dict[str, list[str]] | None = None) -> None:
        self.fingerprint = fingerprint
        self._entries = entries or {}
        self._used: dict[str, list[str]] = {}
        self.hits = self.misses = 0

    def terms(self, kind: str, text: str, analyse: Callable[[str], list[str]]) -> list[str]:
        """The cached terms of `text`, or `analyse(text)` (then cached)."""
        key = hashlib.blake2b(f"{kind}\0{text}".encode(), digest_size=16).hexdigest()
        found = self._used.get(key)
        if found is None:
            found = self._entries.get(key)
            if found is None:
                self.misses += 1
                found = analyse(text)
            else:
                self.hits += 1
            self._used[key] = found
        return list(found)

    def to_bytes(self) -> bytes:
        """The entries this build used (texts no longer in the workbook are dropped)."""
        data = {"format": _FORMAT, "fingerprint": self.fingerprint, "entries": self._used}
        return zlib.compress(json.dumps(data, ensure_ascii=False).encode(), 6)

    @classmethod
    def from_bytes(cls, data: bytes | None, fingerprint: str) -> AnalysisCache:
        """The cache saved by to_bytes, or an empty one if it is missing, unreadable or stale."""
        if not data:
            return cls(fingerprint)
        try:
            stored = json.loads(zlib.decompress(data))
            entries = stored["entries"]
            valid = (
                stored.get("format") == _FORMAT
                and stored.get("fingerprint") == fingerprint
                and isinstance(entries, dict)
                and all(isinstance(v, list) for v in entries.values())
            )
        except (zlib.error, ValueError, KeyError, TypeError) as error:
            logger.warning(
                "analysis cache unreadable: analysing every text", extra={"error": str(error)}
            )
            return cls(fingerprint)
        return cls(fingerprint, entries if valid else None)
