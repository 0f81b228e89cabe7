"""Exact top-k (MaxScore) finds the same documents, scores and order as scoring every document."""

import itertools
import random

import numpy as np
import pytest
from rank_bm25 import BM25Okapi

from madoguchi.search import build_index, topk
from madoguchi.search.bm25 import PostingsBM25, term_hashes
from madoguchi.search.topk import best_of, exhaustive, parts_of, top_k
from tests.support.search_dev import dev_workbook

SIZES = (1, 2, 3, 5, 8, 13, 40, 120, 400, 1500, 4000)


def random_fields(rng: random.Random, size: int) -> tuple[dict, dict, list[str]]:
    """One to three fields over the same documents: Zipf words (some in most documents, most
    rare), documents of very different lengths, a few exact duplicates (equal scores)."""
    vocabulary = [f"w{i}" for i in range(rng.randint(3, 3 * size + 20))]
    # Cumulative once: `choices(weights=...)` would sum the whole vocabulary on every call.
    cumulative = list(itertools.accumulate(1 / (rank + 1) for rank in range(len(vocabulary))))
    corpora = {}
    for name in ("question", "answer", "reading")[: rng.randint(1, 3)]:
        corpus: list[list[str]] = []
        for _ in range(size):
            if corpus and rng.random() < 0.05:
                corpus.append(list(rng.choice(corpus)))
                continue
            length = rng.choice((1, 2, 5, 12, 40))
            corpus.append(rng.choices(vocabulary, cum_weights=cumulative, k=length))
        corpora[name] = corpus
    weights_of = {name: rng.choice((1.0, 0.5, 2.0, 1.3)) for name in corpora}
    return corpora, weights_of, vocabulary


def question(rng: random.Random, vocabulary: list[str]) -> list[str]:
    common = vocabulary[:5]
    words = rng.sample(vocabulary, min(len(vocabulary), rng.randint(1, 8)))
    words += rng.sample(common, min(len(common), rng.randint(0, 3)))  # long postings
    words += ["unseen"] * rng.randint(0, 1)
    return list(dict.fromkeys(words))


@pytest.fixture(params=["as deployed", "bounded (MaxScore)", "dense rows from 4 documents"])
def dense_rows(request, monkeypatch):
    """As deployed (questions with few postings are scored whole), always bounded (MaxScore),
    or bounded with dense rows for small corpora too and few unseen documents checked one by
    one."""
    if request.param != "as deployed":
        monkeypatch.setattr(topk, "EXHAUSTIVE_POSTINGS", 0)
    if request.param == "dense rows from 4 documents":
        monkeypatch.setattr(topk, "DENSE_MIN_DOCS", 4)
        monkeypatch.setattr(topk, "_FEW", 3)
    return request.param


@pytest.mark.parametrize("size", SIZES)
@pytest.mark.parametrize("seed", range(4))
def test_top_k_equals_exhaustive_ranking(size, seed, dense_rows):
    rng = random.Random(size * 1000 + seed)
    corpora, weights, vocabulary = random_fields(rng, size)
    fields = {name: PostingsBM25.build(corpus) for name, corpus in corpora.items()}
    for _ in range(25):
        hashes = term_hashes(question(rng, vocabulary))
        positions = {name: bm25.lookup(hashes) for name, bm25 in fields.items()}
        parts = parts_of(fields, positions, weights)
        every = exhaustive(parts, size)
        for k in (1, 2, 4, 10):
            expected = best_of(every, np.arange(size), k)
            docs, scores, found = top_k(parts, size, k)
            assert docs.tolist() == expected.tolist()
            # Bit for bit: the same sums in the same order.
            assert scores.tolist() == every[expected].tolist()
            for part, row in zip(parts, found, strict=True):
                postings = part.field.doc_ids[part.start : part.end]
                assert row.tolist() == np.isin(docs, postings).tolist()


@pytest.mark.parametrize("seed", range(6))
def test_exhaustive_scores_are_bm25okapi_summed_over_fields(seed):
    rng = random.Random(seed)
    size = rng.choice((3, 30, 300))
    corpora, weights, vocabulary = random_fields(rng, size)
    fields = {name: PostingsBM25.build(corpus) for name, corpus in corpora.items()}
    references = {name: BM25Okapi(corpus) for name, corpus in corpora.items()}
    for _ in range(10):
        words = question(rng, vocabulary)
        hashes = term_hashes(words)
        positions = {name: bm25.lookup(hashes) for name, bm25 in fields.items()}
        parts = parts_of(fields, positions, weights)
        expected = sum(weights[n] * references[n].get_scores(words) for n in corpora)
        np.testing.assert_allclose(exhaustive(parts, size), expected, rtol=1e-12, atol=1e-9)


def test_equal_scores_keep_workbook_order(dense_rows):
    corpus = [["a", "b"], ["c"], ["a", "b"], ["a", "b"], ["d"], ["a", "b"]] * 50
    fields = {"question": PostingsBM25.build(corpus)}
    positions = {"question": fields["question"].lookup(term_hashes(["a", "b", "d"]))}
    parts = parts_of(fields, positions, {"question": 1.0})
    docs, _, _ = top_k(parts, len(corpus), 4)
    expected = best_of(exhaustive(parts, len(corpus)), np.arange(len(corpus)), 4)
    assert docs.tolist() == expected.tolist()


def test_upper_bounds_bound_every_posting():
    rng = random.Random(3)
    letters = "abcdefghijklmnopqrstuvwxyz"
    corpus = [
        rng.choices(letters, weights=range(26, 0, -1), k=rng.randint(1, 6)) for _ in range(500)
    ]
    bm25 = PostingsBM25.build(corpus)
    assert (bm25.idf > 0).all()
    for position in range(len(bm25.keys)):
        start, end = bm25.starts[position], bm25.starts[position + 1]
        docs = bm25.doc_ids[start:end].astype(np.int64)
        scores = bm25.term_scores(position, docs, bm25.freqs[start:end])
        assert scores.max() == bm25.idf[position] * bm25.upper_bounds[position]


def test_search_ranks_as_scoring_every_faq():
    index = build_index(dev_workbook(), words=False)  # BM25 alone: word vectors would reorder
    for query in ("ごみの出し方", "住民票の写し", "市役所", "税金の払い方を教えて", "犬"):
        result = index.search(query, k=4)
        hashes = term_hashes(result.terms)
        positions = {name: bm25.lookup(hashes) for name, bm25 in index.fields.items()}
        parts = parts_of(index.fields, positions, index.weights)
        every = exhaustive(parts, len(index.store))
        expected = best_of(every, np.arange(len(index.store)), 4)
        assert [h.faq.id for h in result.hits] == [index.store.get(int(d)).id for d in expected]
        assert [h.score for h in result.hits] == every[expected].tolist()
