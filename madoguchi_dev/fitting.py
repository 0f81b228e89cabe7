"""Fit the confidence model and choose the reply thresholds on labelled questions.

Used by scripts/fit_confidence.py (which prints the coefficients that go into
madoguchi/search/confidence.py) and by `scripts/evaluate.py --folds` (which reports held-out
folds). Every search is judged again from its evidence (SearchResult.evidence), so a fit needs
one search per question and mode, whatever the coefficients tried.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field, replace

import numpy as np

from madoguchi.search import SearchResult
from madoguchi.search.confidence import (
    CLOSE_FEATURES,
    CLOSE_LEXICAL,
    CLOSE_WITH_READER,
    CLOSE_WITH_SEMANTIC,
    FEATURES,
    LEXICAL_ONLY,
    SHOWN,
    WITH_READER,
    WITH_SEMANTIC,
    Model,
    close_evidence,
    judge,
)
from madoguchi_dev.resident_view import Seen, figures

# The evidence each model reads (few coefficients: the dev set has a few hundred questions).
SEMANTIC_FEATURES = (
    "question_cover",
    "answer_only_cover",
    "similarity",
    "similarity_margin",
    "fused_margin",
    "read_back",
    "cover_margin",
)
# With the second reader: the same and what it says (madoguchi.search.second_reader).
READER_FEATURES = (*SEMANTIC_FEATURES, "reader_z", "reader_margin")
LEXICAL_FEATURES = ("question_cover", "answer_only_cover", "fused_margin", "word_margin")
LEXICAL_CLOSE_FEATURES = ("best_logit",)  # no cosine without the semantic signal
L2 = 1.0  # ridge penalty on standardised evidence: keeps coefficients stable across folds
# The answer threshold is the lowest whose answers are right at least TARGET_PRECISION of the time
# (answer_precision, on the questions it is fitted on). The choice threshold (on the closeness) is
# the highest that hides a right FAQ from at most HIDDEN_RIGHT_SLACK of the answerable questions,
# against always offering choices, and tells at most COVERED_NOT_FOUND of them "not found": each
# step up says "not found" honestly to more questions the workbook cannot answer. A "not found"
# offers the nearest related FAQs as 「もしかして」, so it seldom hides a right one; the second
# bound keeps it from being what most residents with an answerable question read first.
ANSWER_THRESHOLDS = tuple(round(0.2 + 0.025 * i, 3) for i in range(31))  # 0.20 … 0.95
CHOICE_THRESHOLDS = tuple(round(0.05 * i, 2) for i in range(17))  # 0.00 … 0.80
TARGET_PRECISION = 0.88
# The targets 設定's 回答の確かさ names (madoguchi.search.policy), and those --sweep shows.
SWEPT_PRECISIONS = (0.70, 0.75, 0.80, 0.84, 0.88, 0.90, 0.93, 0.95)
HIDDEN_RIGHT_SLACK = 0.01
COVERED_NOT_FOUND = 0.05


@dataclass(frozen=True)
class Models:
    """The confidence and closeness models with the second reader, with e5 alone and with
    BM25 alone."""

    with_semantic: Model
    lexical: Model
    close_semantic: Model
    close_lexical: Model
    with_reader: Model = WITH_READER
    close_reader: Model = CLOSE_WITH_READER

    def of(self, result: SearchResult) -> tuple[Model, Model]:
        """The confidence and closeness models that judge this search."""
        return {
            "reader": (self.with_reader, self.close_reader),
            "semantic": (self.with_semantic, self.close_semantic),
            "lexical": (self.lexical, self.close_lexical),
        }[mode_of(result)]


@dataclass(frozen=True)
class Policy:
    """Fitted models and the thresholds chosen with them."""

    models: Models
    threshold: float
    choice_threshold: float
    # The answer threshold for each target precision, on the questions the policy was fitted on.
    thresholds: dict[float, float] = field(default_factory=dict)

    def threshold_for(self, target: float) -> float:
        """The answer threshold fitted for this target precision (the policy's own when the
        target was not among those fitted)."""
        return self.thresholds.get(round(target, 3), self.threshold)


def fit_logistic(
    evidence: np.ndarray,
    labels: np.ndarray,
    features: Sequence[str],
    columns_of: tuple[str, ...] = FEATURES,
) -> Model:
    """Ridge-penalised logistic regression (Newton's method) on the named evidence columns
    (`columns_of`: the names of all the evidence's columns)."""
    columns = [columns_of.index(name) for name in features]
    x = np.asarray(evidence, dtype=np.float64)[:, columns]
    y = np.asarray(labels, dtype=np.float64)
    mean, spread = x.mean(axis=0), x.std(axis=0)
    spread[spread == 0] = 1.0
    design = np.column_stack([np.ones(len(x)), (x - mean) / spread])
    penalty = L2 * np.diag([0.0] + [1.0] * len(columns))
    weights = np.zeros(design.shape[1])
    for _ in range(100):
        p = 1.0 / (1.0 + np.exp(-design @ weights))
        gradient = design.T @ (p - y) + penalty @ weights
        hessian = (design * (p * (1 - p))[:, None]).T @ design + penalty
        step = np.linalg.solve(hessian, gradient)
        weights -= step
        if np.abs(step).max() < 1e-9:
            break
    coefficients = weights[1:] / spread
    bias = float(weights[0] - (mean / spread) @ weights[1:])
    named = {name: float(c) for name, c in zip(features, coefficients, strict=True)}
    return Model(bias, named, columns_of)


def mode_of(result: SearchResult) -> str:
    """Which models judge this search: "reader", "semantic" (e5 alone) or "lexical"."""
    if result.read_again:
        return "reader"
    return "semantic" if result.semantic else "lexical"


def _rows(seen: Sequence[Seen], mode: str) -> tuple[np.ndarray, np.ndarray]:
    """Evidence and right/wrong of the hits a resident could see, for one mode."""
    evidence, labels = [], []
    for item in seen:
        result = item.result
        if result.evidence is None or mode_of(result) != mode:
            continue
        right = set(item.question.relevant_ids)
        for hit, row in zip(result.hits[:SHOWN], result.evidence, strict=False):
            evidence.append(row)
            labels.append(hit.faq.id in right)
    if not evidence:
        return np.zeros((0, len(FEATURES))), np.zeros(0)
    return np.array(evidence), np.array(labels)


def _close_rows(seen: Sequence[Seen], mode: str, model: Model) -> tuple[np.ndarray, np.ndarray]:
    """Search evidence of one mode: a right FAQ among the hits shown (1) or none in the workbook
    (0). Questions whose right FAQ was not found say nothing about this and are left out."""
    evidence, labels = [], []
    for item in seen:
        result = item.result
        if result.evidence is None or mode_of(result) != mode or not result.hits:
            continue
        right = set(item.question.relevant_ids)
        found = bool(right & {hit.faq.id for hit in result.hits[:SHOWN]})
        if right and not found:
            continue
        probability = model.probability(result.evidence)
        evidence.append(close_evidence(result.evidence, probability)[0])
        labels.append(found)
    if not evidence:
        return np.zeros((0, len(CLOSE_FEATURES))), np.zeros(0)
    return np.array(evidence), np.array(labels)


def _fit_or_keep(
    shipped: Model,
    evidence: np.ndarray,
    labels: np.ndarray,
    features: Sequence[str],
    columns_of: tuple[str, ...] = FEATURES,
) -> Model:
    """A model fitted on these rows, or the shipped one when no search was made in its mode
    (BM25 alone, `--lexical`): there is nothing to fit it on, and nothing it would judge."""
    if not len(labels):
        return shipped
    return fit_logistic(evidence, labels, features, columns_of)


def fit_models(seen: Sequence[Seen], closeness: bool = True) -> Models:
    """All six models, each from the searches made in its mode (`closeness` False keeps the
    shipped closeness models: questions that all have a right FAQ cannot fit them)."""
    semantic = _fit_or_keep(WITH_SEMANTIC, *_rows(seen, "semantic"), SEMANTIC_FEATURES)
    lexical = _fit_or_keep(LEXICAL_ONLY, *_rows(seen, "lexical"), LEXICAL_FEATURES)
    reader = _fit_or_keep(WITH_READER, *_rows(seen, "reader"), READER_FEATURES)
    if not closeness:
        return Models(semantic, lexical, CLOSE_WITH_SEMANTIC, CLOSE_LEXICAL, reader)

    def close(shipped: Model, mode: str, model: Model, features: Sequence[str]) -> Model:
        rows = _close_rows(seen, mode, model)
        return _fit_or_keep(shipped, *rows, features, CLOSE_FEATURES)

    return Models(
        semantic,
        lexical,
        close(CLOSE_WITH_SEMANTIC, "semantic", semantic, CLOSE_FEATURES),
        close(CLOSE_LEXICAL, "lexical", lexical, LEXICAL_CLOSE_FEATURES),
        reader,
        close(CLOSE_WITH_READER, "reader", reader, CLOSE_FEATURES),
    )


def rejudge(
    result: SearchResult, models: Models, threshold: float, choice_threshold: float
) -> SearchResult:
    """The same search judged by other coefficients and thresholds."""
    result = replace(result, threshold=threshold, choice_threshold=choice_threshold)
    if result.evidence is None or not result.hits:
        return result
    judged = judge(result.evidence, *models.of(result))
    hits = [
        replace(hit, confidence=float(p), related=bool(r))
        for hit, p, r in zip(result.hits, judged.probability, judged.related, strict=True)
    ]
    return replace(
        result,
        hits=hits,
        confidence=hits[0].confidence,
        closeness=judged.closeness,
        answered=judged.answers(threshold),
    )


def precision_thresholds(
    seen: Sequence[Seen], models: Models, targets: Sequence[float]
) -> dict[float, float]:
    """For each target precision, the lowest answer threshold whose answers on these questions
    are right at least that share of the time (the highest threshold when none is)."""
    precision = {}
    for threshold in ANSWER_THRESHOLDS:
        results = [rejudge(s.result, models, threshold, 0.0) for s in seen]
        precision[threshold] = figures(seen, results=results)["answer_precision"]
    return {
        round(target, 3): next(
            (t for t in ANSWER_THRESHOLDS if precision[t] >= target), ANSWER_THRESHOLDS[-1]
        )
        for target in targets
    }


def choose_policy(seen: Sequence[Seen], models: Models, target: float = TARGET_PRECISION) -> Policy:
    """Thresholds for these models on these questions (see ANSWER_THRESHOLDS)."""

    def judged(threshold: float, choice: float) -> dict:
        results = [rejudge(s.result, models, threshold, choice) for s in seen]
        return figures(seen, results=results)

    thresholds = precision_thresholds(seen, models, sorted({*SWEPT_PRECISIONS, target}))
    threshold = thresholds[round(target, 3)]
    found = {c: judged(threshold, c) for c in CHOICE_THRESHOLDS}
    always = found[CHOICE_THRESHOLDS[0]]
    choice = max(
        c
        for c, value in found.items()
        if c == CHOICE_THRESHOLDS[0]
        or (
            value["answerable_sees_right"] >= always["answerable_sees_right"] - HIDDEN_RIGHT_SLACK
            and value["covered_not_found"] <= max(COVERED_NOT_FOUND, always["covered_not_found"])
        )
    )
    return Policy(models, threshold, choice, thresholds)


def fit(
    deployed: Sequence[Seen], lexical_only: Sequence[Seen] = (), target: float = TARGET_PRECISION
) -> Policy:
    """Models from every search given; thresholds from the searches made as deployed.

    `deployed` are searches as the webhook makes them (the semantic signal and the second reader
    on; kana-only questions among them search with BM25 alone); `lexical_only` the same questions
    searched in the other modes (without e5, or without the second reader), so each mode's model
    learns from every question it could meet.
    """
    return choose_policy(deployed, fit_models([*deployed, *lexical_only]), target)


def held_out(seen: Sequence[Seen], policy: Policy) -> list[SearchResult]:
    """Each search judged by a policy fitted without it."""
    return [
        rejudge(s.result, policy.models, policy.threshold, policy.choice_threshold) for s in seen
    ]
