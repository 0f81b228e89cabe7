"""How much the bot learns from residents: the hard dev set split by question, residents tapping
for one part, the other part scored.

    python scripts/bench_learning.py [--workbook faq/faq.xlsx] [--queries tests/data/hard_dev.jsonl]
        [--residents 5] [--tap 0.3] [--wrong 0.1] [--weights 0.25,0.5,1.0] [--lexical]

Five times over (the set's folds 0-4), the questions of four folds are asked by `--residents`
residents each against the index without learning. Each resident taps with probability `--tap`:
mostly the right FAQ when it is shown (役に立った when it was given as the answer), and with
probability `--wrong` one of the other FAQs shown (a wrong tap); a resident shown no right FAQ
taps nothing else. The search log these residents leave is mined exactly as the indexer mines it
(madoguchi.learning.learn_for, 2 residents), the index is built again with the learned
phrasings, and the fifth fold, which taught nothing, is scored. Rows: no learning; learning with
the wrong taps; learning with every tap right (the effect of wrong taps is the difference); and
learning at other weights of the learned field. Figures as scripts/evaluate.py defines them.
"""

from __future__ import annotations

import argparse
import contextlib
import io
import random
import sys
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from madoguchi.conversation.search_reply import ReplyKind
from madoguchi.learning import Learned, learn_for
from madoguchi.model import FaqWorkbook
from madoguchi.search import build_index, semantic
from madoguchi.search.index import DEFAULT_WEIGHTS, LEARNED_FIELD, LEARNED_WEIGHT
from madoguchi.search.second_reader import SecondReader
from madoguchi.search.semantic import Embedder
from madoguchi.searchlog.model import (
    FEEDBACK,
    LogRecord,
    TopHit,
    new_event,
    new_search,
    with_opened,
)
from madoguchi_dev.e5 import scripts_embedder
from madoguchi_dev.evaluation import read_workbook
from madoguchi_dev.resident_view import (
    FOLDS,
    SHOWN,
    Question,
    Seen,
    figures,
    read_questions,
    reply_to,
    search_all,
)
from madoguchi_dev.use import scripts_reader

METRICS = ("hit@1", "hit@4", "mrr@10", "sees_right", "wrong_answer", "no_answer")
START = datetime(2026, 10, 1, tzinfo=UTC)


@dataclass(frozen=True)
class Taps:
    """How residents behave: how many ask each question, how many tap, how many tap wrong."""

    residents: int
    tap: float
    wrong: float
    seed: int = 7


def resident_log(seen: Sequence[Seen], taps: Taps) -> tuple[list[LogRecord], dict[str, int]]:
    """The search log residents leave asking these questions, and how they tapped."""
    rng = random.Random(taps.seed)
    records: list[LogRecord] = []
    counted = {"searches": 0, "right": 0, "wrong": 0}
    for q, item in enumerate(seen):
        result = item.result
        top = [TopHit(h.faq.id, h.score) for h in result.hits[:4]]
        reply = reply_to(result)
        shown = [f.id for f in reply.faqs]
        right = [f for f in shown if f in item.question.relevant_ids]
        others = [f for f in shown if f not in item.question.relevant_ids]
        for r in range(taps.residents):
            at = START + timedelta(days=q % 60, minutes=r)
            user = f"{q:08x}{r:08x}"
            search = new_search(
                now=at, user=user, query=item.question.query, top=top, answered=False,
                retention_days=90,
            )  # fmt: skip
            counted["searches"] += 1
            choice = None
            if rng.random() < taps.tap:
                if rng.random() < taps.wrong:
                    choice = rng.choice(others) if others else None
                    counted["wrong"] += choice is not None
                elif right:
                    choice = right[0]
                    counted["right"] += 1
            if choice is None:
                records.append(search)
            elif reply.kind is ReplyKind.ANSWER and choice == shown[0]:
                records.append(search)
                records.append(
                    new_event(
                        FEEDBACK, now=at + timedelta(seconds=20), user=user, retention_days=90,
                        faq_id=choice, helpful=True, search_id=search.id,
                    )
                )  # fmt: skip
            else:
                records.append(with_opened(search, choice))
    return records, counted


def weights_with(learned_weight: float) -> dict[str, float]:
    """The index's field weights with this weight on the learned field."""
    return {**DEFAULT_WEIGHTS, LEARNED_FIELD: learned_weight}


def run(
    workbook: FaqWorkbook,
    questions: list[Question],
    base_seen: list[Seen],
    embedder: Embedder | None,
    taps: Taps,
    learned_weight: float,
    reader: SecondReader | None = None,
) -> tuple[dict[str, Any], dict[str, float]]:
    """Held-out figures over the five folds with learning; and what was learned, on average."""
    scored: list[Seen] = []
    stats = {
        "phrasings": 0.0, "residents": 0.0, "wrong_phrasings": 0.0, "taps": 0.0,
        "taught": 0.0, "taught_first": 0.0, "taught_answered": 0.0,
        "missed": 0.0, "missed_first": 0.0,
    }  # fmt: skip
    for fold in FOLDS:
        teach = [s for s, q in zip(base_seen, questions, strict=True) if q.fold != fold]
        score = [q for q in questions if q.fold == fold]
        records, counted = resident_log(teach, Taps(taps.residents, taps.tap, taps.wrong, fold))
        learned: Learned = learn_for(workbook, records)
        first_before = {s.question.query: s.result.hits[0].faq.id for s in teach if s.result.hits}
        right_of = {
            s.question.query: set(s.question.relevant_ids) for s in teach
        }  # the phrasing's own label
        index = build_index(
            workbook, embedder=embedder, learned=learned.phrasings,
            weights=weights_with(learned_weight),
        )  # fmt: skip
        index.attach_reader(reader)
        scored += search_all(index, score)
        # Each learned question asked again by a new resident: is the FAQ taught first?
        for phrasing in learned.phrasings:
            again = index.search(phrasing.text, k=SHOWN)
            first = bool(again.hits) and again.hits[0].faq.id == phrasing.faq_id
            stats["taught"] += 1
            stats["taught_first"] += first
            stats["taught_answered"] += first and reply_to(again).kind is ReplyKind.ANSWER
            if first_before.get(phrasing.text) != phrasing.faq_id:
                stats["missed"] += 1
                stats["missed_first"] += first
        stats["phrasings"] += len(learned.phrasings) / len(FOLDS)
        stats["residents"] += learned.residents / len(FOLDS)
        stats["taps"] += (counted["right"] + counted["wrong"]) / len(FOLDS)
        stats["wrong_phrasings"] += sum(
            p.faq_id not in right_of.get(p.text, set()) for p in learned.phrasings
        ) / len(FOLDS)
    return figures(scored), stats


