"""Benchmarks, printed as tables (`make bench`).

Search section: index build time, artifact size, load time and search latency at several sizes, on
synthetic Japanese-like FAQs (deterministic seed). Semantic section: the same search with the
semantic signal (the question embedded by the e5 engine of the dev environment, one thread, then
fused with BM25) for the hard dev set's questions, worded as residents write them (the engine's
cost grows with the length of the question), at 2,000 and 20,000 FAQs, with a calibration figure
for comparing machines.
Other sections (for example the webhook's, from scripts/bench_webhook.py exposing
`section() -> (title, rows)`) are printed after them when present.

    OMP_NUM_THREADS=1 OPENBLAS_NUM_THREADS=1 python scripts/bench.py [--sizes 300,2000,20000]
        [--semantic-sizes 2000,20000] [--queries 500] [--reference-queries 20]
        [--only semantic,webhook,...]

Every table's title carries a calibration figure (a fixed pure-Python loop) and the load average,
and the search table the time of rank_bm25.BM25Okapi.get_scores on the same terms as a multiple
of ours: times swing with the machine and its load, those ratios much less.

`make bench` pins BLAS and OpenMP to one thread, as the functions do (on small products more
threads only cost).
"""

from __future__ import annotations

import argparse
import hashlib
import importlib
import itertools
import json
import os
import random
import statistics
import sys
import time
from collections.abc import Callable, Sequence
from pathlib import Path

import numpy as np

from madoguchi.model import Faq, FaqWorkbook
from madoguchi.search import SearchIndex, build_index
from madoguchi.search.bm25 import PostingsBM25, term_hashes
from madoguchi.search.normalize import MAX_QUERY_CHARS
from madoguchi.search.semantic import DIM, MODEL_ID, Embedder

Rows = list[dict[str, object]]
Section = Callable[[argparse.Namespace], tuple[str, Rows]]

# Real kanji (the first 2,500 of the CJK block), katakana, and a Zipf-distributed vocabulary of
# compound words: a few words are everywhere, most are rare, as in real FAQ text.
KANJI = [chr(c) for c in range(0x4E00, 0x4E00 + 2500)]
KATAKANA = [chr(c) for c in range(0x30A2, 0x30F3)]
PARTICLES = ("の", "を", "に", "は", "で", "が", "と", "から", "まで", "へ")
ENDINGS = ("してください。", "できます。", "が必要です。", "をご確認ください。", "となります。")
QUESTION_ENDINGS = (
    "を教えてください",
    "はどうすればいいですか",
    "について",
    "したい",
    "はいつですか",
)
VOCABULARY_SIZE = 30_000


def _zipf(count: int) -> list[float]:
    """Cumulative weights 1/rank, for random.choices."""
    return list(itertools.accumulate(1 / rank for rank in range(1, count + 1)))


def _vocabulary(rng: random.Random) -> list[str]:
    kanji_weights = _zipf(len(KANJI))
    words = []
    for _ in range(VOCABULARY_SIZE):
        if rng.random() < 0.12:
            words.append("".join(rng.choices(KATAKANA, k=rng.randint(3, 6))))
        else:
            size = rng.choice((2, 2, 2, 3, 4))
            words.append("".join(rng.choices(KANJI, cum_weights=kanji_weights, k=size)))
    return words


class _Words:
    """Draws words with Zipf-like frequencies from a fixed vocabulary."""

    def __init__(self, rng: random.Random):
        self.rng = rng
        self.vocabulary = _vocabulary(rng)
        self.weights = _zipf(len(self.vocabulary))

    def word(self) -> str:
        return self.rng.choices(self.vocabulary, cum_weights=self.weights)[0]

    def phrase(self, words: int) -> str:
        return "".join(self.word() + self.rng.choice(PARTICLES) for _ in range(words))[:-1]


