"""Measure FAQ search quality on labelled questions.

    python scripts/evaluate.py --workbook faq/faq.xlsx [--queries Q.jsonl] [--stripped] [--baseline]

Without --queries the workbook's テスト sheet is used; a queries file has one JSON object per line,
{"query": "...", "relevant_ids": ["..."]}. --stripped first drops 言い換え, キーワード, カテゴリ
and 同義語 (as in workbooks that only have 質問 and 回答). --baseline adds a naive
tinysegmenter + BM25Okapi row. The last line printed is one JSON object with the figures.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path
from typing import Any

from madoguchi.model import TestCase
from madoguchi.search import build_index, evaluate
from madoguchi_dev.evaluation import (
    NaiveBaseline,
    WorkbookUnreadable,
    read_workbook,
    strip_to_question_and_answer,
)

METRICS = ("n", "hit@1", "hit@4", "mrr@10", "no_answer_rate", "p50_ms", "p99_ms")


def read_queries(path: Path) -> list[TestCase]:
    """Labelled questions from a JSON-lines file; lines without relevant_ids are skipped."""
    cases = []
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if not line.strip():
            continue
        item = json.loads(line)
        ids = item.get("relevant_ids") or []
        if isinstance(ids, str):
            ids = [ids]
        if ids:
            cases.append(TestCase(str(item["query"]), tuple(str(i) for i in ids), number))
    return cases


def table(rows: dict[str, dict[str, Any]]) -> str:
    """Methods as rows, metrics as columns."""
    lines = [f"{'method':<10}" + "".join(f"{m:>16}" for m in METRICS)]
    for name, figures in rows.items():
        lines.append(f"{name:<10}" + "".join(f"{figures[m]:>16}" for m in METRICS))
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    """Evaluate, print the table and misses, then the JSON line."""
    parser = argparse.ArgumentParser(description="FAQ 検索の精度を測ります。")
    parser.add_argument("--workbook", type=Path, default=Path("faq/faq.xlsx"))
    parser.add_argument("--queries", type=Path, help="JSON Lines: query, relevant_ids")
    parser.add_argument(
        "--stripped", action="store_true", help="言い換え・キーワード等を除いて測る"
    )
    parser.add_argument("--baseline", action="store_true", help="素朴な BM25 とも比べる")
    parser.add_argument("--misses", type=int, default=40, help="表示する外れの数")
    args = parser.parse_args(argv)
    try:
        workbook, checksum = read_workbook(args.workbook)
        cases = read_queries(args.queries) if args.queries else list(workbook.tests)
    except (OSError, ValueError, KeyError, WorkbookUnreadable) as exc:
        print(f"読み込めませんでした: {exc}", file=sys.stderr)
        return 2
    if not cases:
        print(
            "正解つきの質問がありません(テストシートか --queries を確認してください)",
            file=sys.stderr,
        )
        return 2
    if args.stripped:
        workbook = strip_to_question_and_answer(workbook)
    started = time.perf_counter()
    index = build_index(workbook, checksum=checksum)
    build_seconds = time.perf_counter() - started
    ours = evaluate(index, cases)
    rows = {"madoguchi": ours}
    if args.baseline:
        rows["baseline"] = evaluate(NaiveBaseline(workbook), cases)
    source = args.queries or "テスト sheet"
    print(
        f"{len(index.faqs)} FAQs, {len(cases)} questions ({source})"
        + (", stripped" * args.stripped)
    )
    print(f"index built in {build_seconds:.2f} s")
    print(table(rows))
    misses = [c for c in ours["cases"] if c["rank"] != 1]
    print(f"\nnot first ({len(misses)}):")
    for case in misses[: args.misses]:
        rank = case["rank"] or "-"
        print(
            f"  rank {rank:>2}  {case['query']}"
            f"  want {','.join(case['relevant_ids'])}  got {','.join(case['top'])}"
        )
    summary = {m: ours[m] for m in METRICS}
    summary["stripped"] = args.stripped
    if args.baseline:
        summary["baseline"] = {m: rows["baseline"][m] for m in METRICS}
    print(json.dumps(summary, ensure_ascii=False))
    return 0


if __name__ == "__main__":
    sys.exit(main())
