"""The semantic signal beside BM25: what an embedder is and which FAQ texts become vectors."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Protocol

import numpy as np

from madoguchi.model import Faq

# Stored in the index meta; vectors of another model are ignored.
MODEL_ID = "multilingual-e5-small-q4"
DIM = 384
# Only the first 64 characters of a question are embedded (BM25 still reads all of it): the
# engine's cost grows with every token, and residents' questions are short.
QUERY_CHARS = 64
ANSWER_CHARS = 200  # how much of the answer goes into the "question + answer" passage


class Embedder(Protocol):
    """Unit vectors (n, DIM) float32 for texts; the e5 prefixes are the embedder's business."""

    model_id: str

    def embed_queries(self, texts: Sequence[str]) -> np.ndarray: ...
    def embed_passages(self, texts: Sequence[str]) -> np.ndarray: ...


def passages_of(faq: Faq) -> list[str]:
    """The texts embedded for one FAQ: its question, and its question with the answer's start."""
    return [faq.question, f"{faq.question}\n{faq.answer[:ANSWER_CHARS]}"]