def synthetic_workbook(size: int, seed: int = 7) -> FaqWorkbook:
    """`size` FAQs with a question of ~20 and an answer of ~120 characters, Japanese-like."""
    rng = random.Random(seed)
    words = _Words(rng)
    faqs = []
    for i in range(size):
        question = words.phrase(rng.randint(2, 4)) + rng.choice(QUESTION_ENDINGS)
        answer = "".join(words.phrase(rng.randint(3, 5)) + rng.choice(ENDINGS) for _ in range(4))
        faqs.append(Faq(id=f"Q{i:06d}", question=question, answer=answer, category=words.word()))
    return FaqWorkbook(faqs=tuple(faqs))


def synthetic_queries(workbook: FaqWorkbook, count: int, seed: int = 11) -> list[str]:
    """Resident-like questions: pieces of FAQ questions with a stray word and an ending."""
    rng = random.Random(seed)
    words = _Words(rng)
    queries = []
    for _ in range(count):
        faq = rng.choice(workbook.faqs)
        start = rng.randint(0, max(0, len(faq.question) - 8))
        queries.append(
            faq.question[start : start + rng.randint(6, 16)] + words.word() + "したいです"
        )
    return queries


def calibration_ms() -> float:
    """A fixed pure-Python CPU loop, in ms (median of 7): compare machines and runs with it."""
    runs = []
    for _ in range(7):
        started = time.perf_counter()
        total = 0
        for i in range(300_000):
            total += i * i % 7
        runs.append((time.perf_counter() - started) * 1000)
    return statistics.median(runs)


def load_average() -> str:
    """The machine's 1-minute load average (how busy the shared cores were)."""
    try:
        return f"{os.getloadavg()[0]:.1f}"
    except OSError:
        return "n/a"


def machine() -> str:
    """Calibration and load, for the title of every table."""
    return f"calibration {calibration_ms():.1f} ms, load average {load_average()}"


def _field_corpus(bm25: PostingsBM25) -> list[list[str]]:
    """A field's documents as rank_bm25 takes them: each term (by hash) as often as it occurs."""
    term_of = np.repeat(np.arange(len(bm25.keys)), np.diff(bm25.starts))
    order = np.argsort(bm25.doc_ids, kind="stable")
    ends = np.cumsum(np.bincount(bm25.doc_ids[order].astype(np.int64), minlength=bm25.corpus_size))
    keys = bm25.keys.astype(str)
    corpus, start = [], 0
    for end in ends.tolist():
        postings = order[start:end]
        corpus.append(
            [
                keys[t]
                for t, f in zip(term_of[postings], bm25.freqs[postings], strict=True)
                for _ in range(f)
            ]
        )
        start = end
    return corpus


def reference_ms(index: SearchIndex, queries: Sequence[str]) -> float:
    """Median time of rank_bm25.BM25Okapi.get_scores on the same terms and fields, weighted
    and summed as the search does (exhaustive scoring in pure Python, the naive baseline)."""
    from rank_bm25 import BM25Okapi

    fields = {name: BM25Okapi(_field_corpus(bm25)) for name, bm25 in index.fields.items()}
    times = []
    for query in queries:
        terms = index.analyzer.query_terms(query, MAX_QUERY_CHARS)
        tokens = term_hashes(terms).astype(str).tolist()
        started = time.perf_counter()
        sum(index.weights[n] * okapi.get_scores(tokens) for n, okapi in fields.items())
        times.append((time.perf_counter() - started) * 1000)
    return statistics.median(times)


def _percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))]


