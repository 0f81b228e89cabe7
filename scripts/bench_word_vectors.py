"""Time the word-vector signal: reading the table, a question's vector, its cosines, the index.

    OMP_NUM_THREADS=1 OPENBLAS_NUM_THREADS=1 python scripts/bench_word_vectors.py
        [--workbook faq/faq.xlsx] [--queries tests/data/hard_dev.jsonl]

Prints the table's size and load time, the time to embed each question of the queries file and
to score it against the workbook's FAQs (and against 2,000 and 20,000 FAQs made of the workbook's
FAQs repeated), the time the indexer spends on the FAQs' vectors, the whole search without e5
(BM25 alone against BM25 with word vectors), and the bytes the vectors add to the index file.
"""

from __future__ import annotations

import argparse
import contextlib
import io
import statistics
import sys
import time
from dataclasses import replace
from pathlib import Path

import numpy as np

from madoguchi.search import build_index
from madoguchi.search.word_vectors import TABLE_FILE, FaqWordVectors, WordTable
from madoguchi_dev.evaluation import read_workbook
from madoguchi_dev.resident_view import read_questions


def _ms(seconds: list[float]) -> str:
    ordered = sorted(seconds)
    p99 = ordered[min(len(ordered) - 1, int(0.99 * len(ordered)))]
    return f"mean {1000 * statistics.fmean(ordered):.3f} ms, p99 {1000 * p99:.3f} ms"


def main(argv: list[str] | None = None) -> int:
    """Measure and print."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--workbook", type=Path, default=Path("faq/faq.xlsx"))
    parser.add_argument("--queries", type=Path, default=Path("tests/data/hard_dev.jsonl"))
    args = parser.parse_args(argv)
    with contextlib.redirect_stderr(io.StringIO()):
        workbook, _ = read_workbook(args.workbook)
    queries = [q.query for q in read_questions(args.queries)]

    data = TABLE_FILE.read_bytes()
    started = time.perf_counter()
    words = WordTable.from_bytes(data)
    loaded = time.perf_counter() - started
    print(f"table {TABLE_FILE.name}: {len(data) / 2**20:.2f} MiB, {len(words)} words × {words.dim}")
    print(f"  read once per process: {1000 * loaded:.1f} ms")

    embed = []
    for query in queries:
        started = time.perf_counter()
        words.embed(query)
        embed.append(time.perf_counter() - started)
    print(f"a question's vector ({len(queries)} questions): {_ms(embed)}")

    faqs = workbook.published_faqs
    started = time.perf_counter()
    vectors = FaqWordVectors.build(faqs, words)
    built = time.perf_counter() - started
    print(f"indexer: {len(faqs)} FAQs' vectors in {1000 * built:.1f} ms")
    for size in (len(faqs), 2_000, 20_000):
        repeat = -(-size // len(faqs))
        scaled = FaqWordVectors(
            words.name,
            {n: np.concatenate([a] * repeat)[:size] for n, a in vectors.arrays().items()},
        )
        timings = []
        for query in queries:
            vector = words.embed(query)
            started = time.perf_counter()
            scaled.similarity(vector)
            timings.append(time.perf_counter() - started)
        print(f"  cosines with {size} FAQs (question side and answer): {_ms(timings)}")

    # The search without e5: BM25 alone (exact top 4) against BM25 reordered by word vectors
    # (every FAQ scored), on the sample and on it repeated to 2,000 FAQs or more.
    for copies in (1, -(-2_000 // len(faqs))):
        repeated = tuple(replace(f, id=f"{f.id}-{n}") for n in range(copies) for f in workbook.faqs)
        index = build_index(replace(workbook, faqs=repeated))
        for weight in (0.0, index.lexical_word_weight):
            index.lexical_word_weight = weight
            timings = []
            for query in queries:
                started = time.perf_counter()
                index.search(query)
                timings.append(time.perf_counter() - started)
            label = "BM25 alone" if weight == 0 else f"BM25 + word vectors ({weight})"
            print(f"search without e5, {len(index.faqs)} FAQs, {label}: {_ms(timings)}")

    with_words = build_index(workbook, built_at="2026-01-01T00:00:00+00:00").to_bytes()
    plain = build_index(workbook, built_at="2026-01-01T00:00:00+00:00", words=False).to_bytes()
    added = len(with_words) - len(plain)
    print(f"index file: {len(plain):,} → {len(with_words):,} bytes (+{added:,}, "
          f"{added / max(len(faqs), 1):.0f} per FAQ)")  # fmt: skip
    return 0


if __name__ == "__main__":
    sys.exit(main())
