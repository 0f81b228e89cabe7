"""A deterministic Embedder for tests: texts that share character bigrams get similar vectors."""

import hashlib
from collections.abc import Sequence

import numpy as np

from madoguchi.search.semantic import DIM


class BigramEmbedder:
    """Each character bigram of the text adds ±1 to one of DIM dimensions (chosen by a hash).

    It implements madoguchi.search.semantic.Embedder for real: fixed vectors, unit length, and
    similarity that follows shared wording, so fusion and vectors in the index can be tested
    without the model. `calls` records what was embedded.
    """

    def __init__(self, model_id: str = "bigram-test-model"):
        self.model_id = model_id
        self.calls: list[tuple[str, list[str]]] = []

    @staticmethod
    def vector(text: str) -> np.ndarray:
        """The unit vector of one text (a small constant one when it has no bigram)."""
        vector = np.zeros(DIM, dtype=np.float32)
        for i in range(len(text) - 1):
            digest = hashlib.blake2b(text[i : i + 2].encode(), digest_size=4).digest()
            slot = int.from_bytes(digest, "little")
            vector[slot % DIM] += 1.0 if slot & 0x80000000 else -1.0
        if not vector.any():
            vector[0] = 1.0
        return vector / np.linalg.norm(vector)

    def _embed(self, kind: str, texts: Sequence[str]) -> np.ndarray:
        self.calls.append((kind, list(texts)))
        return np.stack([self.vector(t) for t in texts]) if texts else np.zeros((0, DIM))

    def embed_queries(self, texts: Sequence[str]) -> np.ndarray:
        """Vectors of questions."""
        return self._embed("query", texts)

    def embed_passages(self, texts: Sequence[str]) -> np.ndarray:
        """Vectors of FAQ passages."""
        return self._embed("passage", texts)