def search_section(args: argparse.Namespace) -> tuple[str, Rows]:
    """Build, size, load and latency per corpus size."""
    rows: Rows = []
    for size in args.sizes:
        workbook = synthetic_workbook(size)
        started = time.perf_counter()
        index = build_index(workbook)
        build = time.perf_counter() - started
        data = index.to_bytes()
        loads = []
        for _ in range(3):
            started = time.perf_counter()
            loaded = SearchIndex.from_bytes(data)
            loads.append(time.perf_counter() - started)
        queries = synthetic_queries(workbook, args.queries)
        for query in queries[:20]:  # warm-up: first-call costs (regex compilation, caches)
            loaded.search(query)
        latencies, cpu = [], []
        for query in queries:
            # Each query is timed three times, cache cleared so tokenization is always included;
            # the median of the three keeps other processes' bursts on this shared machine out.
            runs, cpu_runs = [], []
            for _ in range(3):
                loaded.analyzer.query_terms.cache_clear()
                started, started_cpu = time.perf_counter(), time.process_time()
                loaded.search(query)
                runs.append((time.perf_counter() - started) * 1000)
                cpu_runs.append((time.process_time() - started_cpu) * 1000)
            latencies.append(statistics.median(runs))
            cpu.append(statistics.median(cpu_runs))
        p50 = statistics.median(latencies)
        reference = "not run"
        if size <= args.reference_max:
            # rank_bm25 scores every document in Python: a few questions are enough.
            reference_p50 = reference_ms(loaded, queries[: args.reference_queries])
            reference = f"{reference_p50:.1f} ms ({reference_p50 / p50:.0f}×)"
        rows.append(
            {
                "FAQs": f"{size:,}",
                "build s": f"{build:.2f}",
                "artifact MB": f"{len(data) / 1e6:.2f}",
                "load ms": f"{min(loads) * 1000:.1f}",
                "search p50 / p99 ms": f"{p50:.2f} / {_percentile(latencies, 0.99):.2f}",
                "CPU p50 / p99 ms": (
                    f"{statistics.median(cpu):.2f} / {_percentile(cpu, 0.99):.2f}"
                ),
                "rank_bm25 get_scores p50 (× our search)": reference,
            }
        )
        print(f"  … {size:,} FAQs done", file=sys.stderr, flush=True)
    title = (
        "Search (synthetic FAQs, BM25 alone, exact top 4; per query: median of 3 timed runs, "
        f"tokenization included; {machine()})"
    )
    return title, rows


class SyntheticVectors:
    """Passage vectors for synthetic FAQs: random unit vectors seeded by the text (a search costs
    the same whatever the vectors say); questions go to the real engine."""

    model_id = MODEL_ID

    def __init__(self, engine: Embedder):
        self.engine = engine

    def embed_passages(self, texts: Sequence[str]) -> np.ndarray:
        """A fixed random unit vector per text."""
        rows = []
        for text in texts:
            seed = int.from_bytes(hashlib.blake2b(text.encode(), digest_size=8).digest(), "little")
            vector = np.random.default_rng(seed).normal(size=DIM).astype(np.float32)
            rows.append(vector / np.linalg.norm(vector))
        return np.stack(rows)

    def embed_queries(self, texts: Sequence[str]) -> np.ndarray:
        """The engine's vectors."""
        return self.engine.embed_queries(texts)


def _timed(call: Callable[[], object], runs: int) -> float:
    """Median wall time of a call, in ms."""
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        call()
        times.append((time.perf_counter() - started) * 1000)
    return statistics.median(times)


def _resident_questions() -> list[str]:
    """Questions worded as residents write them (the hard dev set: 4 to 100+ characters)."""
    path = Path(__file__).resolve().parents[1] / "tests" / "data" / "hard_dev.jsonl"
    lines = path.read_text(encoding="utf-8").splitlines()
    return [json.loads(line)["query"] for line in lines if line.strip()]


