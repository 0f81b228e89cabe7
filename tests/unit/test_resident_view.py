"""What residents would see, figured through the webhook's reply policy, on a hand-checked case."""

from dataclasses import replace
from pathlib import Path

import numpy as np
import pytest

from madoguchi.model import Faq
from madoguchi.search import Hit, SearchResult
from madoguchi.search.confidence import CLOSE_FEATURES, FEATURES, Model
from madoguchi_dev.fitting import Models, fit_logistic, fit_models, rejudge
from madoguchi_dev.resident_view import Question, Seen, auc, figures, read_questions

FAQS = {n: Faq(str(n), f"質問{n}", "回答", category="ごみ" if n < 4 else "税") for n in range(1, 7)}


def seen(right: tuple[int, ...], hits: list[tuple[int, float, bool]], answered: bool) -> Seen:
    result = SearchResult(
        query="q",
        hits=[Hit(FAQS[n], 9.0 - i, p, rel) for i, (n, p, rel) in enumerate(hits)],
        answered=answered,
        confidence=hits[0][1] if hits else 0.0,
        threshold=0.45,
        choice_threshold=0.1,
    )
    return Seen(Question("q", tuple(str(r) for r in right)), result, 1.0)


CASES = [
    seen((1,), [(1, 0.9, True), (5, 0.1, True)], True),  # right answer
    seen((3,), [(2, 0.5, True), (3, 0.3, True)], True),  # wrong answer, right one below it
    seen((4,), [(2, 0.3, True), (4, 0.2, True)], False),  # choices with the right one
    seen((5,), [(2, 0.3, True), (5, 0.005, False)], False),  # the filter hid the right one
    seen((), [], False),  # no right FAQ, honest "not found"
    seen((), [(6, 0.8, True)], True),  # no right FAQ, answered anyway
    seen((), [(6, 0.2, True)], False),  # no right FAQ, offered choices
]


def test_figures_of_a_hand_checked_case():
    found = figures(CASES, categories={f.id: f.category for f in FAQS.values()})
    assert found["n"] == 7 and found["answerable"] == 4
    assert found["hit@1"] == 0.25 and found["hit@4"] == 1.0
    assert found["mrr@10"] == pytest.approx((1 + 0.5 + 0.5 + 0.5) / 4, abs=1e-4)
    assert found["sees_right"] == round(4 / 7, 4)  # cases 1, 2, 3 and the honest "not found"
    assert found["answerable_sees_right"] == 0.75  # cases 1, 2, 3 of the first four
    assert found["honest_not_found"] == round(1 / 3, 4)  # case 5 of the last three
    assert found["wrong_answer"] == round(2 / 7, 4)  # case 2, and case 6 (nothing was right)
    assert found["no_answer"] == round(4 / 7, 4)
    # Three answers (cases 1, 2, 6), one of them right: precision 1/3, right at once 1 in 7.
    assert found["answer_precision"] == round(1 / 3, 4)
    assert found["answered_right"] == round(1 / 7, 4)
    assert found["choices"] == round(3 / 7, 4) and found["not_found"] == round(1 / 7, 4)
    assert found["hidden_right"] == 0.25
    # Shown candidates: 5 (case 1: 税 under a ごみ question), 3 (case 2), 4 (case 3): one of three.
    assert found["off_category"] == round(1 / 3, 4)
    assert [c["reply"] for c in found["cases"]] == [
        "answer", "answer", "choices", "choices", "nothing_close", "answer", "choices"
    ]  # fmt: skip


def test_auc_counts_pairs_and_ties():
    assert auc([0.9, 0.8, 0.1], [True, False, False]) == 1.0
    assert auc([0.5, 0.5], [True, False]) == 0.5
    assert auc([0.1, 0.9], [True, False]) == 0.0
    assert auc([0.3], [True]) == 0.0  # one class only


def test_questions_file_keeps_questions_without_a_right_faq(tmp_path: Path):
    path = tmp_path / "q.jsonl"
    path.write_text(
        '{"query": "住民票", "relevant_ids": ["1"], "fold": 2}\n\n'
        '{"query": "天気", "relevant_ids": []}\n{"query": "税", "relevant_ids": "40"}\n',
        encoding="utf-8",
    )
    assert read_questions(path) == [
        Question("住民票", ("1",), 2, 1),
        Question("天気", (), None, 3),
        Question("税", ("40",), None, 4),
    ]


def test_logistic_fit_recovers_known_coefficients():
    rng = np.random.default_rng(11)
    evidence = np.zeros((20_000, len(FEATURES)))
    cover, margin = FEATURES.index("question_cover"), FEATURES.index("fused_margin")
    evidence[:, cover] = rng.uniform(0, 1, len(evidence))
    evidence[:, margin] = rng.normal(0, 0.5, len(evidence))
    truth = Model(-1.0, {"question_cover": 3.0, "fused_margin": 2.0})
    labels = rng.uniform(size=len(evidence)) < truth.probability(evidence)
    fitted = fit_logistic(evidence, labels, ("question_cover", "fused_margin"))
    assert fitted.bias == pytest.approx(-1.0, abs=0.15)
    assert fitted.weights["question_cover"] == pytest.approx(3.0, abs=0.2)
    assert fitted.weights["fused_margin"] == pytest.approx(2.0, abs=0.2)