def main(argv: list[str] | None = None) -> int:
    """Print the table: Hit@1, Hit@4, sees_right … with and without learning."""
    parser = argparse.ArgumentParser(description="住民の言葉から学ぶ効果を測ります。")
    parser.add_argument("--workbook", type=Path, default=Path("faq/faq.xlsx"))
    parser.add_argument("--queries", type=Path, default=Path("tests/data/hard_dev.jsonl"))
    parser.add_argument("--residents", type=int, default=5, help="residents asking each question")
    parser.add_argument("--tap", type=float, default=0.3, help="share of residents who tap")
    parser.add_argument("--wrong", type=float, default=0.1, help="share of taps that are wrong")
    parser.add_argument("--weights", default="0.25,1.0", help="other learned-field weights")
    parser.add_argument(
        "--shares", default="0.0,0.3", help="other shares of learned questions in a FAQ's vector"
    )
    parser.add_argument("--lexical", action="store_true", help="BM25 alone, no semantic signal")
    args = parser.parse_args(argv)
    with contextlib.redirect_stderr(io.StringIO()):
        workbook, _ = read_workbook(args.workbook)
    questions = read_questions(args.queries)
    if any(q.fold not in FOLDS for q in questions):
        print("every question needs a fold 0-4", file=sys.stderr)
        return 2
    embedder = scripts_embedder(args.lexical)
    reader = scripts_reader(args.lexical)  # as the webhook searches
    base = build_index(workbook, embedder=embedder)
    base.attach_reader(reader)
    base_seen = search_all(base, questions)
    order = [q for fold in FOLDS for q in questions if q.fold == fold]
    position = {id(q): i for i, q in enumerate(questions)}
    rows: dict[str, tuple[dict[str, Any], dict[str, float] | None]] = {
        "no learning": (figures([base_seen[position[id(q)]] for q in order]), None)
    }
    taps = Taps(args.residents, args.tap, args.wrong)
    label = f"tap {args.tap:.0%}, wrong {args.wrong:.0%}"

    def learn(taps: Taps, learned_weight: float) -> tuple[dict[str, Any], dict[str, float]]:
        return run(workbook, questions, base_seen, embedder, taps, learned_weight, reader)

    rows[f"learning ({label})"] = learn(taps, LEARNED_WEIGHT)
    no_wrong = Taps(args.residents, args.tap, 0.0)
    rows[f"learning (tap {args.tap:.0%}, no wrong taps)"] = learn(no_wrong, LEARNED_WEIGHT)
    # One resident per question can never meet the agreement rule: nothing may change.
    rows["learning (one resident each)"] = learn(Taps(1, 1.0, args.wrong), LEARNED_WEIGHT)
    for weight in (float(w) for w in args.weights.split(",") if w.strip()):
        if weight != LEARNED_WEIGHT:
            rows[f"  weight {weight}"] = learn(taps, weight)
    if base.semantic:
        for share in (float(w) for w in args.shares.split(",") if w.strip()):
            if share != semantic.LEARNED_SHARE:
                shipped, semantic.LEARNED_SHARE = semantic.LEARNED_SHARE, share
                try:
                    rows[f"  learned share {share}"] = learn(taps, LEARNED_WEIGHT)
                finally:
                    semantic.LEARNED_SHARE = shipped
    print(
        f"{len(base.faqs)} FAQs; {len(questions)} questions, {args.residents} residents each; "
        f"held-out folds; {'semantic signal on' if base.semantic else 'BM25 alone'}; "
        f"learned-field weight {LEARNED_WEIGHT}, learned share {semantic.LEARNED_SHARE}"
    )
    head = f"{'':<36}" + "".join(f"{m:>13}" for m in METRICS)
    extra = ("phrasings", "wrong ones", "residents", "taught", "1st", "answered", "missed", "1st")
    print(head + "".join(f"{name:>11}" for name in extra))
    for name, (found, stats) in rows.items():
        line = f"{name:<36}" + "".join(f"{found[m]:>13.3f}" for m in METRICS)
        if stats:
            taught = stats["taught"] or 1.0
            line += (
                f"{stats['phrasings']:>11.0f}{stats['wrong_phrasings']:>11.0f}"
                f"{stats['residents']:>11.0f}{stats['taught']:>11.0f}"
                f"{stats['taught_first'] / taught:>11.3f}{stats['taught_answered'] / taught:>11.3f}"
                f"{stats['missed']:>11.0f}{stats['missed_first'] / (stats['missed'] or 1.0):>11.3f}"
            )
        print(line)
    print(
        "taught: learned questions over the five builds, each asked again by a new resident; "
        "1st: its FAQ came first; answered: and was given as the answer; missed: the taught "
        "questions whose FAQ was not first before learning, and the share first afterwards"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
