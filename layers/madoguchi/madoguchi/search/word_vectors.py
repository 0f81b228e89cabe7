"""Word vectors as a third ranking signal: chiVe's 20,000 most frequent words, SIF-weighted means.

A text's vector is the weighted mean of the vectors of the table's words found in it, read by
greedy longest match over the normalised text in the table's own vocabulary (no dictionary, so the
webhook needs nothing but this table), each word weighted a / (a + p(word)) with p from its rank
(smooth inverse frequency: particles and common verbs count little). The indexer stores each FAQ's
question-side and answer-side vectors in the index file; the webhook embeds only the question,
in well under a millisecond, so this signal also ranks when e5 is unavailable.
"""

from __future__ import annotations

import io
import json
import logging
import struct
import unicodedata
from collections.abc import Callable, Mapping, Sequence
from functools import cache
from pathlib import Path
from typing import Any

import numpy as np

from madoguchi.model import Faq
from madoguchi.search.semantic import LEARNED_SHARE, quantize

logger = logging.getLogger(__name__)

TABLE_FILE = Path(__file__).with_name("data") / "chive-20k.bin"
MAGIC = b"MADOGUCHI-WORDS\x00"
_LENGTH = struct.Struct("<I")
# SIF's a: with p(word) from Zipf's law over the word's rank in chiVe, the 10,000th word counts nine
# tenths of a rare one, the 1,000th half, the 100th a tenth (particles, 為る, 有る less still).
# Hard dev set, BM25 with word vectors (weight 0.3), Hit@1 / Hit@4: 1e-4 0.455 / 0.695 and the usual
# 1e-3 0.454 / 0.689 (katakana folded as below; 1e-3 unfolded 0.447 / 0.690, 1e-2 0.449 / 0.647).
SIF_A = 1e-4
# Longer spellings than this are not looked for (the table's words are rarely longer).
MAX_WORD_CHARS = 8
# Array names in the index file; TABLE in its meta says which table the vectors came from.
QUESTION_VECTORS = "words.question"
QUESTION_SCALES = "words.question_scales"
ANSWER_VECTORS = "words.answer"
ANSWER_SCALES = "words.answer_scales"
ARRAYS = (QUESTION_VECTORS, QUESTION_SCALES, ANSWER_VECTORS, ANSWER_SCALES)
# How much of a FAQ's word similarity comes from its question side (質問, 言い換え); the rest from
# its 回答.
QUESTION_SHARE = 0.5


# Katakana ァ..ヶ to hiragana ぁ..ゖ.
_HIRAGANA = str.maketrans(
    "".join(chr(code) for code in range(0x30A1, 0x30F7)),
    "".join(chr(code - 0x60) for code in range(0x30A1, 0x30F7)),
)


def normalized(text: str) -> str:
    """The form both the table's words and the texts are matched in: NFKC, lower case, katakana
    as hiragana (chiVe spells ごみ, 子供, 為る as Sudachi normalises them; residents write ゴミ)."""
    return unicodedata.normalize("NFKC", text or "").lower().translate(_HIRAGANA)


