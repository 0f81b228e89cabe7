"""Gapped variants of a dev set: the same questions against a workbook with some FAQs removed.

A real city's FAQ does not cover every question residents ask. A confidence fitted on a set where
almost every question has its FAQ learns to answer too readily; judged on a gapped copy (about a
sixth of the answerable questions lose every right FAQ, popular topics among them) it shows how
often the bot then answers with a neighbour instead of saying "not found". The FAQs removed are
chosen reproducibly (`choose_removed`, a hash order, no randomness) and listed in
tests/data/gapped_<set>.json (scripts/make_gapped_sets.py writes them).
"""

from __future__ import annotations

import hashlib
import json
from collections import Counter
from collections.abc import Sequence
from dataclasses import replace
from pathlib import Path
from typing import Any

from madoguchi.model import FaqWorkbook
from madoguchi_dev.resident_view import Question

SHARE = 1 / 6  # of the answerable questions, the share that lose every right FAQ
POPULAR = 12  # the most asked-about FAQs; every POPULAR_STEP-th of them is removed
POPULAR_STEP = 3
SEED = "gapped-1"


def _order(faq_id: str) -> str:
    return hashlib.sha256(f"{SEED}\x00{faq_id}".encode()).hexdigest()


def _lost(questions: Sequence[Question], removed: set[str]) -> int:
    return sum(1 for q in questions if q.relevant_ids and set(q.relevant_ids) <= removed)


def choose_removed(questions: Sequence[Question], share: float = SHARE) -> list[str]:
    """FAQ IDs whose removal leaves about `share` of the answerable questions without a right
    FAQ: a few of the most asked-about first (popular topics are gaps too), then in hash order,
    skipping a FAQ that would overshoot."""
    asked = Counter(i for q in questions for i in q.relevant_ids)
    answerable = sum(1 for q in questions if q.relevant_ids)
    goal = round(share * answerable)
    popular = [i for i, _ in sorted(asked.items(), key=lambda kv: (-kv[1], _order(kv[0])))]
    first = popular[:POPULAR:POPULAR_STEP]
    rest = sorted((i for i in asked if i not in first), key=_order)
    removed: set[str] = set()
    chosen: list[str] = []
    for faq_id in [*first, *rest]:
        lost = _lost(questions, removed | {faq_id})
        if lost > goal:
            continue
        removed.add(faq_id)
        chosen.append(faq_id)
        if lost == goal:
            break
    return chosen


def gapped_file(queries: Path) -> Path:
    """Where the removed FAQs of a question set are listed: tests/data/gapped_<stem>.json."""
    stem = queries.name.split(".")[0]
    return queries.with_name(f"gapped_{stem}.json")


def describe(questions: Sequence[Question], removed: Sequence[str], source: str) -> dict[str, Any]:
    """The JSON listing a gapped variant."""
    answerable = sum(1 for q in questions if q.relevant_ids)
    lost = _lost(questions, set(removed))
    return {
        "source": source,
        "seed": SEED,
        "removed_ids": list(removed),
        "questions": len(questions),
        "answerable_before": answerable,
        "lost_right_faq": lost,
        "without_right_faq": len(questions) - answerable + lost,
    }


def read_removed(path: Path) -> list[str]:
    """The removed FAQ IDs of a gapped variant's file."""
    return [str(i) for i in json.loads(path.read_text(encoding="utf-8"))["removed_ids"]]


def apply(
    workbook: FaqWorkbook, questions: Sequence[Question], removed: Sequence[str]
) -> tuple[FaqWorkbook, list[Question]]:
    """The workbook without the removed FAQs, and the questions judged against it (a question
    whose right FAQs are all gone has none: only "not found" is right for it)."""
    gone = set(removed)
    faqs = tuple(f for f in workbook.faqs if f.id not in gone)
    relabelled = [
        replace(q, relevant_ids=tuple(i for i in q.relevant_ids if i not in gone))
        for q in questions
    ]
    return replace(workbook, faqs=faqs), relabelled
