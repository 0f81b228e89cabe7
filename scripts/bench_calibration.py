"""Simulate a city whose residents ask differently from the questions the confidence was fitted on,
and watch the nightly calibration move the answer threshold toward 回答の確かさ's target.

    python scripts/bench_calibration.py [--nights 40] [--per-night 400] [--seed 7]

The confidence model and the target -> threshold table are fitted on the sample workbook's テスト
sheet (questions written from the FAQs: easy, each has its FAQ). The city's residents ask the hard
dev set's questions against the gapped workbook (colloquial, a third of them without a right
FAQ). Each night `--per-night` questions are drawn; the answers given at tonight's threshold are
read by simulated residents who behave noisily: after a right answer some press 役に立った, some
ask a follow-up within two minutes or tap another candidate anyway; after a wrong one many tap
another FAQ, ask again or press 役に立たなかった, and some give up silently. Their actions become
real search-log records, judged by madoguchi.learning.calibration (the indexer's own code), which
moves the threshold. Printed per night: the threshold, the answers judged, the estimated and the
real precision of the night's answers, the real wrong-answer rate (share of all questions) and
the questions answered right at once. The last line is JSON.
"""

from __future__ import annotations

import argparse
import contextlib
import io
import json
import random
import sys
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

from madoguchi.learning.calibration import judge_answers, next_calibration, window_start
from madoguchi.model import BotSettings
from madoguchi.search import build_index
from madoguchi.search.answer_policy import Calibration, target_precision, threshold_for
from madoguchi.search.confidence import judge
from madoguchi.searchlog import model as log_model
from madoguchi_dev.e5 import scripts_embedder
from madoguchi_dev.evaluation import read_workbook
from madoguchi_dev.fitting import SWEPT_PRECISIONS, fit_models, precision_thresholds
from madoguchi_dev.gapped import apply, gapped_file, read_removed
from madoguchi_dev.resident_view import from_tests, read_questions, search_all

QUERIES = Path("tests/data/hard_dev.jsonl")
START = datetime(2026, 4, 1, tzinfo=UTC)


@dataclass(frozen=True)
class Behaviour:
    """What a resident does after an answer: the chance of each, independently (rating: one of
    役に立った or 役に立たなかった or none; then maybe another FAQ tapped, maybe asking again)."""

    helpful: float
    unhelpful: float
    tap_other: float
    ask_again: float


# Noisy on purpose: some rate a wrong answer 役に立った, some ask a follow-up after a right one,
# and many leave a wrong answer without a word. The estimator knows none of these numbers.
AFTER_RIGHT = Behaviour(helpful=0.12, unhelpful=0.01, tap_other=0.04, ask_again=0.10)
AFTER_WRONG = Behaviour(helpful=0.02, unhelpful=0.20, tap_other=0.30, ask_again=0.30)


@dataclass(frozen=True)
class Asked:
    """One resident question: the best hit's P(right) under the fitted model, whether it may be
    answered (grounded), whether it is right, and the FAQs shown."""

    probability: float
    grounded: bool
    right: bool
    shown: tuple[str, ...]


def searched(embedder: object) -> tuple[list[Asked], dict[float, float]]:
    """The city's questions judged by a model fitted on the テスト sheet, and that fit's table."""
    with contextlib.redirect_stderr(io.StringIO()):
        workbook, _ = read_workbook(Path("faq/faq.xlsx"))
    fit_questions = from_tests(workbook.tests)
    fit_seen = search_all(build_index(workbook, embedder=embedder), fit_questions)  # type: ignore[arg-type]
    # The テスト sheet has no question without a FAQ: the closeness models (which do not decide
    # answers) stay as shipped; the confidence models are fitted on it.
    models = fit_models(fit_seen, closeness=False)
    measured = precision_thresholds(fit_seen, models, SWEPT_PRECISIONS)
    gapped, questions = apply(workbook, read_questions(QUERIES), read_removed(gapped_file(QUERIES)))
    city = build_index(gapped, embedder=embedder)  # type: ignore[arg-type]
    asked = []
    for seen in search_all(city, questions):
        result = seen.result
        if result.evidence is None or not result.hits:
            asked.append(Asked(0.0, False, False, ()))
            continue
        judged = judge(result.evidence, *models.of(result))
        top = result.hits[0].faq.id
        asked.append(
            Asked(
                float(judged.probability[0]),
                judged.grounded,
                top in seen.question.relevant_ids,
                tuple(h.faq.id for h in result.hits[:4]),
            )
        )
    return asked, measured


