"""The layer's chiVe table: longest-match lookup, SIF weights, text vectors, FAQ vectors in the
index file, and BM25 reordered by them when e5 is unavailable."""

import numpy as np
import pytest

from madoguchi.model import Faq, FaqWorkbook
from madoguchi.search import SearchIndex, build_index, word_vectors
from madoguchi.search import artifact as artifact_module
from madoguchi.search.bm25 import term_hashes
from madoguchi.search.fusion import LEXICAL_WORD_WEIGHT, fuse
from madoguchi.search.index import MIN_WORD_FAQS
from madoguchi.search.semantic import LEARNED_SHARE
from madoguchi.search.topk import exhaustive, parts_of
from madoguchi.search.word_vectors import (
    QUESTION_SHARE,
    TABLE_FILE,
    FaqWordVectors,
    WordTable,
    normalized,
    table,
)
from tests.support.search_dev import dev_workbook


@pytest.fixture(scope="module")
def words() -> WordTable:
    loaded = table()
    assert loaded is not None
    return loaded


def test_the_layer_table_is_20000_words_of_300_int8_dimensions(words):
    assert len(words) == 20_000 and words.dim == 300
    assert words.rows.dtype == np.int8 and words.scales.dtype == np.float32
    assert words.words[0] == "の"  # the most frequent word first
    assert TABLE_FILE.stat().st_size < 7_000_000


def test_the_longest_word_of_the_table_is_taken(words):
    assert words.words_in("予防接種") == ["予防接種"]
    assert words.words_in("予防") == ["予防"] and words.words_in("接種") == ["接種"]
    found = words.words_in("マイナンバーカードをなくした")
    assert [normalized(w) for w in found] == ["まい", "なんばー", "かーど", "を", "なく", "した"]


def test_width_case_and_katakana_are_matched_in_one_form(words):
    assert words.words_in("ｶｰﾄﾞ") == ["カード"]
    assert words.words_in("ゴミ") == ["ごみ"]  # chiVe spells it as Sudachi normalises it
    assert normalized("ＡＢＣ　ゴミ") == "abc ごみ"


def test_characters_outside_the_table_are_skipped(words):
    assert words.rows_in("🙂🙂") == []
    assert not words.embed("🙂").any()
    assert words.words_in("🙂図書館🙂") == ["図書館"]


def test_frequent_words_weigh_little(words):
    weights = words.weights
    assert weights[0] < 0.01  # の
    assert 0.4 < weights[999] < 0.6  # the 1,000th word: about half
    assert weights[-1] > 0.95
    assert np.all(np.diff(weights) > 0)


def test_a_text_vector_is_the_sif_weighted_mean_of_its_words(words):
    text = "図書館の予約"
    rows = words.rows_in(text)
    assert [words.words[r] for r in rows] == ["図書館", "の", "予約"]
    vectors = words.rows[rows].astype(np.float32) * words.scales[rows][:, None]
    mean = words.weights[rows] @ vectors
    assert words.embed(text) == pytest.approx(mean / np.linalg.norm(mean), abs=1e-6)
    assert float(np.linalg.norm(words.embed(text))) == pytest.approx(1.0, abs=1e-5)


def test_related_texts_are_closer_than_unrelated(words):
    question = words.embed("住民票を取りたい")
    assert question @ words.embed("住民票の写しの交付") > question @ words.embed("粗大ごみの出し方")
    assert question @ words.embed("住民票の写しの交付") > 0.5


def test_the_file_round_trips_byte_for_byte(words):
    data = TABLE_FILE.read_bytes()
    again = WordTable.from_bytes(data)
    assert again.to_bytes() == data
    assert again.words == words.words and np.array_equal(again.rows, words.rows)


def test_garbage_is_not_a_table():
    with pytest.raises(ValueError, match="not a Madoguchi word-vector table"):
        WordTable.from_bytes(b"something else")


def test_a_missing_table_means_no_word_vectors(monkeypatch, tmp_path, caplog):
    monkeypatch.setattr(word_vectors, "TABLE_FILE", tmp_path / "none.bin")
    table.cache_clear()
    try:
        assert table() is None
        assert "no word vectors" in caplog.text
        index = build_index(dev_workbook())
        assert index.words is None and "word_vectors" not in index.meta
        assert index.search("粗大ごみを出したい").hits[0].faq.id == "D001"
    finally:
        table.cache_clear()


def faq(faq_id: str, question: str, answer: str) -> Faq:
    return Faq(id=faq_id, question=question, answer=answer)


def test_faq_vectors_mix_question_side_and_answer_evenly(words):
    faqs = [
        faq("A", "図書館の本を借りたい", "貸出カードを作ってください。"),
        faq("B", "粗大ごみを捨てたい", "申し込みが必要です。"),
    ]
    vectors = FaqWordVectors.build(faqs, words)
    assert len(vectors) == 2 and vectors.table_name == words.name
    query = words.embed("本の貸出")
    expected = [
        QUESTION_SHARE * (words.embed(f.question) @ query)
        + (1 - QUESTION_SHARE) * (words.embed(f.answer) @ query)
        for f in faqs
    ]
    assert vectors.similarity(query) == pytest.approx(expected, abs=0.01)  # int8 in the index
    assert QUESTION_SHARE == 0.5