def test_rejudging_applies_other_coefficients_and_thresholds():
    row = np.zeros(len(FEATURES))
    row[FEATURES.index("question_cover")] = 1.0
    row[FEATURES.index("grounded_cover")] = 1.0
    searched = SearchResult(
        query="q", hits=[Hit(FAQS[1], 5.0, 0.2)], confidence=0.2, evidence=np.array([row])
    )
    near, far = Model(3.0, {}, CLOSE_FEATURES), Model(-3.0, {}, CLOSE_FEATURES)
    sure = Models(Model(5.0, {}), Model(5.0, {}), near, near)
    judged = rejudge(searched, sure, threshold=0.6, choice_threshold=0.3)
    assert judged.answered and judged.confidence > 0.99 and judged.hits[0].confidence > 0.99
    assert judged.closeness == pytest.approx(1 / (1 + np.exp(-3.0)))
    assert (judged.threshold, judged.choice_threshold) == (0.6, 0.3)
    unsure = rejudge(searched, Models(Model(-5.0, {}), Model(-5.0, {}), far, far), 0.6, 0.3)
    assert not unsure.answered and unsure.confidence < 0.01 and unsure.closeness < 0.05


def test_closeness_is_fitted_on_found_right_faqs_against_questions_without_one():
    rng = np.random.default_rng(7)
    items = []
    for i in range(400):
        unanswerable, semantic = i % 2 == 1, i % 4 < 2
        row = np.zeros(len(FEATURES))
        row[FEATURES.index("grounded_cover")] = 0.5  # shares a word: judged by the model
        # Questions without a right FAQ sit further from every FAQ in meaning.
        row[FEATURES.index("similarity")] = rng.normal(0.84 if unanswerable else 0.88, 0.01)
        result = SearchResult(
            query="q",
            hits=[Hit(FAQS[1], 5.0, 0.5)],
            semantic=semantic,
            evidence=np.array([row]),
        )
        items.append(Seen(Question("q", () if unanswerable else ("1",)), result, 1.0))
    # A question whose right FAQ was not found says nothing about closeness: were it counted as
    # a question without one, the closest searches would look far.
    close_but_missed = np.zeros((1, len(FEATURES)))
    close_but_missed[0, FEATURES.index("grounded_cover")] = 0.5
    close_but_missed[0, FEATURES.index("similarity")] = 0.95
    missed = SearchResult(
        query="q", hits=[Hit(FAQS[2], 5.0, 0.5)], semantic=True, evidence=close_but_missed
    )
    models = fit_models(items + [Seen(Question("q", ("1",)), missed, 1.0)] * 50)
    assert models.close_semantic.features == CLOSE_FEATURES
    near = rejudge(replace(missed, hits=[Hit(FAQS[1], 5.0, 0.5)]), models, 0.9, 0.5)
    similarity = FEATURES.index("similarity")
    far = next(
        s.result for s in items if s.result.semantic and s.result.evidence[0][similarity] < 0.83
    )
    assert near.closeness > 0.9 and rejudge(far, models, 0.9, 0.5).closeness < 0.1


def test_a_not_found_counts_its_maybe_faqs_as_shown_and_is_counted_apart():
    # Closeness 0.2 under a choice threshold of 0.5: "not found", the related hits as もしかして.
    far = replace(seen((4,), [(2, 0.3, True), (4, 0.2, True)], False).result, closeness=0.2)
    told_not_found = Seen(Question("q", ("4",)), replace(far, choice_threshold=0.5), 1.0)
    hidden = Seen(
        Question("q", ("5",)),
        replace(far, hits=[Hit(FAQS[2], 9.0, 0.3, True)], choice_threshold=0.5),
        1.0,
    )
    found = figures([told_not_found, hidden, CASES[0]])
    cases = found["cases"]
    assert [c["reply"] for c in cases] == ["nothing_close", "nothing_close", "answer"]
    assert cases[0]["maybe"] == ["2", "4"] and cases[0]["sees_right"]
    assert not cases[1]["sees_right"]
    assert found["answerable_sees_right"] == round(2 / 3, 4)
    assert found["covered_not_found"] == round(2 / 3, 4)
    assert found["right_only_in_maybe"] == round(1 / 3, 4)


def test_the_choice_threshold_tells_few_answerable_questions_not_found():
    """The chosen threshold stops where more than one in twenty questions that have a right FAQ
    would be told "not found", though their right FAQ would still be among the もしかして ones
    (so sees_right alone would not stop it)."""
    from madoguchi_dev.fitting import COVERED_NOT_FOUND, choose_policy

    items = []
    for i in range(100):
        answerable = i < 80
        # Answerable questions' closeness spreads over 0.32–0.71; the others' is 0.2.
        closeness = 0.32 + 0.4 * i / 80 if answerable else 0.2
        row = np.zeros(len(FEATURES))
        row[FEATURES.index("grounded_cover")] = 0.5
        row[FEATURES.index("word_cover")] = 0.5  # related: shown among もしかして
        # The closeness model below reads its log-odds from the cosine column.
        row[FEATURES.index("similarity")] = np.log(closeness / (1 - closeness))
        result = SearchResult(
            query="q",
            hits=[Hit(FAQS[1], 5.0, 0.5, True), Hit(FAQS[2], 4.0, 0.4, True)],
            semantic=True,
            evidence=np.array([row, row]),
        )
        items.append(Seen(Question("q", ("1",) if answerable else ()), result, 1.0))
    unsure = Model(0.0, {})  # P(right) 0.5: never an answer at the thresholds tried
    close = Model(0.0, {"best_similarity": 1.0}, CLOSE_FEATURES)
    policy = choose_policy(items, Models(unsure, unsure, close, close))
    judged = [rejudge(s.result, policy.models, 0.9, 0.35) for s in items]
    assert figures(items, results=judged)["covered_not_found"] > COVERED_NOT_FOUND
    assert figures(items, results=judged)["answerable_sees_right"] == 1.0  # among もしかして
    assert policy.choice_threshold == 0.3
    honest = figures(items, results=[rejudge(s.result, policy.models, 0.9, 0.3) for s in items])
    assert honest["honest_not_found"] == 1.0 and honest["covered_not_found"] == 0.0
