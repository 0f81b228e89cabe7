"""FAQ passages, the kana gate, int8 vectors and their similarity to a question."""

import numpy as np
import pytest

from madoguchi.model import Faq
from madoguchi.search import semantic
from madoguchi.search.semantic import DIM, FaqVectors, passages_of, quantize, reads_question
from tests.support.fake_embedder import BigramEmbedder

FAQS = (
    Faq(
        id="1",
        question="住民票の写しがほしい",
        answer="市民課の窓口で取れます。",
        paraphrases=("住民票",),
    ),
    Faq(
        id="2", question="粗大ごみの出し方", answer="申し込みが必要です。\n処理券を貼ってください。"
    ),
    Faq(id="3", question="図書館の開館時間", answer=""),
)


def test_passages_are_the_question_side_and_the_start_of_the_answer():
    assert passages_of(FAQS[0]) == [
        "住民票の写しがほしい",
        "住民票",
        "住民票の写しがほしい\n市民課の窓口で取れます。",
    ]
    # Line breaks inside the answer become spaces; the answer is cut at ANSWER_CHARS.
    assert (
        passages_of(FAQS[1])[-1]
        == "粗大ごみの出し方\n申し込みが必要です。 処理券を貼ってください。"
    )
    long = Faq(id="4", question="Q", answer="あ" * 500)
    assert len(passages_of(long)[-1]) == len("Q\n") + semantic.ANSWER_CHARS
    assert passages_of(FAQS[2]) == ["図書館の開館時間", "図書館の開館時間"]


@pytest.mark.parametrize(
    ("query", "readable"),
    [
        ("住民票がほしい", True),
        ("としょかん 何時まで", True),
        ("じゅうみんひょう", False),
        ("ｼﾞｭｳﾐﾝﾋｮｳ", False),
        ("パスポート", False),
        ("", False),
    ],
)
def test_the_model_reads_questions_with_kanji_only(query, readable):
    assert reads_question(query) is readable


def test_int8_rows_keep_the_cosine():
    rng = np.random.default_rng(3)
    vectors = rng.normal(size=(50, DIM)).astype(np.float32)
    vectors /= np.linalg.norm(vectors, axis=1, keepdims=True)
    rows, scales = quantize(vectors)
    assert rows.dtype == np.int8 and scales.dtype == np.float32
    restored = rows.astype(np.float32) * scales[:, None]
    cosine = (restored * vectors).sum(axis=1) / np.linalg.norm(restored, axis=1)
    assert np.all(cosine > 0.999)


def test_a_faq_vector_is_the_mean_of_its_passages_embedded_in_one_call():
    embedder = BigramEmbedder()
    vectors = FaqVectors.build(FAQS, embedder)
    assert len(vectors) == 3 and vectors.rows.shape == (3, DIM)
    assert embedder.calls == [("passage", [t for f in FAQS for t in passages_of(f)])]
    query = BigramEmbedder.vector("住民票の写し")
    expected = [np.mean([BigramEmbedder.vector(t) @ query for t in passages_of(f)]) for f in FAQS]
    assert vectors.similarity(query) == pytest.approx(expected, abs=0.01)
    assert int(np.argmax(vectors.similarity(query))) == 0


def test_vectors_round_trip_through_arrays_and_are_optional():
    vectors = FaqVectors.build(FAQS, BigramEmbedder())
    again = FaqVectors.from_arrays(vectors.arrays())
    assert again is not None
    assert np.array_equal(again.rows, vectors.rows) and np.array_equal(again.scales, vectors.scales)
    assert FaqVectors.from_arrays({}) is None


def test_an_embedder_returning_the_wrong_shape_is_refused():
    class Broken(BigramEmbedder):
        def embed_passages(self, texts):
            return np.zeros((len(texts), 10), dtype=np.float32)

    with pytest.raises(ValueError, match="embedder returned"):
        FaqVectors.build(FAQS, Broken())


def test_learned_questions_take_their_share_of_the_faq_vector_embedded_in_the_same_call():
    embedder = BigramEmbedder()
    taught = "はんこのカード失くしちゃった"
    vectors = FaqVectors.build(FAQS, embedder, {FAQS[1].id: [taught], "unknown": ["x"]})
    own = [t for f in FAQS for t in passages_of(f)]
    [(kind, texts)] = embedder.calls
    assert kind == "passage" and sorted(texts) == sorted([*own, taught])
    query = BigramEmbedder.vector(taught)
    plain = FaqVectors.build(FAQS, BigramEmbedder()).similarity(query)
    learned = vectors.similarity(query)
    mean_own = np.mean([BigramEmbedder.vector(t) @ query for t in passages_of(FAQS[1])])
    share = semantic.LEARNED_SHARE
    assert learned[1] == pytest.approx((1 - share) * mean_own + share * 1.0, abs=0.01)
    assert learned[1] > plain[1] + 0.1
    # The other FAQs' vectors are as before.
    assert learned[[0, 2]] == pytest.approx(plain[[0, 2]], abs=1e-6)
