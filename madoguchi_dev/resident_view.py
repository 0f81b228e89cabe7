"""What residents would see for labelled questions, through the webhook's own reply policy.

For each question the index is searched as the webhook searches it, `decide` (the policy the
webhook uses) chooses the reply, and the figures say how often a right FAQ is in front of the
resident (`sees_right`: the answer, the choices, or the 「もしかして」 FAQs a "not found" offers)
and how often one FAQ is presented as *the* answer and is wrong (`wrong_answer`). A question
without a right FAQ in the workbook scores `sees_right` only through an honest "not found", and
any confident answer to it is a wrong answer. A "not found" for a question the workbook does
answer is counted apart (`covered_not_found`), whether or not its right FAQ was among the
もしかして ones (`right_only_in_maybe`).
"""

from __future__ import annotations

import json
import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

import numpy as np

from madoguchi.conversation.search_reply import ReplyKind, SearchReply, decide
from madoguchi.language.detect import detect
from madoguchi.line.messages import MORE_CANDIDATES
from madoguchi.model import TestCase
from madoguchi.search import SearchResult
from madoguchi.search.evaluate import Searcher

SHOWN = 1 + MORE_CANDIDATES  # hits the webhook asks for
FOLDS = range(5)  # the folds a question of a dev set may belong to (cross-validation)
DEPTH = 10  # hits searched for MRR@10
_ANSWER = ReplyKind.ANSWER.value


@dataclass(frozen=True)
class Question:
    """A labelled question: the FAQs that answer it (none: only "not found" is right)."""

    query: str
    relevant_ids: tuple[str, ...]
    fold: int | None = None
    row: int = 0
    language: str = ""  # the language it is written in, as a dev set labels it ("" Japanese)


def read_questions(path: Path) -> list[Question]:
    """Questions of a JSON-lines file: query, relevant_ids (may be empty), optional fold."""
    questions = []
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if not line.strip():
            continue
        item = json.loads(line)
        ids = item.get("relevant_ids") or []
        if isinstance(ids, str):
            ids = [ids]
        fold = item.get("fold")
        questions.append(
            Question(
                str(item["query"]),
                tuple(str(i) for i in ids),
                None if fold is None else int(fold),
                number,
                str(item.get("language") or ""),
            )
        )
    return questions


def from_tests(cases: Sequence[TestCase]) -> list[Question]:
    """The workbook's テスト sheet as questions."""
    return [Question(c.query, tuple(c.relevant_ids), None, c.row) for c in cases]


@dataclass(frozen=True)
class Seen:
    """One question searched: the result (DEPTH hits) and the time the search took."""

    question: Question
    result: SearchResult
    ms: float


def search_all(index: Searcher, questions: Sequence[Question]) -> list[Seen]:
    """Search every question once, timed; a question in another language (as the webhook tells
    it: madoguchi.language.detect) is searched across languages, as the webhook searches it."""
    seen = []
    across = getattr(index, "search_across", None)
    for question in questions:
        started = time.perf_counter()
        language = detect(question.query).language
        if language is not None and across is not None:
            result = across(question.query, language, k=DEPTH)
        else:
            result = index.search(question.query, k=DEPTH)
        seen.append(Seen(question, result, (time.perf_counter() - started) * 1000))
    return seen


def reply_to(result: SearchResult) -> SearchReply:
    """The webhook's reply: the policy applied to the hits it asks for."""
    return decide(replace(result, hits=result.hits[:SHOWN]))


def _share(values: Sequence[bool]) -> float:
    return round(sum(values) / len(values), 4) if values else 0.0


