"""Passage vectors by content hash, kept beside the published index, so that republishing a
workbook with a few edited rows embeds only those rows."""

from __future__ import annotations

import hashlib
import logging
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np

from madoguchi.adapters.storage import Storage
from madoguchi.search import artifact
from madoguchi.search.semantic import DIM, Embedder, quantize

log = logging.getLogger(__name__)

CACHE_KIND = "passage-vectors"
_KEY_BYTES = 32
# With a progress callback, unseen passages are embedded this many at a time, so a long first
# build can say how far it is (about a second or two of engine time per step on one core).
PROGRESS_STEP = 32

Rows = dict[bytes, tuple[np.ndarray, np.float32]]  # text_key -> (int8 vector, scale)


def cache_key(index_prefix: str, model_id: str) -> str:
    """Where the cache of one model lives: one small object beside the index versions."""
    return f"{index_prefix}vectors-cache/{model_id}.bin"


def text_key(model_id: str, text: str) -> bytes:
    """sha256 of the model and the passage text: a new model or an edited text misses."""
    return hashlib.sha256(f"{model_id}\x00passage\x00{text}".encode()).digest()


@dataclass
class CacheStats:
    """What one build asked for and what it cost."""

    passages: int = 0
    reused: int = 0
    embedded: int = 0
    seconds: float = 0.0  # time spent in the inner embedder

    @property
    def hit_rate(self) -> float:
        """Share of the passages found in the cache."""
        return self.reused / self.passages if self.passages else 0.0


@dataclass(frozen=True)
class Progress:
    """How far embedding the unseen passages of one build has come."""

    done: int
    total: int
    seconds: float  # since the first of them was sent to the engine

    @property
    def rate(self) -> float:
        """Passages per second so far (0 before the first step is done)."""
        return self.done / self.seconds if self.seconds > 0 else 0.0

    @property
    def seconds_left(self) -> float | None:
        """Estimated seconds to go at the rate so far; None before there is a rate."""
        return (self.total - self.done) / self.rate if self.rate else None


def decode_rows(data: bytes, model_id: str) -> Rows:
    """The rows of a cache file; ArtifactError or KeyError when it is not one of `model_id`."""
    meta, _, arrays = artifact.decode(data)
    if meta.get("kind") != CACHE_KIND or meta.get("model_id") != model_id:
        raise artifact.ArtifactError(f"not a passage vector cache of {model_id}")
    keys, vectors, scales = arrays["keys"], arrays["vectors"], arrays["scales"]
    n = len(keys)
    if keys.shape != (n, _KEY_BYTES) or vectors.shape != (n, DIM) or len(scales) != n:
        raise artifact.ArtifactError(f"sections do not match ({n} keys)")
    return {
        bytes(keys[i]): (np.array(vectors[i], np.int8), np.float32(scales[i])) for i in range(n)
    }


def encode_rows(rows: Rows, model_id: str, keys: Sequence[bytes] | None = None) -> bytes:
    """A cache file of `rows` (those of `keys` only, in that order, when given)."""
    keys = list(rows) if keys is None else list(keys)
    arrays = {
        "keys": np.frombuffer(b"".join(keys), np.uint8).reshape(len(keys), _KEY_BYTES),
        "vectors": np.stack([rows[k][0] for k in keys]) if keys else np.zeros((0, DIM), np.int8),
        "scales": np.array([rows[k][1] for k in keys], dtype=np.float32),
    }
    meta = {"kind": CACHE_KIND, "model_id": model_id, "dim": DIM, "count": len(keys)}
    return artifact.encode(meta, {}, arrays)


