"""One ranking from up to three signals: BM25, the e5 cosines and the word-vector cosines."""

from __future__ import annotations

import numpy as np

# How much a standard deviation of cosine counts against the best BM25 score. Chosen with 5-fold
# cross-validation on the hard dev set (every fold chose 0.8-1.2; see scripts/fit_confidence.py).
SEMANTIC_WEIGHT = 1.0
# The weight of a question typed in kana and read back into the FAQs' kanji words
# (madoguchi.search.kana_words). Chosen on the hard dev set's 78 answerable kana questions (0.2 /
# 0.3 / 0.5: Hit@4 0.718 / 0.744 / 0.744, Hit@1 0.474 / 0.500 / 0.449; BM25 alone 0.513 / 0.282).
KANA_SEMANTIC_WEIGHT = 0.3
# How much a standard deviation of word-vector cosine counts (madoguchi.search.word_vectors), beside
# e5 and when BM25 ranks without it. Measured on the hard dev set (Hit@1 / Hit@4 / MRR;
# docs/search.md): beside e5, 0.1 and 0.3 moved the full workbook by +0.005 at most, and 0.3 lost
# 0.016 Hit@1 on the stripped one and a question of the kana set's 44: no gain worth having, so
# off. Without e5, 0.3 took BM25 from 0.423 / 0.642 / 0.528 to 0.457 / 0.695 / 0.562 (0.2: 0.447 /
# 0.695 / 0.560; 0.4: lower), and the blind set from 0.863 / 0.963 / 0.914 to 0.905 / 0.984 / 0.940.
WORD_WEIGHT = 0.0
LEXICAL_WORD_WEIGHT = 0.3


def z_scores(values: np.ndarray) -> np.ndarray:
    """How unusual each value is among all of them (zeros when they do not differ)."""
    spread = float(values.std()) if len(values) else 0.0
    # Cosines that do not differ (rounding aside) say nothing about which FAQ is meant.
    return (values - values.mean()) / spread if spread > 1e-9 else 0 * values


def fuse(
    lexical: np.ndarray,
    similarity: np.ndarray | None,
    weight: float = SEMANTIC_WEIGHT,
    words: np.ndarray | None = None,
    word_weight: float = WORD_WEIGHT,
) -> np.ndarray:
    """BM25 / the best BM25 score + weight × the cosine's z-score over the index's FAQs, + word
    weight × the word-vector cosine's z-score.

    All parts are on scales that do not drift with the size of the index: the best FAQ's BM25 is
    1, and a z-score measures how unusually close a FAQ is among all of them (raw cosines of
    e5 sit between about 0.7 and 0.95 for any text).
    """
    best = float(lexical.max()) if len(lexical) else 0.0
    fused = lexical / best if best > 0 else np.zeros_like(lexical, dtype=np.float64)
    if similarity is not None:
        fused = fused + weight * z_scores(similarity)
    if words is not None:
        fused = fused + word_weight * z_scores(words)
    return fused
