"""A second reader of meaning: the closest FAQs read again by a model other than e5.

e5 and BM25 choose the candidates; a second sentence model (Google's Universal Sentence Encoder,
multilingual v3: madoguchi.adapters.use_engine) then reads the question against each of the
RERANK_DEPTH best FAQs. Two models trained apart err apart, so where they agree a FAQ is more
likely right, and where the second prefers another candidate the first place is less certain.
Its closeness moves the candidates (READER_WEIGHT) and is evidence for the confidence
(madoguchi.search.confidence: reader_z, reader_margin). Only the candidates are read, at the
question's time: about 1 ms a text, each FAQ's passages once per warm function (the cache), so
the index file and the indexer do not change.

Measured on the hard dev set (tests/data/hard_dev.jsonl, held-out folds; docs/search.md): Hit@1
0.599 -> 0.625, Hit@4 0.826 -> 0.847, questions answered right at once 0.220 -> 0.253 at a target
precision of 0.88; English questions' first choice right 0.74 -> 0.88 (multilingual dev set).
"""

from __future__ import annotations

import logging
from collections import OrderedDict
from collections.abc import Mapping, Sequence
from typing import Protocol

import numpy as np

from madoguchi.model import Faq
from madoguchi.search.semantic import passages_of

logger = logging.getLogger(__name__)

# The candidates read again: the webhook shows four, the second reader may lift a fifth to tenth.
RERANK_DEPTH = 10
# How much a standard deviation of its closeness among the candidates counts beside the fused
# score (whose best BM25 is 1 and whose e5 part is in standard deviations over all FAQs). Chosen
# on the hard dev set's held-out folds: 0.3 / 0.5 / 0.8 gave Hit@1 0.623 / 0.628 / 0.625.
READER_WEIGHT = 0.5
# A question in another language is read again only in the languages the model was trained on
# (USE multilingual v3: 16 languages; Vietnamese, Tagalog, Nepali and Indonesian are not among
# them, and on the multilingual dev set it put Vietnamese questions' right FAQ lower).
LANGUAGES = frozenset(
    {"ar", "de", "en", "es", "fr", "it", "ja", "ko", "nl", "pl", "pt", "ru", "th", "tr", "zh"}
)
ACROSS_WEIGHT = 0.5  # beside across.rank's standing (in standard deviations over all FAQs)
# FAQs whose passage vectors a warm function keeps: 2,000 × 4 passages × 512 floats ≈ 16 MB.
CACHE_FAQS = 2_000
# Characters of a question read: residents' questions are short, a pasted letter is not a question.
QUESTION_CHARS = 200


class SentenceReader(Protocol):
    """A sentence model: texts in, one unit vector each."""

    model_id: str

    def embed(self, texts: Sequence[str]) -> np.ndarray:
        """(n, d) float32, L2-normalised."""
        ...


class SecondReader:
    """Reads a question against candidate FAQs, keeping the FAQs' vectors it has made."""

    def __init__(self, reader: SentenceReader, cache_faqs: int = CACHE_FAQS):
        self.reader = reader
        self.model_id = reader.model_id
        self._cache: OrderedDict[tuple[str, ...], np.ndarray] = OrderedDict()
        self._cache_faqs = cache_faqs

    def closeness(
        self,
        question: str,
        faqs: Sequence[Faq],
        taught: Mapping[str, Sequence[str]] | None = None,
    ) -> np.ndarray:
        """How close each FAQ is to the question: the mean of its cosine with the question and
        answer, and its best cosine with anything on its question side (both help on the dev
        set: the answer says what a FAQ covers, one 言い換え may be worded as the resident did)."""
        if not faqs:
            return np.zeros(0)
        passages = [self._passages(faq, (taught or {}).get(faq.id, ())) for faq in faqs]
        vector = self.reader.embed([question.strip()[:QUESTION_CHARS]])[0]
        scores = []
        for rows in passages:
            cosines = rows @ vector
            # Row 0 is the question with its answer; the rest the question side.
            side = float(cosines[1:].max()) if len(cosines) > 1 else float(cosines[0])
            scores.append((float(cosines[0]) + side) / 2)
        return np.array(scores, dtype=np.float64)

    def _passages(self, faq: Faq, taught: Sequence[str]) -> np.ndarray:
        """The FAQ's passage vectors: with its answer first, then its question side (質問, 言い換え
        and the questions residents taught it): e5's passages (semantic.passages_of), reordered."""
        *side, with_answer = passages_of(faq)
        texts = (with_answer, *side, *(t.strip() for t in taught if t.strip()))
        rows = self._cache.get(texts)
        if rows is None:
            rows = np.asarray(self.reader.embed(list(texts)), dtype=np.float32)
            self._cache[texts] = rows
            if len(self._cache) > self._cache_faqs:
                self._cache.popitem(last=False)
        else:
            self._cache.move_to_end(texts)
        return rows
