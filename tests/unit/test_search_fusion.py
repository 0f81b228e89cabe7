"""Fusing BM25 with the semantic and word-vector cosines: scales that do not depend on the index."""

import numpy as np
import pytest

from madoguchi.search.fusion import (
    LEXICAL_WORD_WEIGHT,
    SEMANTIC_WEIGHT,
    WORD_WEIGHT,
    fuse,
    z_scores,
)


def test_best_bm25_counts_one_and_cosine_counts_its_z_score():
    lexical = np.array([10.0, 5.0, 0.0, 0.0])
    similarity = np.array([0.80, 0.80, 0.90, 0.70])
    fused = fuse(lexical, similarity, weight=1.0)
    z = (similarity - similarity.mean()) / similarity.std()
    assert fused == pytest.approx(lexical / 10.0 + z)


def test_a_faq_no_word_matches_can_win_by_meaning():
    lexical = np.array([3.0, 0.0, 0.0, 0.0, 0.0])
    similarity = np.array([0.80, 0.95, 0.80, 0.79, 0.81])
    assert int(np.argmax(fuse(lexical, similarity))) == 1
    # Without a semantic weight, BM25 decides alone.
    assert int(np.argmax(fuse(lexical, similarity, weight=0.0))) == 0


def test_scaling_either_signal_changes_nothing():
    rng = np.random.default_rng(5)
    lexical, similarity = rng.uniform(0, 20, 50), rng.uniform(0.7, 0.95, 50)
    base = np.argsort(-fuse(lexical, similarity))
    assert np.array_equal(np.argsort(-fuse(lexical * 7, similarity)), base)
    assert np.array_equal(np.argsort(-fuse(lexical, similarity * 0.5 + 0.3)), base)


def test_no_bm25_match_and_flat_cosines_give_zeros():
    fused = fuse(np.zeros(3), np.full(3, 0.8))
    assert np.array_equal(fused, np.zeros(3))
    assert SEMANTIC_WEIGHT > 0


def test_word_vectors_add_their_own_z_score():
    lexical = np.array([10.0, 5.0, 0.0, 0.0])
    similarity = np.array([0.80, 0.80, 0.90, 0.70])
    words = np.array([0.2, 0.6, 0.4, 0.1])
    fused = fuse(lexical, similarity, 1.0, words, 0.3)
    z_words = (words - words.mean()) / words.std()
    assert fused == pytest.approx(fuse(lexical, similarity, 1.0) + 0.3 * z_words)
    assert fused == pytest.approx(lexical / 10.0 + z_scores(similarity) + 0.3 * z_words)
    # A word weight of 0 is the fusion of two signals.
    assert np.array_equal(fuse(lexical, similarity, 1.0, words, 0.0), fuse(lexical, similarity))


def test_without_e5_word_vectors_fuse_with_bm25_alone():
    lexical = np.array([4.0, 3.9, 0.0])
    words = np.array([0.3, 0.9, 0.5])
    fused = fuse(lexical, None, words=words, word_weight=LEXICAL_WORD_WEIGHT)
    assert fused == pytest.approx(lexical / 4.0 + LEXICAL_WORD_WEIGHT * z_scores(words))
    assert int(np.argmax(fused)) == 1  # a close second by BM25, far closer in its words
    assert np.array_equal(fuse(lexical, None), lexical / 4.0)
    assert LEXICAL_WORD_WEIGHT > 0 and WORD_WEIGHT == 0.0
