"""One ranking from two signals: the lexical BM25 scores and the semantic cosines of every FAQ."""

from __future__ import annotations

import numpy as np

# How much a standard deviation of cosine counts against the best BM25 score. Chosen with 5-fold
# cross-validation on the hard dev set (every fold chose 0.8-1.2; see scripts/fit_confidence.py).
SEMANTIC_WEIGHT = 1.0
# The weight of a question typed in kana and read back into the FAQs' kanji words
# (madoguchi.search.kana_words). Chosen on the hard dev set's 78 answerable kana questions (0.2 /
# 0.3 / 0.5: Hit@4 0.718 / 0.744 / 0.744, Hit@1 0.474 / 0.500 / 0.449; BM25 alone 0.513 / 0.282).
KANA_SEMANTIC_WEIGHT = 0.3


def fuse(
    lexical: np.ndarray, similarity: np.ndarray, weight: float = SEMANTIC_WEIGHT
) -> np.ndarray:
    """BM25 / the best BM25 score + weight × the cosine's z-score over the index's FAQs.

    Both parts are on scales that do not drift with the size of the index: the best FAQ's BM25 is
    1, and the z-score measures how unusually close a FAQ is among all of them (raw cosines of
    this model sit between about 0.7 and 0.95 for any text).
    """
    best = float(lexical.max()) if len(lexical) else 0.0
    lexical_part = lexical / best if best > 0 else np.zeros_like(lexical)
    spread = float(similarity.std()) if len(similarity) else 0.0
    # Cosines that do not differ (rounding aside) say nothing about which FAQ is meant.
    semantic_part = (similarity - similarity.mean()) / spread if spread > 1e-9 else 0 * similarity
    return lexical_part + weight * semantic_part
