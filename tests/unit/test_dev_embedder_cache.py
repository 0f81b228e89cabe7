"""The dev tools' vector file: texts embedded once are read back, by kind, across instances."""

import numpy as np

from madoguchi.search.semantic import QUERY_CHARS
from madoguchi_dev.e5 import DiskCachedEmbedder
from tests.support.fake_embedder import BigramEmbedder


def test_vectors_are_embedded_once_and_kept_in_the_file(tmp_path):
    path = tmp_path / "vectors.npz"
    inner = BigramEmbedder()
    cached = DiskCachedEmbedder(inner, path)
    first = cached.embed_passages(["粗大ごみの出し方", "住民票"])
    assert inner.calls == [("passage", ["粗大ごみの出し方", "住民票"])]
    again = cached.embed_passages(["住民票", "図書館"])
    assert inner.calls[-1] == ("passage", ["図書館"])  # only the new text
    assert np.array_equal(again[0], first[1])
    # Questions and passages are different vectors of the same text: cached apart.
    cached.embed_queries(["住民票"])
    assert inner.calls[-1] == ("query", ["住民票"])

    reopened_inner = BigramEmbedder()
    reopened = DiskCachedEmbedder(reopened_inner, path)
    assert np.array_equal(reopened.embed_passages(["住民票"])[0], first[1])
    assert reopened_inner.calls == []
    assert reopened.model_id == inner.model_id


def test_questions_are_cut_like_the_engine_cuts_them(tmp_path):
    inner = BigramEmbedder()
    cached = DiskCachedEmbedder(inner, tmp_path / "v.npz")
    cached.embed_queries(["あ" * 100])
    assert inner.calls == [("query", ["あ" * QUERY_CHARS])]
