"""Fusing BM25 with the semantic cosine: scales that do not depend on the index."""

import numpy as np
import pytest

from madoguchi.search.fusion import SEMANTIC_WEIGHT, fuse


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
