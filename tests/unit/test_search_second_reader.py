"""The second reader: the candidates read again by another sentence model, their order moved by
its standing among them and its closeness made evidence; ranked without it when it fails."""

import logging

import numpy as np
import pytest

from madoguchi.model import Faq
from madoguchi.search import SearchIndex, build_index
from madoguchi.search.confidence import FEATURES
from madoguchi.search.fusion import z_scores as standing
from madoguchi.search.index import _margins
from madoguchi.search.second_reader import RERANK_DEPTH, SecondReader
from madoguchi.search.semantic import passages_of
from tests.support.fake_embedder import BigramEmbedder
from tests.support.search_dev import dev_workbook


def with_answer(item: Faq) -> str:
    """The passage the second reader reads a FAQ's answer in: e5's question + answer passage."""
    return passages_of(item)[-1]


def question_side(item: Faq) -> list[str]:
    """The passages of its question side: 質問 and 言い換え."""
    return passages_of(item)[:-1]


def margins(closeness: np.ndarray) -> np.ndarray:
    """Each candidate's closeness minus the best other's, as the index computes it."""
    return _margins(closeness, np.arange(len(closeness)))


class FakeReader:
    """A sentence model for tests: bigram vectors, except that texts naming `favourite` read as
    the question `asked` (so its FAQ is the one the second reader prefers)."""

    model_id = "fake-reader"

    def __init__(self, favourite: str | None = None, asked: str = ""):
        self.favourite = favourite
        self.asked = asked
        self.calls: list[list[str]] = []

    def embed(self, texts):
        self.calls.append(list(texts))
        rows = []
        for text in texts:
            vector = BigramEmbedder.vector(text).astype(np.float64)
            if self.favourite and self.favourite in text:
                vector = BigramEmbedder.vector(self.asked).astype(np.float64)
            rows.append(vector / np.linalg.norm(vector))
        return np.array(rows, dtype=np.float32)

    def question(self, text: str) -> np.ndarray:
        return self.embed([text])[0]


class FailingReader(FakeReader):
    def embed(self, texts):
        raise RuntimeError("model crashed")


def faq(faq_id: str, question: str, answer: str, paraphrases=()) -> Faq:
    return Faq(id=faq_id, question=question, answer=answer, paraphrases=tuple(paraphrases))


@pytest.fixture(scope="module")
def index() -> SearchIndex:
    return build_index(
        dev_workbook(), embedder=BigramEmbedder(), built_at="2026-01-01T00:00:00+00:00"
    )


def test_closeness_is_the_mean_of_the_answer_passage_and_the_best_of_the_question_side():
    model = FakeReader()
    reader = SecondReader(model)
    item = faq("1", "住民票の写し", "市役所の窓口で取れます。", ["住民票がほしい"])
    found = reader.closeness("住民票がほしい", [item])
    question = model.question("住民票がほしい")
    with_its_answer = float(model.question(with_answer(item)) @ question)
    best_side = max(float(model.question(t) @ question) for t in question_side(item))
    assert found == pytest.approx([(with_its_answer + best_side) / 2], abs=1e-6)
    # The 言い換え is worded as the question was: the best of the question side is 1.
    assert best_side == pytest.approx(1.0, abs=1e-6)


def test_questions_residents_taught_count_on_the_question_side():
    reader = SecondReader(FakeReader())
    item = faq("1", "印鑑登録証をなくしました", "再登録が必要です。")
    plain = reader.closeness("はんこのカード失くしちゃった", [item])
    taught = reader.closeness(
        "はんこのカード失くしちゃった", [item], {"1": ["はんこのカード失くしちゃった"]}
    )
    assert taught[0] > plain[0]


def test_each_faq_is_embedded_once_while_warm_and_the_oldest_is_forgotten():
    model = FakeReader()
    reader = SecondReader(model, cache_faqs=2)
    a, b, c = (faq(i, f"質問{i}", f"回答{i}") for i in "abc")
    reader.closeness("質問", [a, b])
    reader.closeness("質問", [a, b])
    embedded = [t for call in model.calls for t in call]
    assert embedded.count(with_answer(a)) == 1 and embedded.count(with_answer(b)) == 1
    reader.closeness("質問", [c])  # three FAQs for room for two: a (the oldest) goes
    reader.closeness("質問", [a])
    embedded = [t for call in model.calls for t in call]
    assert embedded.count(with_answer(a)) == 2 and embedded.count(with_answer(c)) == 1


def test_standing_and_margins_among_the_candidates():
    closeness = np.array([0.5, 0.8, 0.6])
    assert standing(closeness) == pytest.approx((closeness - 0.6333333) / closeness.std(), abs=1e-6)
    assert margins(closeness) == pytest.approx([-0.3, 0.2, -0.2])
    assert standing(np.array([0.7, 0.7])).tolist() == [0.0, 0.0]
    assert margins(np.array([0.7])).tolist() == [0.0]


def test_the_reader_moves_the_faq_it_prefers_up_among_the_candidates(index):
    plain = index.search("住民票の写しがほしい", k=RERANK_DEPTH)
    third = plain.hits[2].faq
    index.attach_reader(SecondReader(FakeReader(third.question, "住民票の写しがほしい")))
    try:
        read = index.search("住民票の写しがほしい", k=RERANK_DEPTH)
    finally:
        index.attach_reader(None)
    assert read.read_again and not plain.read_again
    ids = [h.faq.id for h in read.hits]
    assert ids.index(third.id) < 2
    assert [h.score for h in read.hits] == sorted((h.score for h in read.hits), reverse=True)
    # What it said is evidence for each hit, judged by the model made for it.
    z = read.evidence[:, FEATURES.index("reader_z")]
    margin = read.evidence[:, FEATURES.index("reader_margin")]
    position = ids.index(third.id)
    assert z[position] == z.max() > 0 and margin[position] > 0
    assert np.count_nonzero(margin > 0) == 1
    assert plain.evidence[:, FEATURES.index("reader_z")].tolist() == [0.0] * len(plain.hits)


def test_the_resident_is_shown_four_however_many_are_read_again(index):
    model = FakeReader()
    index.attach_reader(SecondReader(model))
    try:
        result = index.search("住民票の写しがほしい")
    finally:
        index.attach_reader(None)
    assert len(result.hits) == 4 and result.read_again
    questions = [call for call in model.calls if len(call) == 1]
    assert questions == [["住民票の写しがほしい"]]
    embedded_faqs = [call for call in model.calls if len(call) > 1]
    assert len(embedded_faqs) == RERANK_DEPTH


def test_without_e5_the_reader_is_not_asked(index):
    lexical = build_index(dev_workbook(), built_at="2026-01-01T00:00:00+00:00")
    model = FakeReader()
    lexical.attach_reader(SecondReader(model))
    result = lexical.search("住民票の写しがほしい")
    assert result.hits and not result.read_again and model.calls == []


def test_a_reader_that_fails_is_logged_and_the_search_goes_on_without_it(index, caplog):
    expected = [h.faq.id for h in index.search("住民票の写しがほしい").hits]
    index.attach_reader(SecondReader(FailingReader()))
    with caplog.at_level(logging.ERROR):
        result = index.search("住民票の写しがほしい")
    assert [h.faq.id for h in result.hits] == expected and not result.read_again
    assert index.reader is None
    assert "the second reader failed" in caplog.text
    assert "住民票" not in caplog.text  # the resident's words never reach the log
