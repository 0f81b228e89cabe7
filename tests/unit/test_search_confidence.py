"""The confidence: a probability from the search's evidence, and what it allows the reply to do."""

import math

import numpy as np
import pytest

from madoguchi.line.messages import MORE_CANDIDATES
from madoguchi.model import Faq, FaqWorkbook
from madoguchi.search import build_index
from madoguchi.search.confidence import (
    CLOSE_FEATURES,
    CLOSE_LEXICAL,
    CLOSE_WITH_SEMANTIC,
    FEATURES,
    LEXICAL_ONLY,
    RELATED_Z,
    SHOWN,
    WITH_SEMANTIC,
    Model,
    close_evidence,
    judge,
)

SURE = Model(bias=5.0, weights={}, features=CLOSE_FEATURES)  # a closeness near 1


def evidence(**values: float) -> np.ndarray:
    """One evidence row with the named columns set."""
    return np.array([[values.get(name, 0.0) for name in FEATURES]])


def test_probability_is_the_logistic_of_the_weighted_evidence():
    model = Model(bias=-1.0, weights={"question_cover": 2.0, "similarity_margin": 10.0})
    row = evidence(question_cover=0.5, similarity_margin=0.05, lexical=9.0)  # lexical unused
    assert model.probability(row)[0] == pytest.approx(1 / (1 + math.exp(-(-1 + 1 + 0.5))))
    assert model.probability(np.zeros((0, len(FEATURES)))).shape == (0,)


def test_fitted_models_read_only_known_evidence():
    for model in (WITH_SEMANTIC, LEXICAL_ONLY):
        assert set(model.weights) <= set(FEATURES)
        # More of the question found on the FAQ's question side never lowers the confidence.
        assert model.weights["question_cover"] > 0


def test_a_hit_is_related_by_shared_words_or_unusual_closeness_unless_all_but_excluded():
    model = Model(bias=0.0, weights={})  # P = 0.5 for every hit
    rows = np.vstack(
        [
            evidence(question_cover=0.4, word_cover=0.4),
            evidence(answer_only_cover=0.2, word_cover=0.2),
            evidence(similarity_z=RELATED_Z + 0.1),
            evidence(similarity_z=RELATED_Z - 0.1),  # kanji unigrams only, not unusual
            evidence(question_cover=0.3),  # kana bigrams only (ふる in ふるさと)
        ]
    )
    assert judge(rows, model, SURE).related.tolist() == [True, True, True, False, False]
    hopeless = Model(bias=-10.0, weights={})
    assert not judge(rows, hopeless, SURE).related.any()


def test_words_found_only_in_answers_never_make_an_answer():
    model = Model(bias=5.0, weights={})  # very confident whatever the evidence
    grounded = judge(
        evidence(question_cover=0.3, grounded_cover=0.3, answer_only_cover=0.7), model, SURE
    )
    answer_only = judge(evidence(answer_only_cover=1.0), model, SURE)
    assert grounded.answers(0.5) and not grounded.answers(0.999)
    assert answer_only.probability[0] > 0.99 and not answer_only.answers(0.5)


@pytest.mark.parametrize(
    ("meaning", "answers"),
    [
        ({"semantic_first": 1, "reader_margin": 0.02}, True),  # both readers put it first
        ({"semantic_first": 1}, True),  # e5 alone (the second reader did not read): e5 first
        ({"semantic_first": 1, "reader_margin": -0.01}, False),  # the second reader prefers another
        ({"semantic_first": 1, "read_back": 1}, False),  # typed in kana: its words were guessed
        ({"reader_margin": 0.02}, False),  # e5 finds another FAQ closer, or BM25 ranked alone
    ],
)
def test_without_a_shared_word_only_meaning_both_readers_agree_on_makes_an_answer(meaning, answers):
    model = Model(bias=5.0, weights={})
    judged = judge(evidence(answer_only_cover=0.4, word_cover=0.4, **meaning), model, SURE)
    assert judged.probability[0] > 0.99 and judged.answers(0.5) is answers


def test_one_reading_ngram_never_makes_an_answer():
    model = Model(bias=5.0, weights={})
    lone_reading = judge(evidence(question_cover=1.0, word_cover=1.0), model, SURE)
    assert lone_reading.probability[0] > 0.99 and not lone_reading.answers(0.5)


def test_closeness_reads_the_best_hit():
    rows = np.vstack([evidence(similarity=0.88), evidence(similarity=0.9)])
    (row,) = close_evidence(rows, np.array([0.8, 0.1]))
    values = dict(zip(CLOSE_FEATURES, row, strict=True))
    expected = {"best_logit": math.log(0.8 / 0.2), "best_similarity": 0.88, "read_back": 0.0}
    assert values == pytest.approx(expected)
    assert SHOWN == 1 + MORE_CANDIDATES  # the answer and its candidates, or the choices


def test_closeness_is_the_close_models_probability_when_a_hit_is_anchored():
    close = Model(bias=-1.0, weights={"best_logit": 1.0}, features=CLOSE_FEATURES)
    anchored = np.vstack([evidence(grounded_cover=0.2), evidence(similarity_z=RELATED_Z)])
    judged = judge(anchored, Model(bias=0.0, weights={}), close)  # best_logit 0
    assert judged.closeness == pytest.approx(1 / (1 + math.e))


