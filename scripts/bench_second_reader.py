"""What the second reader costs the webhook: loading the model, and each question's search.

    python scripts/bench_second_reader.py [--queries tests/data/hard_dev.jsonl] [--limit 300]

Prints the model's load time, then the search's p50 / p99 wall time per question with e5 alone
and with the second reader, cold (no FAQ read yet: each new candidate's passages are embedded)
and warm (the same questions again: only the question is). Run it on an otherwise idle machine.
"""

from __future__ import annotations

import argparse
import contextlib
import io
import json
import os
import sys
import time
from pathlib import Path

os.environ.setdefault("OMP_NUM_THREADS", "1")
os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")

import numpy as np

from madoguchi.adapters.use_engine import UseEngine
from madoguchi.search import build_index
from madoguchi.search.second_reader import SecondReader
from madoguchi_dev.e5 import scripts_embedder
from madoguchi_dev.evaluation import read_workbook


def timed(search, questions: list[str]) -> tuple[float, float]:
    """p50 and p99 wall milliseconds of one search per question."""
    spent = []
    for question in questions:
        started = time.perf_counter()
        search(question)
        spent.append((time.perf_counter() - started) * 1000)
    return float(np.percentile(spent, 50)), float(np.percentile(spent, 99))


def main(argv: list[str] | None = None) -> int:
    """Measure and print."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--workbook", type=Path, default=Path("faq/faq.xlsx"))
    parser.add_argument("--queries", type=Path, default=Path("tests/data/hard_dev.jsonl"))
    parser.add_argument("--limit", type=int, default=300)
    args = parser.parse_args(argv)
    with contextlib.redirect_stderr(io.StringIO()):
        workbook, _ = read_workbook(args.workbook)
    lines = args.queries.read_text(encoding="utf-8").splitlines()
    questions = [json.loads(line)["query"] for line in lines if line.strip()][: args.limit]
    embedder = scripts_embedder(lexical=False)
    if embedder is None:
        print("the e5 engine cannot run here", file=sys.stderr)
        return 2
    index = build_index(workbook, embedder=embedder)
    for question in questions:  # e5's vectors of the questions cached, as the webhook's are not
        index.search(question)
    started = time.perf_counter()
    engine = UseEngine().load()
    print(f"second reader: model loaded in {(time.perf_counter() - started) * 1000:.0f} ms")
    print(f"{len(questions)} questions, {len(index.faqs)} FAQs; search wall ms p50 / p99")
    print("  e5 alone:                 {:.1f} / {:.1f}".format(*timed(index.search, questions)))
    index.attach_reader(SecondReader(engine))
    print("  with the reader, cold:    {:.1f} / {:.1f}".format(*timed(index.search, questions)))
    print("  with the reader, warm:    {:.1f} / {:.1f}".format(*timed(index.search, questions)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