def _percentile(values: Sequence[float], share: float) -> float:
    if not values:
        return 0.0
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, int(-(-len(ordered) * share // 1)) - 1))]


def auc(scores: Sequence[float], labels: Sequence[bool]) -> float:
    """Area under the ROC curve (ties count half); 0.0 when one class is missing."""
    score = np.asarray(scores, dtype=np.float64)
    label = np.asarray(labels, dtype=bool)
    positives, negatives = score[label], score[~label]
    if not len(positives) or not len(negatives):
        return 0.0
    above = (positives[:, None] > negatives[None, :]).sum()
    tied = (positives[:, None] == negatives[None, :]).sum()
    return round(float((above + 0.5 * tied) / (len(positives) * len(negatives))), 4)


def _off_category(
    candidates: Sequence[str], right: set[str], categories: Mapping[str, str] | None
) -> list[str]:
    """Shown candidates outside every right FAQ's category (a rough sign of unrelated ones)."""
    if not right or not categories:
        return []
    wanted = {categories.get(r) for r in right}
    return [f for f in candidates if categories.get(f) not in wanted]


def figures(
    seen: Sequence[Seen],
    categories: Mapping[str, str] | None = None,
    results: Sequence[SearchResult] | None = None,
) -> dict[str, Any]:
    """Ranking figures on the answerable questions, what residents see on all of them.

    `categories` (FAQ ID -> category, from the full workbook) measures how often shown candidates
    lie outside the right FAQ's category. `results` replaces each question's result (the same
    search judged by other coefficients, as in cross-validation).
    """
    results = results if results is not None else [s.result for s in seen]
    cases: list[dict[str, Any]] = []
    for item, result in zip(seen, results, strict=True):
        right = set(item.question.relevant_ids)
        ranked = [h.faq.id for h in result.hits]
        rank = next((i + 1 for i, f in enumerate(ranked) if f in right), None)
        reply = reply_to(result)
        shown = [f.id for f in reply.faqs]
        maybe = [f.id for f in reply.maybe]
        answered = reply.kind is ReplyKind.ANSWER
        cases.append(
            {
                "query": item.question.query,
                "relevant_ids": list(item.question.relevant_ids),
                "rank": rank,
                "top": ranked[:SHOWN],
                "reply": reply.kind.value,
                "shown": shown,
                "maybe": maybe,
                "confidence": round(float(result.hits[0].confidence), 4) if ranked else 0.0,
                # A "not found" still shows its 「もしかして」 FAQs, one tap each.
                "sees_right": bool(right & {*shown, *maybe})
                if right
                else reply.kind is ReplyKind.NOTHING_CLOSE,
                "right_only_in_maybe": bool(right & set(maybe)),
                "wrong_answer": answered and shown[0] not in right,
                # A right FAQ among the hits the webhook got, left out by the relatedness filter.
                "hidden_right": bool(shown)
                and bool(right & set(ranked[:SHOWN]))
                and not right & set(shown),
                "off_category": _off_category(shown[1:], right, categories),
                "row": item.question.row,
                "language": item.question.language,
            }
        )
    answerable = [c for c in cases if c["relevant_ids"]]
    candidates = sum(len(c["shown"]) - 1 for c in answerable if c["shown"])
    latencies = [s.ms for s in seen]
    return {
        "n": len(cases),
        "answerable": len(answerable),
        "hit@1": _share([c["rank"] == 1 for c in answerable]),
        "hit@4": _share([c["rank"] is not None and c["rank"] <= SHOWN for c in answerable]),
        "mrr@10": round(sum(1 / c["rank"] for c in answerable if c["rank"]) / len(answerable), 4)
        if answerable
        else 0.0,
        "sees_right": _share([c["sees_right"] for c in cases]),
        "answerable_sees_right": _share([c["sees_right"] for c in answerable]),
        "honest_not_found": _share([c["sees_right"] for c in cases if not c["relevant_ids"]]),
        # Questions the workbook answers, told "not found" (their right FAQ perhaps among the
        # もしかして ones: right_only_in_maybe).
        "covered_not_found": _share(
            [c["reply"] == ReplyKind.NOTHING_CLOSE.value for c in answerable]
        ),
        "right_only_in_maybe": _share([c["right_only_in_maybe"] for c in answerable]),
        "wrong_answer": _share([c["wrong_answer"] for c in cases]),
        # Of the answers given, the share that were right; and the share of all questions that
        # got a right answer at once (not choices, not "not found").
        "answer_precision": _share([not c["wrong_answer"] for c in cases if c["reply"] == _ANSWER]),
        "answered_right": _share([c["reply"] == _ANSWER and not c["wrong_answer"] for c in cases]),
        "no_answer": _share([c["reply"] != ReplyKind.ANSWER.value for c in cases]),
        "choices": _share([c["reply"] == ReplyKind.CHOICES.value for c in cases]),
        "not_found": _share([c["reply"] == ReplyKind.NOTHING_CLOSE.value for c in cases]),
        "auc": auc(
            [c["confidence"] for c in cases],
            [bool(c["top"]) and c["top"][0] in c["relevant_ids"] for c in cases],
        ),
        "hidden_right": _share([c["hidden_right"] for c in answerable]),
        "off_category": round(sum(len(c["off_category"]) for c in answerable) / candidates, 4)
        if candidates and categories
        else 0.0,
        "p50_ms": round(_percentile(latencies, 0.5), 3),
        "p99_ms": round(_percentile(latencies, 0.99), 3),
        "cases": cases,
    }
