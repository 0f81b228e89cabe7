"""The semantic signal: sentence vectors of FAQs, stored with the index, and of questions.

The indexer embeds each FAQ's passages (`passages_of`) through an Embedder and stores the vectors
in the index file as int8 rows with a float32 scale each; the webhook embeds only the question and
scores every FAQ with one matrix-vector product. The model is multilingual-e5-small (4-bit), which
reads "query: " questions against "passage: " texts; the Embedder adds those prefixes.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from typing import Any, Protocol

import numpy as np

from madoguchi.model import Faq
from madoguchi.search.normalize import KANJI_CHARS

MODEL_ID = "multilingual-e5-small-q4"  # stored in the index meta; vectors of another are ignored
DIM = 384
# Only the start of a question is embedded: the cost grows with its length (about 25 ms for a
# typical question, 60 ms at 64 characters on one core) and residents' questions are short.
QUERY_CHARS = 64
# e5 reads 512 tokens (its two markers and "passage: " included); the engine cuts each passage
# to that (E5Engine.readable_start), since beyond it only slides more windows over the text.
PASSAGE_TOKENS = 512
# No passage is sent longer than this: 512 tokens are fewer characters in any real text (about
# 1.6 characters a token in FAQ Japanese, 10 in a word repeated over and over), and a 40,000-
# character cell would otherwise take minutes to embed and fail the publish's time budget.
PASSAGE_CHARS = 8_192
# How much of the answer goes into the FAQ's second passage: enough for what the answer is about.
ANSWER_CHARS = 200
# The part of a FAQ's vector given to the questions residents taught it (madoguchi.learning),
# when it has any. Chosen with scripts/bench_learning.py (taught questions first, held-out folds).
LEARNED_SHARE = 0.2
# Array names in the index file.
VECTORS = "semantic.vectors"
SCALES = "semantic.scales"

_KANJI = re.compile(f"[{KANJI_CHARS}]")


class Embedder(Protocol):
    """Turns texts into unit vectors of one model (the engine, a cache, a remote function…)."""

    model_id: str

    def embed_queries(self, texts: Sequence[str]) -> np.ndarray:
        """(n, DIM) float32, L2-normalised; the "query: " prefix is added."""
        ...

    def embed_passages(self, texts: Sequence[str]) -> np.ndarray:
        """(n, DIM) float32, L2-normalised; the "passage: " prefix is added."""
        ...


def passages_of(faq: Faq) -> list[str]:
    """The texts embedded for one FAQ: its question, each 言い換え, and the question with the
    start of the answer. The FAQ's vector is their mean: the question side is what residents ask,
    the answer brings the words of what the FAQ actually covers (on the hard dev set the mean beat
    the question alone, the answer alone, and the best of the question side).
    """
    question = faq.question.strip()[:PASSAGE_CHARS]
    answer = " ".join(faq.answer.split())[:ANSWER_CHARS]
    paraphrases = [p.strip()[:PASSAGE_CHARS] for p in faq.paraphrases if p.strip()]
    return [question, *paraphrases, f"{question}\n{answer}" if answer else question]


def reads_question(query: str) -> bool:
    """Whether the model can read this question: it has kanji.

    e5 cannot read Japanese typed in kana only (じゅうみんひょう): such questions are left to the
    lexical fields, whose kana readings were made for them.
    """
    return bool(_KANJI.search(query or ""))


def quantize(vectors: np.ndarray, dim: int = DIM) -> tuple[np.ndarray, np.ndarray]:
    """Symmetric int8 per row and its float32 scale: v ≈ q × scale (cosine error below 0.001);
    rows of `dim` numbers (e5's by default; the word vectors' 300 too)."""
    vectors = np.asarray(vectors, dtype=np.float32).reshape(-1, dim)
    peak = np.abs(vectors).max(axis=1) if len(vectors) else np.zeros(0, np.float32)
    scales = np.where(peak > 0, peak / 127.0, 1.0).astype(np.float32)
    rows = np.clip(np.rint(vectors / scales[:, None]), -127, 127).astype(np.int8)
    return rows, scales


class FaqVectors:
    """One vector per FAQ (the mean of its passages' vectors) as int8 rows and a scale per row."""

    def __init__(self, rows: np.ndarray, scales: np.ndarray):
        if rows.ndim != 2 or rows.shape[1] != DIM or len(scales) != len(rows):
            raise ValueError("semantic vectors do not match their scales")
        self.rows = rows
        self.scales = scales
        self._matrix: np.ndarray | None = None

    def __len__(self) -> int:
        return len(self.rows)

    @classmethod
    def build(
        cls,
        faqs: Sequence[Faq],
        embedder: Embedder,
        learned: Mapping[str, Sequence[str]] | None = None,
    ) -> FaqVectors:
        """Embed the passages of every FAQ (one call: the embedder may batch or cache).

        `learned` (FAQ ID -> residents' questions that chose it, madoguchi.learning) are embedded
        with them: a FAQ's vector is then LEARNED_SHARE its learned questions and the rest its
        own passages, so a question asked the way residents asked it is close to the FAQ in
        meaning, not only in words (an equal share among all passages left it behind).
        """
        texts: list[str] = []
        owners: list[int] = []
        taught: list[bool] = []
        for position, faq in enumerate(faqs):
            own = passages_of(faq)
            extra = [t for t in (learned or {}).get(faq.id, ()) if t.strip()]
            texts.extend([*own, *extra])
            owners.extend([position] * (len(own) + len(extra)))
            taught.extend([False] * len(own) + [True] * len(extra))
        vectors = embedder.embed_passages(texts) if texts else np.zeros((0, DIM), np.float32)
        if vectors.shape != (len(texts), DIM):
            raise ValueError(f"the embedder returned {vectors.shape}, not ({len(texts)}, {DIM})")
        owner = np.array(owners, dtype=np.int64)
        is_learned = np.array(taught, dtype=bool)
        # The mean of a FAQ's passage vectors: its cosine with a question is the mean of theirs.
        own_mean = _means(vectors[~is_learned], owner[~is_learned], len(faqs))
        learned_mean = _means(vectors[is_learned], owner[is_learned], len(faqs))
        has_learned = np.bincount(owner[is_learned], minlength=len(faqs)) > 0
        share = np.where(has_learned, LEARNED_SHARE, 0.0)[:, None]
        return cls(*quantize((1 - share) * own_mean + share * learned_mean))

    def arrays(self) -> dict[str, np.ndarray]:
        """What goes into the index file."""
        return {VECTORS: self.rows, SCALES: self.scales}

    @classmethod
    def from_arrays(cls, arrays: dict[str, np.ndarray]) -> FaqVectors | None:
        """The vectors of an index file, or None when it has none."""
        if VECTORS not in arrays:
            return None
        return cls(arrays[VECTORS], arrays[SCALES])

    def similarity(self, query: np.ndarray) -> np.ndarray:
        """Cosine of the question's vector with each FAQ's (float64, one per FAQ)."""
        if self._matrix is None:
            # Dequantised once: a float32 product is one BLAS call (about 1 ms at 20,000 FAQs).
            self._matrix = np.ascontiguousarray(self.rows.astype(np.float32) * self.scales[:, None])
        return (self._matrix @ np.asarray(query, dtype=np.float32)).astype(np.float64)


def _means(vectors: np.ndarray, owners: np.ndarray, size: int) -> np.ndarray:
    """The mean vector of each owner's rows (zeros for an owner without any)."""
    sums = np.zeros((size, DIM), dtype=np.float64)
    np.add.at(sums, owners, vectors)
    counts = np.bincount(owners, minlength=size)
    return sums / np.maximum(counts, 1)[:, None]


def meta_of(embedder: Embedder) -> dict[str, Any]:
    """What the index meta says about its vectors."""
    passages = "mean of question, paraphrases, question + answer"
    return {"model_id": embedder.model_id, "dim": DIM, "passages": passages}