def test_questions_residents_taught_are_a_fifth_of_the_question_side(words):
    faqs = [faq("A", "国民健康保険に入りたい", "手続きが必要です。")]
    taught = "仕事やめたけど保険証どうするの"
    plain = FaqWordVectors.build(faqs, words)
    learned = FaqWordVectors.build(faqs, words, learned={"A": [taught]})
    mixed = (1 - LEARNED_SHARE) * words.embed(faqs[0].question) + LEARNED_SHARE * words.embed(
        taught
    )
    assert learned.question[0] == pytest.approx(mixed, abs=0.01)
    query = words.embed(taught)
    assert learned.similarity(query)[0] > plain.similarity(query)[0]
    assert LEARNED_SHARE == 0.2


def test_word_vectors_survive_the_index_file(words):
    index = build_index(dev_workbook(), built_at="2026-01-01T00:00:00+00:00")
    assert index.words is not None and index.meta["word_vectors"]["table"] == words.name
    loaded = SearchIndex.from_bytes(index.to_bytes())
    assert loaded.words is not None
    assert np.array_equal(loaded.words.question, index.words.question)
    for question in ("大きいごみを出したい", "子供が生まれた", "天気", "図書館の本を返したい"):
        before, after = index.search(question), loaded.search(question)
        assert [(h.faq.id, h.score, h.confidence) for h in after.hits] == [
            (h.faq.id, h.score, h.confidence) for h in before.hits
        ]


def test_an_index_file_without_word_vectors_still_loads_and_ranks_by_bm25():
    with_words = build_index(dev_workbook(), built_at="2026-01-01T00:00:00+00:00")
    without = build_index(dev_workbook(), built_at="2026-01-01T00:00:00+00:00", words=False)
    assert without.words is None and "word_vectors" not in without.meta
    _meta, _documents, arrays = artifact_module.decode(without.to_bytes())
    assert not any(name.startswith("words.") for name in arrays)
    loaded = SearchIndex.from_bytes(without.to_bytes())
    assert loaded.words is None
    with_words.lexical_word_weight = 0.0  # the same ranking as an index without them
    for question in ("大きいごみを出したい", "図書館の本を返したい", "天気"):
        assert [h.faq.id for h in loaded.search(question).hits] == [
            h.faq.id for h in with_words.search(question).hits
        ]


def test_vectors_of_another_table_are_ignored():
    index = build_index(dev_workbook(), built_at="2026-01-01T00:00:00+00:00")
    meta, documents, arrays = artifact_module.decode(index.to_bytes())
    meta["word_vectors"] = {"table": "another-table"}
    other = SearchIndex.from_bytes(artifact_module.encode(meta, documents, arrays))
    plain = build_index(dev_workbook(), built_at="2026-01-01T00:00:00+00:00", words=False)
    question = "図書館の本を返したい"
    assert [h.score for h in other.search(question).hits] == [
        h.score for h in plain.search(question).hits
    ]


def test_word_vectors_of_another_number_of_faqs_are_refused():
    index = build_index(dev_workbook(), built_at="2026-01-01T00:00:00+00:00")
    meta, documents, arrays = artifact_module.decode(index.to_bytes())
    for name in word_vectors.ARRAYS:
        arrays[name] = arrays[name][:5]
    with pytest.raises(artifact_module.ArtifactError, match="do not match"):
        SearchIndex.from_bytes(artifact_module.encode(meta, documents, arrays))


def test_without_e5_word_vectors_reorder_what_bm25_finds(words):
    index = build_index(dev_workbook(), built_at="2026-01-01T00:00:00+00:00")
    assert len(index.faqs) >= MIN_WORD_FAQS
    for question in ("子犬を飼い始めたので登録したい", "役所は何時から", "ペットを飼いたい"):
        result = index.search(question)
        terms = result.terms
        positions = {name: bm25.lookup(term_hashes(terms)) for name, bm25 in index.fields.items()}
        lexical = exhaustive(parts_of(index.fields, positions, index.weights), len(index.faqs))
        similarity = index.words.similarity(words.embed(question))
        fused = fuse(lexical, None, words=similarity, word_weight=LEXICAL_WORD_WEIGHT)
        found = np.flatnonzero(lexical > 0)  # only FAQs BM25 finds take part
        expected = found[np.lexsort((found, -fused[found]))][: len(result.hits)]
        assert [h.faq.id for h in result.hits] == [index.faqs[p].id for p in expected]
        assert [h.score for h in result.hits] == pytest.approx(fused[expected].tolist())
    # A miss of word vectors: BM25 puts 開庁時間 first, they 駐車場 (both hold 市役所).
    assert index.search("役所は何時から").hits[0].faq.id == "D039"
    index.lexical_word_weight = 0.0
    assert index.search("役所は何時から").hits[0].faq.id == "D038"
    index.lexical_word_weight = LEXICAL_WORD_WEIGHT
    # A question sharing no word with any FAQ finds none, word vectors or not.
    assert index.search("🙂").hits == []
    assert index.search("ラーメン屋").hits == []


def test_a_handful_of_faqs_is_ranked_by_bm25_alone():
    faqs = tuple(
        Faq(id=str(n), question=q, answer=a)
        for n, (q, a) in enumerate(
            [
                ("犬の登録の手続き", "飼い犬は市役所で登録してください。"),
                ("自転車の登録の手続き", "防犯登録は販売店でできます。"),
                ("住民税の納付", "納付書で払ってください。"),
            ]
        )
    )
    index = build_index(FaqWorkbook(faqs=faqs), built_at="2026-01-01T00:00:00+00:00")
    assert index.words is not None and len(index.words) < MIN_WORD_FAQS
    assert index._word_similarity("子犬を飼い始めたので登録したい") is None