def night_records(
    asked: list[Asked], threshold: float, night: int, rng: random.Random
) -> tuple[list[log_model.LogRecord], dict[str, float]]:
    """One night's search log at this threshold, and the real figures of its answers."""
    records = []
    answers = right_answers = 0
    day = START + timedelta(days=night)
    for n, question in enumerate(asked):
        at = day + timedelta(minutes=3 * n)  # residents' questions minutes apart
        user = f"{night:03d}{n:05d}".rjust(16, "0")
        answered = question.grounded and question.probability >= threshold
        search = log_model.new_search(
            now=at,
            user=user,
            query="",
            top=[log_model.TopHit(f, 1.0) for f in question.shown],
            answered=answered,
            retention_days=90,
        )
        records.append(search)
        if not answered:
            continue
        answers += 1
        right_answers += question.right
        act = AFTER_RIGHT if question.right else AFTER_WRONG
        later = at + timedelta(seconds=40)
        roll = rng.random()
        if roll < act.helpful:
            records.append(_feedback(search, later, True))
        elif roll < act.helpful + act.unhelpful:
            records.append(_feedback(search, later, False))
        if rng.random() < act.tap_other and len(question.shown) > 1:
            records.append(
                log_model.new_event(
                    log_model.FAQ_VIEW,
                    now=later,
                    user=user,
                    retention_days=90,
                    faq_id=question.shown[1],
                    search_id=search.id,
                )
            )
        if rng.random() < act.ask_again:
            again = log_model.new_search(
                now=later + timedelta(seconds=20),
                user=user,
                query="",
                top=[],
                answered=False,
                retention_days=90,
            )
            records.append(again)
    n = len(asked)
    return records, {
        "answers": answers,
        "precision": right_answers / answers if answers else 0.0,
        "wrong_answer": (answers - right_answers) / n,
        "answered_right": right_answers / n,
    }


def _feedback(search: log_model.LogRecord, at: datetime, helpful: bool) -> log_model.LogRecord:
    return log_model.new_event(
        log_model.FEEDBACK,
        now=at,
        user=search.user_ref,
        retention_days=90,
        faq_id=search.top_id,
        helpful=helpful,
        search_id=search.id,
    )


def main(argv: list[str] | None = None) -> int:
    """Run the nights and print the table, then the JSON line."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--nights", type=int, default=50)
    parser.add_argument("--per-night", type=int, default=400, help="questions a night")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--certainty", default="ふつう", help="回答の確かさ")
    args = parser.parse_args(argv)
    rng = random.Random(args.seed)
    asked, measured = searched(scripts_embedder(False))
    settings = BotSettings(answer_certainty=args.certainty)
    target = target_precision(args.certainty)
    print(
        f"fitted on the テスト sheet: threshold {threshold_for(target, measured)} for a target "
        f"precision of {target}; residents: {len(asked)} hard questions, gapped workbook"
    )
    print(
        f"{'night':>5} {'threshold':>9} {'status':>10} {'judged':>6} {'estimate':>8} "
        f"{'answers':>7} {'precision':>9} {'wrong_answer':>12} {'answered_right':>14}"
    )
    calibration: Calibration | None = None
    log: list[log_model.LogRecord] = []
    nights = []
    for night in range(args.nights):
        threshold = (
            threshold_for(target, measured) if calibration is None else calibration.threshold
        )
        tonight = rng.choices(asked, k=args.per_night)
        records, real = night_records(tonight, threshold, night, rng)
        log += records
        now = START + timedelta(days=night + 1)
        start = window_start(calibration, settings, now)
        window = [r for r in log if r.at >= start]
        calibration = next_calibration(
            calibration,
            judge_answers(window, now),
            settings,
            now.isoformat().replace("+00:00", "Z"),
            measured,
        )
        nights.append({"night": night + 1, "threshold": threshold, **real})
        estimate = "-" if calibration.estimate is None else f"{calibration.estimate:.3f}"
        print(
            f"{night + 1:>5} {threshold:>9.3f} {calibration.status:>10} {calibration.judged:>6} "
            f"{estimate:>8} {real['answers']:>7} {real['precision']:>9.3f} "
            f"{real['wrong_answer']:>12.3f} {real['answered_right']:>14.3f}"
        )
    first, last = nights[:3], nights[-5:]
    summary = {
        "target": target,
        "start_threshold": nights[0]["threshold"],
        "end_threshold": nights[-1]["threshold"],
        "first_nights_wrong_answer": round(sum(n["wrong_answer"] for n in first) / len(first), 4),
        "last_nights_wrong_answer": round(sum(n["wrong_answer"] for n in last) / len(last), 4),
        "first_nights_precision": round(sum(n["precision"] for n in first) / len(first), 4),
        "last_nights_precision": round(sum(n["precision"] for n in last) / len(last), 4),
        "last_nights_answered_right": round(sum(n["answered_right"] for n in last) / len(last), 4),
    }
    print(json.dumps(summary, ensure_ascii=False))
    return 0


if __name__ == "__main__":
    sys.exit(main())