class WordTable:
    """The words in rank order (most frequent first), int8 vectors and a scale per word."""

    def __init__(self, words: Sequence[str], rows: np.ndarray, scales: np.ndarray, name: str):
        if rows.ndim != 2 or len(rows) != len(words) or len(scales) != len(words):
            raise ValueError("word vectors do not match their words")
        self.words = list(words)
        self.rows = rows
        self.scales = scales
        self.name = name
        self.dim = int(rows.shape[1])
        self._row: dict[str, int] = {}  # by normalized spelling
        for row, word in enumerate(self.words):
            self._row.setdefault(normalized(word), row)  # the more frequent spelling wins
        # The longest word starting with each character: most characters start only short ones.
        self._longest: dict[str, int] = {}
        for word in self._row:
            if word and len(word) <= MAX_WORD_CHARS:
                self._longest[word[0]] = max(self._longest.get(word[0], 0), len(word))
        # Zipf: p(rank r) = 1 / ((r + 1) × H(n)), H the harmonic number.
        ranks = np.arange(1, len(words) + 1, dtype=np.float64)
        probability = 1.0 / (ranks * float(np.sum(1.0 / ranks)))
        self.weights = (SIF_A / (SIF_A + probability)).astype(np.float32)

    def __len__(self) -> int:
        return len(self.words)

    @classmethod
    def from_float(cls, words: Sequence[str], vectors: np.ndarray, name: str = "") -> WordTable:
        """A table from float vectors (the build script's)."""
        vectors = np.asarray(vectors, dtype=np.float32)
        rows, scales = quantize(vectors, vectors.shape[1])
        return cls(words, rows, scales, name or f"chive-{len(words)}x{rows.shape[1]}-int8")

    def to_bytes(self) -> bytes:
        """MAGIC, a JSON header (name and words), then the rows and the scales as .npy."""
        header = json.dumps(
            {"name": self.name, "words": self.words}, ensure_ascii=False, separators=(",", ":")
        ).encode()
        out = io.BytesIO()
        out.write(MAGIC + _LENGTH.pack(len(header)) + header)
        np.save(out, np.ascontiguousarray(self.rows), allow_pickle=False)
        np.save(out, np.ascontiguousarray(self.scales), allow_pickle=False)
        return out.getvalue()

    @classmethod
    def from_bytes(cls, data: bytes) -> WordTable:
        """The table of a file written by to_bytes; ValueError if it is not one."""
        if data[: len(MAGIC)] != MAGIC:
            raise ValueError("not a Madoguchi word-vector table")
        (length,) = _LENGTH.unpack_from(data, len(MAGIC))
        start = len(MAGIC) + _LENGTH.size
        header = json.loads(data[start : start + length])
        body = io.BytesIO(data[start + length :])
        rows = np.load(body, allow_pickle=False)
        scales = np.load(body, allow_pickle=False)
        if rows.dtype != np.int8 or scales.dtype != np.float32:
            raise ValueError("word vectors of an unexpected type")
        return cls(header["words"], rows, scales, str(header["name"]))

    def rows_in(self, text: str) -> list[int]:
        """The table's words in the text, by greedy longest match, as rows."""
        text = normalized(text)
        found = []
        start = 0
        while start < len(text):
            longest = self._longest.get(text[start], 0)
            for end in range(min(len(text), start + longest), start, -1):
                row = self._row.get(text[start:end])
                if row is not None:
                    found.append(row)
                    start = end
                    break
            else:
                start += 1
        return found

    def words_in(self, text: str) -> list[str]:
        """The table's words in the text (what rows_in finds), for reading and tests."""
        return [self.words[row] for row in self.rows_in(text)]

    def embed(self, text: str) -> np.ndarray:
        """The SIF-weighted mean of the text's word vectors, L2-normalised (zeros: no word)."""
        return self.mean_of(self.rows_in(text))

    def mean_of(self, found: Sequence[int]) -> np.ndarray:
        """The SIF-weighted mean of these rows' vectors, L2-normalised (zeros: none)."""
        rows = np.asarray(found, dtype=np.int64)
        if not len(rows):
            return np.zeros(self.dim, dtype=np.float32)
        weights = self.weights[rows] * self.scales[rows]
        mean = weights @ self.rows[rows].astype(np.float32)
        norm = float(np.linalg.norm(mean))
        return (mean / norm).astype(np.float32) if norm > 0 else mean.astype(np.float32)


@cache
def table() -> WordTable | None:
    """The layer's table, read once; None (logged once) when it is missing or unreadable."""
    try:
        return WordTable.from_bytes(TABLE_FILE.read_bytes())
    except (OSError, ValueError, KeyError) as exc:
        logger.warning("no word vectors: ranking without them", extra={"reason": str(exc)})
        return None


def question_text(faq: Faq) -> str:
    """The question side a FAQ's first word vector is made of: 質問 and its 言い換え."""
    return "\n".join([faq.question, *faq.paraphrases])


