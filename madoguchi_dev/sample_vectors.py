"""The sample workbook's passage vectors, kept in the repository so that a fresh clone's first
`make demo` publishes in seconds instead of embedding every FAQ.

The file has the format of the indexer's passage vector cache (madoguchi.adapters.embed_cache):
rows keyed by sha256 of the model and the passage text, so a passage that did not change keeps
its row whatever else changed in faq/faq.xlsx, and only new or edited passages are embedded when
the file is regenerated (`make sample-vectors`).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from madoguchi.adapters.embed_cache import (
    CachingEmbedder,
    Progress,
    Rows,
    decode_rows,
    encode_rows,
    text_key,
)
from madoguchi.adapters.storage import Storage
from madoguchi.search import artifact
from madoguchi.search.across import translated_passages
from madoguchi.search.semantic import MODEL_ID, Embedder, passages_of, quantize
from madoguchi.workbook import validate_workbook

REPO = Path(__file__).resolve().parents[1]
SAMPLE_WORKBOOK = REPO / "faq" / "faq.xlsx"
SAMPLE_VECTORS = REPO / "faq" / "passage-vectors.bin"


class SampleProblem(ValueError):
    """The sample workbook cannot be read, so its passages are unknown."""


def passages(workbook: Path = SAMPLE_WORKBOOK) -> list[str]:
    """Every passage the indexer embeds for this workbook, each once, in workbook order."""
    result = validate_workbook(workbook.read_bytes())
    if result.workbook is None:
        raise SampleProblem(f"{workbook} is not a publishable workbook")
    published = [faq for faq in result.workbook.faqs if faq.published]
    texts = [text for faq in result.workbook.faqs for text in passages_of(faq)]
    # The city's translations are embedded too (madoguchi.search.across).
    texts += [
        text for faq in published for t in faq.translations for text in translated_passages(t)
    ]
    return list(dict.fromkeys(texts))


def read_rows(path: Path = SAMPLE_VECTORS) -> Rows:
    """The rows of a vectors file; none when there is no file."""
    if not path.is_file():
        return {}
    return decode_rows(path.read_bytes(), MODEL_ID)


@dataclass(frozen=True)
class Coverage:
    """How the vectors file matches the workbook's passages."""

    passages: int
    missing: tuple[str, ...]  # passages without a row (new or edited in the workbook)
    unused: int  # rows no passage uses (removed or edited in the workbook)

    @property
    def matches(self) -> bool:
        """Every passage has its row and no row is left over."""
        return not self.missing and not self.unused


def coverage(workbook: Path = SAMPLE_WORKBOOK, vectors: Path = SAMPLE_VECTORS) -> Coverage:
    """Compare the vectors file with the workbook, by content hash only (no engine needed)."""
    texts = passages(workbook)
    rows = read_rows(vectors)
    keys = {text_key(MODEL_ID, text) for text in texts}
    missing = tuple(text for text in texts if text_key(MODEL_ID, text) not in rows)
    return Coverage(len(texts), missing, len(set(rows) - keys))


def regenerate(
    embedder: Embedder,
    storage: Storage,
    key: str,
    texts: list[str],
    progress: Callable[[Progress], None] | None = None,
) -> tuple[int, int]:
    """Rows for exactly `texts` at `key` in `storage`, reusing the rows already there; returns
    (embedded, reused). Rows are written in key order, so the file depends only on its rows."""
    cache = CachingEmbedder(embedder, storage, key, progress=progress)
    # The cache hands back each vector from its int8 row and scale, so quantizing them again
    # gives exactly those rows.
    rows, scales = quantize(cache.embed_passages(texts))
    stats = cache.stats
    cache.discard()
    by_key = {text_key(MODEL_ID, text): (rows[i], scales[i]) for i, text in enumerate(texts)}
    storage.put(key, encode_rows(by_key, MODEL_ID, sorted(by_key)))
    return stats.embedded, stats.reused


def seed_cache(cache_file: Path, vectors: Path = SAMPLE_VECTORS) -> int:
    """Add the repository's sample vectors to a passage vector cache file (kept rows win);
    returns how many rows were added. An unreadable cache file is replaced."""
    sample = read_rows(vectors)
    try:
        rows = decode_rows(cache_file.read_bytes(), MODEL_ID) if cache_file.is_file() else {}
    except (artifact.ArtifactError, KeyError):
        rows = {}
    added = {key: row for key, row in sample.items() if key not in rows}
    if not added:
        return 0
    cache_file.parent.mkdir(parents=True, exist_ok=True)
    partial = cache_file.with_suffix(".partial")
    partial.write_bytes(encode_rows({**rows, **added}, MODEL_ID))
    partial.replace(cache_file)
    return len(added)


def progress_text(progress: Progress) -> str:
    """「意味の近さの準備: 320 / 1,020 件(毎秒 9.8 件、残り約 1 分 12 秒)」"""
    done, total = progress.done, progress.total
    text = f"意味の近さの準備: {done:,} / {total:,} 件"
    left = progress.seconds_left
    if left is None:
        return text
    return f"{text}(毎秒 {progress.rate:.1f} 件、残り約 {_duration_ja(left)})"


def _duration_ja(seconds: float) -> str:
    whole = max(0, round(seconds))
    minutes, rest = divmod(whole, 60)
    return f"{minutes} 分 {rest} 秒" if minutes else f"{rest} 秒"
