"""An index with FAQ vectors: built through an Embedder, stored in the file, fused with BM25,
and BM25 alone whenever the semantic signal cannot take part (no vectors, another model, kana
without a reading of the FAQs' kanji words, an engine that fails)."""

import logging
from pathlib import Path

import numpy as np
import pytest

from madoguchi.search import ArtifactError, SearchIndex, build_index
from madoguchi.search import artifact as artifact_module
from madoguchi.search.bm25 import term_hashes
from madoguchi.search.confidence import FEATURES
from madoguchi.search.fusion import KANA_SEMANTIC_WEIGHT, fuse
from madoguchi.search.semantic import DIM, MODEL_ID, QUERY_CHARS, passages_of
from madoguchi.search.topk import exhaustive, parts_of
from tests.support.fake_embedder import BigramEmbedder
from tests.support.search_dev import dev_workbook

FORMAT1_INDEX = Path(__file__).resolve().parents[1] / "data" / "search_index_format1.bin"


@pytest.fixture(scope="module")
def embedder() -> BigramEmbedder:
    return BigramEmbedder()


@pytest.fixture(scope="module")
def index(embedder) -> SearchIndex:
    return build_index(dev_workbook(), embedder=embedder, built_at="2026-01-01T00:00:00+00:00")


@pytest.fixture(scope="module")
def lexical() -> SearchIndex:
    return build_index(dev_workbook(), built_at="2026-01-01T00:00:00+00:00")


def ranked(result) -> list[tuple[str, float, float]]:
    return [(h.faq.id, h.score, h.confidence) for h in result.hits]


def test_build_embeds_every_passage_once_and_records_the_model(embedder, index):
    passages = [("passage", [t for f in index.faqs for t in passages_of(f)])]
    assert embedder.calls[: len(passages)] == passages
    assert index.vectors is not None and index.vectors.rows.shape == (40, DIM)
    assert index.vectors.rows.dtype == np.int8
    assert index.meta["semantic"]["model_id"] == "bigram-test-model"
    assert index.semantic and index.embedder is embedder


def test_a_question_with_kanji_is_embedded_and_fused(embedder, index, lexical):
    before = len(embedder.calls)
    question = "住民票の写しがほしい"
    result = index.search(question)
    assert embedder.calls[before:] == [("query", [question])]
    assert result.semantic and result.hits[0].faq.id == "D005" and result.answered
    # Every FAQ has a fused score, so the search returns k hits, ordered by it.
    assert len(result.hits) == 4
    assert [h.score for h in result.hits] == sorted((h.score for h in result.hits), reverse=True)
    assert ranked(result) != ranked(lexical.search(question))
    # Only the start of a long question is embedded (BM25 reads more of it).
    long = "住民票の写しがほしいのですが、" + "平日は仕事で行けません。" * 10
    index.search(long)
    assert embedder.calls[-1] == ("query", [long[:QUERY_CHARS]])


def test_kana_questions_are_read_back_into_the_faqs_kanji_words(embedder, index, lexical):
    before = len(embedder.calls)
    result = index.search("いんかんとうろく")
    # e5 cannot read kana: it is given the FAQs' own word for that reading.
    assert embedder.calls[before:] == [("query", ["印鑑登録"])]
    assert result.semantic
    assert (result.evidence[:, FEATURES.index("read_back")] == 1.0).all()
    # Its meaning counts for less than a question typed in kanji.
    terms = index.analyzer.query_terms("いんかんとうろく", 200)
    hashes = term_hashes(terms)
    positions = {name: bm25.lookup(hashes) for name, bm25 in index.fields.items()}
    scores = exhaustive(parts_of(index.fields, positions, index.weights), len(index.faqs))
    similarity = index.vectors.similarity(embedder.embed_queries(["印鑑登録"])[0])
    fused = fuse(scores, similarity, KANA_SEMANTIC_WEIGHT)
    best = [f.id for f in index.faqs].index(result.hits[0].faq.id)
    assert result.hits[0].score == pytest.approx(fused[best]) and fused[best] == fused.max()
    assert index.semantic_weight > KANA_SEMANTIC_WEIGHT


def test_kana_questions_without_a_known_reading_are_left_to_bm25(embedder, index, lexical):
    assert index.read_as("すまほ") is None
    before = len(embedder.calls)
    result = index.search("すまほ")
    assert embedder.calls[before:] == [] and not result.semantic
    assert ranked(result) == ranked(lexical.search("すまほ"))


def test_vectors_survive_the_file_and_need_an_embedder_of_their_model(embedder, index, lexical):
    data = index.to_bytes()
    loaded = SearchIndex.from_bytes(data, embedder=embedder)
    assert loaded.semantic
    assert np.array_equal(loaded.vectors.rows, index.vectors.rows)
    for question in ("粗大ごみを出したい", "子供が生まれた", "天気"):
        assert ranked(loaded.search(question)) == ranked(index.search(question))
    # Without an embedder, or with one of another model, the same file searches with BM25 alone.
    alone = SearchIndex.from_bytes(data)
    assert not alone.semantic and alone.vectors is not None
    assert not alone.attach_embedder(BigramEmbedder(model_id=MODEL_ID + "-other"))
    question = "粗大ごみを出したい"
    assert ranked(alone.search(question)) == ranked(lexical.search(question))


def test_another_model_is_logged_once_when_attached(caplog, index):
    alone = SearchIndex.from_bytes(index.to_bytes())
    with caplog.at_level(logging.WARNING, logger="madoguchi.search.index"):
        assert not alone.attach_embedder(BigramEmbedder(model_id="other-model"))
    assert [r.message for r in caplog.records] == [
        "the index has no vectors of this model: searching with BM25 alone"
    ]


def test_index_files_of_format_1_still_load_and_search_with_bm25(embedder):
    old = SearchIndex.from_bytes(FORMAT1_INDEX.read_bytes(), embedder=embedder)
    assert old.meta["format_version"] == 1 and old.vectors is None and not old.semantic
    result = old.search("粗大ごみを出したい")
    assert result.hits[0].faq.id == "2" and not result.semantic


def test_vectors_of_another_number_of_faqs_are_refused(index):
    meta, documents, arrays = artifact_module.decode(index.to_bytes())
    arrays["semantic.vectors"] = arrays["semantic.vectors"][:5]
    arrays["semantic.scales"] = arrays["semantic.scales"][:5]
    with pytest.raises(ArtifactError, match="do not match"):
        SearchIndex.from_bytes(artifact_module.encode(meta, documents, arrays))


class FailingEmbedder(BigramEmbedder):
    """Passages embed; questions fail, as an engine that broke after the index was built."""

    def embed_queries(self, texts):
        self.calls.append(("query", list(texts)))
        raise OSError("engine gone")


def test_an_engine_failing_on_a_question_falls_back_to_bm25_and_says_so_once(caplog, lexical):
    failing = FailingEmbedder()
    index = build_index(dev_workbook(), embedder=failing)
    with caplog.at_level(logging.ERROR, logger="madoguchi.search.index"):
        first = index.search("粗大ごみを出したい")
        second = index.search("住民票がほしい")
    assert not first.semantic and not second.semantic and not index.semantic
    assert ranked(first) == ranked(lexical.search("粗大ごみを出したい"))
    assert [c for c in failing.calls if c[0] == "query"] == [("query", ["粗大ごみを出したい"])]
    assert len(caplog.records) == 1 and "BM25 alone" in caplog.records[0].message