def semantic_section(args: argparse.Namespace) -> tuple[str, Rows]:
    """Search latency with the question embedded and fused, per corpus size."""
    from madoguchi_dev.e5 import LocalE5, engine_problem

    threads = os.environ.get("OPENBLAS_NUM_THREADS", "unset")
    title = (
        "Search with the semantic signal (synthetic FAQs, the hard dev set's questions; "
        f"the engine on one thread, BLAS threads {threads})"
    )
    problem = engine_problem()
    if problem:
        return title + f": skipped, {problem}", []
    engine = LocalE5().load()
    calibration_question = "粗大ごみの出し方を教えて"  # 12 characters, a typical question
    engine.embed_queries([calibration_question])
    calibration = _timed(lambda: engine.embed_queries([calibration_question]), 30)
    questions = _resident_questions()[: args.queries]
    rows: Rows = []
    for size in args.semantic_sizes:
        workbook = synthetic_workbook(size)
        index = SearchIndex.from_bytes(
            build_index(workbook, embedder=SyntheticVectors(engine)).to_bytes(),
            embedder=SyntheticVectors(engine),
        )
        for query in questions[:10]:
            index.search(query)
        wall, cpu = [], []
        for query in questions:
            index.analyzer.query_terms.cache_clear()
            started, started_cpu = time.perf_counter(), time.process_time()
            index.search(query)
            wall.append((time.perf_counter() - started) * 1000)
            cpu.append((time.process_time() - started_cpu) * 1000)
        rows.append(
            {
                "FAQs": f"{size:,}",
                "search p50 ms": f"{statistics.median(wall):.1f}",
                "search p99 ms": f"{_percentile(wall, 0.99):.1f}",
                "CPU p50 ms": f"{statistics.median(cpu):.1f}",
                "CPU p99 ms": f"{_percentile(cpu, 0.99):.1f}",
                "calibration ms": f"{calibration:.1f}",
            }
        )
        print(f"  … {size:,} FAQs with the semantic signal done", file=sys.stderr, flush=True)
    title += f"; engine calibration: a 12-character question, median of 30 runs; {machine()}"
    return title, rows


def sections() -> dict[str, Section]:
    """The search sections, then those of any other benchmark module that is present, by name."""
    found: dict[str, Section] = {"search": search_section, "semantic": semantic_section}
    for name in ("bench_webhook", "bench_indexer"):
        try:
            module = importlib.import_module(name)
        except ModuleNotFoundError as exc:
            if exc.name != name:
                raise
            continue
        short = name.removeprefix("bench_")
        found[short] = module.section
        for extra in getattr(module, "more_sections", []):
            found[f"{short}-{extra.__name__.removesuffix('_section')}"] = extra
    return found


def print_table(title: str, rows: Rows) -> None:
    """A Markdown table, so the output can go into README as it is."""
    print(f"\n### {title}\n")
    if not rows:
        print("(no figures)")
        return
    columns = list(rows[0])
    print("| " + " | ".join(columns) + " |")
    print("|" + "---|" * len(columns))
    for row in rows:
        print("| " + " | ".join(str(row.get(c, "")) for c in columns) + " |")


def main(argv: list[str] | None = None) -> int:
    """Run every section and print its table."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--sizes",
        type=lambda s: [int(x) for x in s.split(",")],
        default=[300, 2000, 20000, 100000],
    )
    parser.add_argument(
        "--semantic-sizes",
        type=lambda s: [int(x) for x in s.split(",")],
        default=[2000, 20000],
    )
    parser.add_argument("--queries", type=int, default=500)
    parser.add_argument(
        "--reference-queries", type=int, default=20, help="questions for rank_bm25 (slow)"
    )
    parser.add_argument(
        "--reference-max",
        type=int,
        default=20000,
        help="largest index rank_bm25 is run on (it takes seconds per question at 100,000)",
    )
    available = sections()
    parser.add_argument(
        "--only",
        type=lambda s: s.split(","),
        default=list(available),
        help=f"some of: {', '.join(available)} (default: all)",
    )
    args = parser.parse_args(argv)
    unknown = set(args.only) - set(available)
    if unknown:
        parser.error(f"no such section: {', '.join(sorted(unknown))}")
    for name in args.only:
        print_table(*available[name](args))
    return 0


if __name__ == "__main__":
    sys.exit(main())