class CachingEmbedder:
    """An Embedder that sends only unseen passages to `inner` and remembers the rest.

    The cache is read from `storage` at `key` on the first passage of a build and written back
    by `save()` with only the passages that build used, so entries of deleted or edited rows are
    pruned. Vectors are kept as int8 with a scale per row (as in the index) and every vector
    returned comes from that form, so a build gives the same index whether its passages were
    cached or not. An unreadable cache is rebuilt, never a failed publish. Queries pass through.
    With `progress`, unseen passages go to `inner` PROGRESS_STEP at a time and `progress` hears
    after each step (the local preview and scripts show it; the indexer in AWS batches itself).
    """

    def __init__(
        self,
        inner: Embedder,
        storage: Storage,
        key: str,
        progress: Callable[[Progress], None] | None = None,
    ) -> None:
        self.inner = inner
        self.model_id = inner.model_id
        self.storage = storage
        self.key = key
        self.progress = progress
        self.stats = CacheStats()
        self._rows: Rows | None = None
        self._used: set[bytes] = set()

    def embed_queries(self, texts: Sequence[str]) -> np.ndarray:
        """Questions are never cached: the indexer does not embed them."""
        return self.inner.embed_queries(texts)

    def embed_passages(self, texts: Sequence[str]) -> np.ndarray:
        """Vectors of `texts`; only the ones missing from the cache are embedded."""
        rows = self._loaded()
        keys = [text_key(self.model_id, text) for text in texts]
        missing: dict[bytes, str] = {}
        for key, text in zip(keys, texts, strict=True):
            if key not in rows:
                missing.setdefault(key, text)
        if missing:
            started = time.perf_counter()
            fresh = self._embed_missing(list(missing.values()))
            self.stats.seconds += time.perf_counter() - started
            if fresh.shape != (len(missing), DIM):
                wanted = (len(missing), DIM)
                raise ValueError(f"the embedder returned {fresh.shape}, not {wanted}")
            quantized, scales = quantize(fresh)
            for i, key in enumerate(missing):
                rows[key] = (quantized[i], scales[i])
        self.stats.passages += len(texts)
        self.stats.embedded += len(missing)
        self.stats.reused += len(texts) - len(missing)
        self._used.update(keys)
        out = np.empty((len(texts), DIM), dtype=np.float32)
        for i, key in enumerate(keys):
            values, scale = rows[key]
            out[i] = values.astype(np.float32) * scale
        return out

    def _embed_missing(self, texts: list[str]) -> np.ndarray:
        """The inner embedder's vectors of `texts`, in steps when someone follows the progress."""
        if self.progress is None:
            return np.asarray(self.inner.embed_passages(texts), np.float32)
        started = time.perf_counter()
        parts = []
        for start in range(0, len(texts), PROGRESS_STEP):
            part = texts[start : start + PROGRESS_STEP]
            parts.append(np.asarray(self.inner.embed_passages(part), np.float32).reshape(-1, DIM))
            done = start + len(part)
            self.progress(Progress(done, len(texts), time.perf_counter() - started))
        return np.concatenate(parts)

    def save(self) -> CacheStats:
        """Write the passages this build used (and no others), then start afresh.

        A failed write is logged and forgotten: the next build embeds those passages again.
        """
        stats = self.stats
        if self._rows is not None:
            kept = [key for key in self._rows if key in self._used]
            try:
                self.storage.put(self.key, self._encode(kept))
            except Exception:
                log.exception("the passage vector cache could not be written")
        self.discard()
        return stats

    def discard(self) -> None:
        """Forget this build's state without writing (a failed build)."""
        self._rows, self._used, self.stats = None, set(), CacheStats()

    def _loaded(self) -> Rows:
        if self._rows is None:
            self._rows = self._read()
        return self._rows

    def _read(self) -> Rows:
        try:
            data = self.storage.get(self.key)
        except Exception:
            log.exception("the passage vector cache could not be read; embedding every passage")
            return {}
        if data is None:
            return {}
        try:
            return decode_rows(data, self.model_id)
        except (artifact.ArtifactError, KeyError) as error:
            log.warning("the passage vector cache is unreadable (%s); starting a new one", error)
            return {}

    def _encode(self, keys: list[bytes]) -> bytes:
        assert self._rows is not None
        return encode_rows(self._rows, self.model_id, keys)
