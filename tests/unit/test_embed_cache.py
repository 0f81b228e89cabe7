"""The passage vector cache: only unseen passages are embedded, entries no build uses are
pruned, and a cache that cannot be read or written never fails a publish."""

from __future__ import annotations

import logging

import numpy as np
import pytest

from madoguchi.adapters.embed_cache import CachingEmbedder, cache_key, quantize, text_key
from madoguchi.adapters.storage import LocalStorage
from madoguchi.search import artifact
from madoguchi.search.semantic import DIM, MODEL_ID
from tests.support.embedders import CountingEmbedder

KEY = cache_key("indexes/", MODEL_ID)


@pytest.fixture
def storage(tmp_path) -> LocalStorage:
    return LocalStorage(tmp_path)


def build(storage, texts, inner=None):
    """One build: embed the texts and save, as the publish does."""
    inner = inner or CountingEmbedder()
    cache = CachingEmbedder(inner, storage, KEY)
    vectors = cache.embed_passages(texts)
    return inner, vectors, cache.save()


def test_the_cache_lives_beside_the_index_under_the_model_id():
    assert KEY == "indexes/vectors-cache/multilingual-e5-small-q4.bin"
    assert text_key("a", "x") != text_key("b", "x") != text_key("a", "y")


def test_a_republish_embeds_only_the_edited_passages(storage):
    texts = [f"質問 {n}" for n in range(20)]
    first, vectors, stats = build(storage, texts)
    assert first.passages == texts and (stats.embedded, stats.reused) == (20, 0)
    edited = [*texts[:19], "質問 19 (直しました)"]
    second, again, stats = build(storage, edited)
    assert second.passages == ["質問 19 (直しました)"]
    assert (stats.passages, stats.embedded, stats.reused) == (20, 1, 19)
    assert stats.hit_rate == pytest.approx(0.95)
    np.testing.assert_array_equal(again[:19], vectors[:19])


def test_vectors_are_the_same_whether_cached_or_not(storage):
    texts = ["保育園の申し込み", "保育園の申し込み", "国民健康保険"]
    inner, fresh, _ = build(storage, texts)
    assert inner.passages == ["保育園の申し込み", "国民健康保険"]  # each text once
    _, cached, _ = build(storage, texts)
    np.testing.assert_array_equal(fresh, cached)
    exact = np.stack([CountingEmbedder.vector(t) for t in texts])
    assert np.abs(1 - np.sum(fresh * exact, axis=1)).max() < 1e-3  # int8 keeps the direction


def test_entries_no_longer_used_are_pruned(storage):
    build(storage, ["残す", "消す"])
    build(storage, ["残す"])
    meta, _, arrays = artifact.decode(storage.get(KEY))
    assert meta["count"] == 1 and arrays["keys"].tobytes() == text_key(MODEL_ID, "残す")
    inner, _, _ = build(storage, ["消す"])
    assert inner.passages == ["消す"]


@pytest.mark.parametrize(
    "damage",
    [
        lambda data: b"garbage",
        lambda data: data[: len(data) // 2],
        lambda data: artifact.encode({"kind": "passage-vectors", "model_id": MODEL_ID}, {}, {}),
        lambda data: artifact.encode(
            {"kind": "passage-vectors", "model_id": MODEL_ID},
            {},
            {
                "keys": np.zeros((2, 32), np.uint8),
                "vectors": np.zeros((1, DIM), np.int8),
                "scales": np.ones(2, np.float32),
            },
        ),
    ],
)
def test_a_corrupt_cache_is_rebuilt(storage, damage, caplog):
    build(storage, ["a", "b"])
    storage.put(KEY, damage(storage.get(KEY)))
    with caplog.at_level(logging.WARNING):
        inner, _, stats = build(storage, ["a", "b"])
    assert inner.passages == ["a", "b"] and stats.embedded == 2
    assert "unreadable" in caplog.text
    _, _, stats = build(storage, ["a", "b"])
    assert stats.reused == 2  # and it was written back whole


def test_a_cache_of_another_model_is_not_used(storage):
    build(storage, ["a"], CountingEmbedder("another-model"))
    inner, _, stats = build(storage, ["a"])
    assert inner.passages == ["a"] and stats.embedded == 1


class BrokenStorage(LocalStorage):
    def get(self, key, version_id=None):
        raise OSError("storage is down")

    def put(self, key, data, content_type="application/octet-stream"):
        raise OSError("storage is down")


def test_storage_that_fails_never_fails_the_build(tmp_path, caplog):
    _, vectors, stats = build(BrokenStorage(tmp_path), ["a", "b"])
    assert vectors.shape == (2, DIM) and stats.embedded == 2
    assert "could not be read" in caplog.text and "could not be written" in caplog.text


def test_a_failed_build_is_discarded_and_the_next_starts_from_storage(storage):
    build(storage, ["a"])
    cache = CachingEmbedder(CountingEmbedder(), storage, KEY)
    cache.embed_passages(["a", "b"])
    cache.discard()  # the build failed: nothing written
    meta, _, _ = artifact.decode(storage.get(KEY))
    assert meta["count"] == 1
    assert cache.stats.passages == 0


def test_an_embedder_returning_the_wrong_shape_is_an_error(storage):
    class Short(CountingEmbedder):
        def embed_passages(self, texts):
            return super().embed_passages(texts)[:-1]

    with pytest.raises(ValueError, match="returned"):
        CachingEmbedder(Short(), storage, KEY).embed_passages(["a", "b"])


def test_questions_pass_through_uncached(storage):
    inner = CountingEmbedder()
    cache = CachingEmbedder(inner, storage, KEY)
    cache.embed_queries(["税金"])
    cache.embed_queries(["税金"])
    assert inner.queries == ["税金", "税金"] and storage.get(KEY) is None


def test_quantize_keeps_each_row_within_int8():
    rows, scales = quantize(np.array([[0.5] * DIM, [0.0] * DIM], np.float32))
    assert rows.dtype == np.int8 and rows.max() == 127 and not rows[1].any()
    assert scales[1] == 1.0
