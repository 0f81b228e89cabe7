"""The postings scorer gives exactly rank_bm25.BM25Okapi's scores."""

import random

import numpy as np
import pytest
from rank_bm25 import BM25Okapi

from madoguchi.search.bm25 import PostingsBM25, term_hashes


def random_corpus(rng: random.Random) -> tuple[list[list[str]], list[str]]:
    vocabulary = [f"t{i}" for i in range(rng.randint(2, 80))]
    # A skewed draw makes some terms appear in most documents: negative IDF, epsilon floor.
    corpus = [
        [vocabulary[min(int(rng.paretovariate(1.2)) - 1, len(vocabulary) - 1)] for _ in range(n)]
        for n in (rng.randint(1, 40) for _ in range(rng.randint(1, 120)))
    ]
    return corpus, vocabulary


@pytest.mark.parametrize("seed", range(12))
def test_scores_equal_bm25okapi(seed):
    rng = random.Random(seed)
    corpus, vocabulary = random_corpus(rng)
    reference = BM25Okapi(corpus)
    postings = PostingsBM25.build(corpus)
    assert postings.avgdl == pytest.approx(reference.avgdl)
    for _ in range(15):
        query = [rng.choice([*vocabulary, "unknown", "未知"]) for _ in range(rng.randint(0, 10))]
        query += query[:2]  # repeated terms count again, as in BM25Okapi
        expected = reference.get_scores(query)
        np.testing.assert_allclose(postings.get_scores(query), expected, rtol=0, atol=1e-9)


def test_negative_idf_terms_get_the_epsilon_floor():
    # "common" is in 3 of 4 documents: log(1.5) - log(3.5) < 0, so BM25Okapi floors it.
    corpus = [["common", "a"], ["common", "b"], ["common", "c"], ["rare"]]
    reference = BM25Okapi(corpus)
    assert reference.idf["common"] == pytest.approx(0.25 * reference.average_idf)
    postings = PostingsBM25.build(corpus)
    (position,) = postings.lookup(term_hashes(["common"]))
    assert postings.idf[position] == pytest.approx(reference.idf["common"], abs=1e-12)
    for query in (["common"], ["common", "rare", "common"], ["nothing"]):
        np.testing.assert_allclose(
            postings.get_scores(query), reference.get_scores(query), rtol=0, atol=1e-9
        )


def test_round_trip_through_arrays_keeps_scores():
    corpus = [["ごみ", "出し方"], ["住民票", "写し", "住民票"], ["ごみ", "収集日"]]
    built = PostingsBM25.build(corpus)
    restored = PostingsBM25.from_arrays(built.arrays("f"), "f")
    np.testing.assert_array_equal(restored.get_scores(["ごみ"]), built.get_scores(["ごみ"]))


def test_contributions_name_the_query_term_of_each_posting():
    postings = PostingsBM25.build([["a"], ["b"], ["a", "b"]])
    docs, scores, terms = postings.contributions(postings.lookup(term_hashes(["zzz", "a"])), 2.0)
    assert docs.tolist() == [0, 2]
    assert terms.tolist() == [1, 1]  # both postings belong to query term 1 ("a"); "zzz" is unseen
    np.testing.assert_allclose(scores, 2.0 * postings.get_scores(["a"])[[0, 2]])