class FaqWordVectors:
    """Each FAQ's question-side and answer-side word vectors (int8 rows, a scale per row)."""

    def __init__(self, table_name: str, arrays: dict[str, np.ndarray]):
        self.table_name = table_name
        self._arrays = {name: arrays[name] for name in ARRAYS}
        shapes = {arrays[name].shape for name in (QUESTION_VECTORS, ANSWER_VECTORS)}
        sizes = {len(arrays[name]) for name in ARRAYS}
        if len(shapes) != 1 or len(sizes) != 1 or arrays[QUESTION_VECTORS].ndim != 2:
            raise ValueError("question and answer word vectors do not match")
        self._mixed: np.ndarray | None = None

    def __len__(self) -> int:
        return len(self._arrays[QUESTION_VECTORS])

    @property
    def question(self) -> np.ndarray:
        """The FAQs' question-side vectors (float32, as stored)."""
        return _dequantized(self._arrays[QUESTION_VECTORS], self._arrays[QUESTION_SCALES])

    @property
    def answer(self) -> np.ndarray:
        """The FAQs' answer vectors (float32, as stored)."""
        return _dequantized(self._arrays[ANSWER_VECTORS], self._arrays[ANSWER_SCALES])

    @classmethod
    def build(
        cls,
        faqs: Sequence[Faq],
        words: WordTable,
        rows_of: Callable[[str], Sequence[int]] | None = None,
        learned: Mapping[str, Sequence[str]] | None = None,
    ) -> FaqWordVectors:
        """Embed every FAQ's question side and answer; `rows_of` finds a text's words (the
        indexer's cache of them from the last build), by default words.rows_in; `learned`
        (FAQ ID -> residents' questions that chose it) joins the question side."""
        find = rows_of or words.rows_in
        taught = learned or {}
        shape = (len(faqs), words.dim)
        question = np.array([words.mean_of(find(question_text(f))) for f in faqs], np.float32)
        for position, faq in enumerate(faqs):
            asked = [t for t in taught.get(faq.id, ()) if t.strip()]
            if asked:
                # The share the semantic signal gives them: the questions residents taught a
                # FAQ are a part of its question side, never all of it.
                learned_mean = words.mean_of(find("\n".join(asked)))
                question[position] = (1 - LEARNED_SHARE) * question[position] + (
                    LEARNED_SHARE * learned_mean
                )
        answer = np.array([words.mean_of(find(f.answer)) for f in faqs], np.float32)
        question_rows, question_scales = quantize(question.reshape(shape), words.dim)
        answer_rows, answer_scales = quantize(answer.reshape(shape), words.dim)
        return cls(
            words.name,
            {
                QUESTION_VECTORS: question_rows,
                QUESTION_SCALES: question_scales,
                ANSWER_VECTORS: answer_rows,
                ANSWER_SCALES: answer_scales,
            },
        )

    def arrays(self) -> dict[str, np.ndarray]:
        """What goes into the index file."""
        return dict(self._arrays)

    def meta(self) -> dict[str, Any]:
        """What the index meta says about these vectors."""
        return {"table": self.table_name, "question_share": QUESTION_SHARE}

    @classmethod
    def from_arrays(
        cls, arrays: dict[str, np.ndarray], meta: dict[str, Any]
    ) -> FaqWordVectors | None:
        """The word vectors of an index file (dequantised), or None when it has none."""
        if QUESTION_VECTORS not in arrays or "word_vectors" not in meta:
            return None
        return cls(str(meta["word_vectors"]["table"]), arrays)

    def similarity(self, query: np.ndarray) -> np.ndarray:
        """The question's cosine with each FAQ's question side and answer, mixed (float64)."""
        if self._mixed is None:
            # Made at the first question only (an index searched with e5 never needs it): the
            # mix of the two cosines is the cosine with the mix of the two vectors.
            mixed = QUESTION_SHARE * self.question + (1 - QUESTION_SHARE) * self.answer
            self._mixed = np.ascontiguousarray(mixed, dtype=np.float32)
        return (self._mixed @ np.asarray(query, dtype=np.float32)).astype(np.float64)


def _dequantized(rows: np.ndarray, scales: np.ndarray) -> np.ndarray:
    return rows.astype(np.float32) * scales[:, None]
