"""The second reader for local index builds, scripts and tests (madoguchi.search.second_reader)."""

from __future__ import annotations

import sys

from madoguchi.adapters.use_engine import ReaderUnavailable, UseEngine
from madoguchi.search.second_reader import SecondReader


def scripts_reader(lexical: bool) -> SecondReader | None:
    """The scripts' second reader, or None (BM25 alone, or the model missing: said on stderr)."""
    if lexical:
        return None
    try:
        return SecondReader(UseEngine().load())
    except ReaderUnavailable as problem:
        print(f"second reader off: {problem}", file=sys.stderr)
        return None