@pytest.mark.parametrize(
    "rows",
    [
        # found through kana bigrams and lone reading n-grams, meaning not unusually close
        [evidence(question_cover=0.3, word_cover=0.3, similarity_z=RELATED_Z - 0.1)] * SHOWN,
        [evidence(answer_only_cover=0.8, word_cover=0.8)],  # words only in answers
        # anchored only by a hit the resident would not be shown
        [evidence(question_cover=0.3)] * SHOWN + [evidence(grounded_cover=0.5)],
    ],
)
def test_nothing_is_close_when_no_hit_shown_is_anchored_in_the_question(rows):
    judged = judge(np.vstack(rows), Model(bias=5.0, weights={}), SURE)
    assert judged.closeness == 0.0


@pytest.mark.parametrize(
    "row",
    [
        evidence(grounded_cover=0.1),
        evidence(short_reading_cover=0.5),  # こせき: the one reading n-gram of a 3-kana word
        evidence(similarity_z=RELATED_Z),
    ],
)
def test_a_hit_shown_anchors_the_search(row):
    assert judge(row, Model(bias=0.0, weights={}), SURE).closeness > 0.99


def test_closeness_models_read_only_their_evidence():
    for model in (CLOSE_WITH_SEMANTIC, CLOSE_LEXICAL):
        assert model.features == CLOSE_FEATURES and set(model.weights) <= set(CLOSE_FEATURES)
        # A likelier best hit never makes it less likely that a right FAQ is shown.
        assert model.weights["best_logit"] > 0


def test_passport_found_only_in_answers_is_not_answered():
    faqs = (
        Faq("1", "外国籍の方の転入の手続き", "在留カードとパスポートを持ってきてください。"),
        Faq("2", "本籍を移したい", "戸籍の届出にはパスポートなど本人確認書類が必要です。"),
        Faq("3", "住民票の写しがほしい", "市民課の窓口で取れます。"),
    )
    result = build_index(FaqWorkbook(faqs=faqs)).search("パスポート")
    assert {h.faq.id for h in result.hits} == {"1", "2"}
    assert not result.answered


def test_confidence_is_a_probability_on_every_hit():
    faqs = tuple(
        Faq(str(i), q, "説明です。") for i, q in enumerate(["粗大ごみ", "ごみの日", "住民票"])
    )
    result = build_index(FaqWorkbook(faqs=faqs)).search("粗大ごみの出し方")
    assert result.hits[0].faq.id == "0"
    assert all(0 <= h.confidence <= 1 for h in result.hits)
    assert result.confidence == result.hits[0].confidence
    assert result.evidence is not None and result.evidence.shape == (
        len(result.hits),
        len(FEATURES),
    )


SIBLINGS = (
    Faq("1", "マイナンバーカードを作りたい", "申請書と写真を市民課へお持ちください。"),
    Faq("2", "マイナンバーカードをなくしたときは", "コールセンターに電話して止めてください。"),
    Faq("3", "マイナンバーカードの暗証番号を忘れた", "本人が窓口で再設定できます。"),
    Faq("4", "マイナンバーカードの更新", "有効期限の3か月前から更新できます。"),
    Faq("5", "マイナンバーカードで住民票を取る", "コンビニで取れます。"),
    Faq("6", "住民票の写しがほしい", "市民課の窓口で取れます。"),
)


def cover_margins(result) -> np.ndarray:
    return result.evidence[:, FEATURES.index("cover_margin")]


def covers(result) -> np.ndarray:
    """Each hit's share of the question's information, anywhere in the FAQ."""
    column = {name: result.evidence[:, i] for i, name in enumerate(FEATURES)}
    return column["question_cover"] + column["answer_only_cover"]


def test_the_sibling_holding_the_word_that_tells_them_apart_stands_ahead():
    result = build_index(FaqWorkbook(faqs=SIBLINGS)).search("マイナンバーカード なくした")
    margins = cover_margins(result)
    assert result.hits[0].faq.id == "2"
    # Every sibling holds マイナンバーカード; only the first holds なくした.
    cover = covers(result)
    assert margins[0] == pytest.approx(cover[0] - cover[1:SHOWN].max())
    assert margins[0] > 0 > margins[1:].max()


def test_the_cover_margin_is_over_the_hits_shown_however_many_were_asked_for():
    index = build_index(FaqWorkbook(faqs=SIBLINGS))
    few, many = (
        index.search("マイナンバーカード 住民票", k=4),
        index.search("マイナンバーカード 住民票", k=10),
    )
    assert len(many.hits) > SHOWN
    assert cover_margins(few)[:SHOWN] == pytest.approx(cover_margins(many)[:SHOWN])
    # Hits beyond those shown are measured against the shown ones.
    cover = covers(many)
    assert cover_margins(many)[SHOWN:] == pytest.approx(cover[SHOWN:] - cover[:SHOWN].max())
