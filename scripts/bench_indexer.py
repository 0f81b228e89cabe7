"""Indexer benchmark: handler time and peak memory per upload, printed as a table.

Each case runs in a fresh process, like a new Lambda sandbox: import the handler (init), then
invoke it twice on S3 events — the first upload (nothing published yet) and a second upload that
is also compared with the first. Storage is a local folder (MADOGUCHI_LOCAL_DIR), so the figures
are the indexer's own cost; on Lambda add about 0.35 s for the first boto3 client and S3 latency.

    python scripts/bench_indexer.py [--sizes sample,2000] [--vectors 2000] [--republish]

The handler table is BM25 alone (MADOGUCHI_SEMANTIC=off). The FAQ vectors are measured on their
own (`--vectors`, also in `make bench`): the e5 engine in-process on one thread, through the
passage cache exactly as a publish uses it, for a first build and for a republish with 10 rows
edited; the AWS figure divides the same CPU time among the EmbedFunction invocations the
indexer runs at once. `--republish` compares, for the same workbooks with 10 rows changed, a cold
index build with the build a republish makes, given the analysed text the previous build kept
beside the index.
"""

from __future__ import annotations

import argparse
import io
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import quote_plus

from madoguchi_dev.lambda_runtime import LocalContext
from scripts.bench_webhook import peak_mb  # VmHWM: ru_maxrss would carry a parent's peak

ROOT = Path(__file__).resolve().parent.parent
SAMPLE = ROOT / "faq" / "faq.xlsx"


def workbook_bytes(size: str) -> bytes:
    """The sample workbook, or the sample's FAQ rows repeated (with new IDs) up to `size` rows."""
    data = SAMPLE.read_bytes()
    if size == "sample":
        return data
    from openpyxl import load_workbook

    book = load_workbook(io.BytesIO(data))
    sheet = book["FAQ"]
    headers = [cell.value for cell in sheet[1]]
    id_column = headers.index("ID")
    rows = [list(r) for r in sheet.iter_rows(min_row=2, values_only=True) if any(r)]
    question_column = headers.index("質問")
    for n in range(int(size) - len(rows)):
        row = list(rows[n % len(rows)])
        row[id_column] = f"X{n + 1:05d}"
        row[question_column] = f"{row[question_column]}(別館{n // len(rows) + 1})"
        sheet.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def s3_event(key: str, when: str) -> dict:
    """An ObjectCreated notification as S3 sends it (URL-encoded key)."""
    return {
        "Records": [
            {
                "eventVersion": "2.1",
                "eventSource": "aws:s3",
                "awsRegion": "ap-northeast-1",
                "eventTime": when,
                "eventName": "ObjectCreated:Put",
                "s3": {
                    "bucket": {"name": "local", "arn": "arn:aws:s3:::local"},
                    "object": {"key": quote_plus(key, safe="/"), "size": 0, "sequencer": ""},
                },
            }
        ]
    }


def child(size: str) -> dict:
    """Run inside a fresh process: init, then two invocations; report the figures as JSON."""
    folder = Path(tempfile.mkdtemp(prefix="madoguchi-bench-"))
    os.environ.update(
        MADOGUCHI_LOCAL_DIR=str(folder),
        MADOGUCHI_SEMANTIC="off",
        POWERTOOLS_METRICS_NAMESPACE="Madoguchi",
        POWERTOOLS_LOG_LEVEL="WARNING",
        POWERTOOLS_METRICS_DISABLED="true",
    )
    data = workbook_bytes(size)
    base_mb = peak_mb()
    started = time.perf_counter()
    import importlib

    app = importlib.import_module("app")
    init = time.perf_counter() - started
    figures = {"size": size, "workbook_kb": len(data) // 1024, "init_s": init}
    for n, label in ((1, "first"), (2, "second")):
        key = f"uploads/よくある質問_{n}.xlsx"
        app.DEPS.storage.put(key, data)
        started = time.perf_counter()
        result = app.lambda_handler(
            s3_event(key, f"2026-04-01T00:0{n}:00.000Z"),
            LocalContext("madoguchi-indexer", memory_limit_in_mb=1024),
        )
        figures[f"{label}_s"] = time.perf_counter() - started
        status = result["processed"][0]["status"]
        report = json.loads(app.DEPS.storage.get(result["processed"][0]["report"]))
        figures[f"{label}_status"] = status
        figures[f"{label}_timings"] = report["timings"]
        figures["faqs"] = report["counts"].get("published_faqs")
        figures["tests"] = report["counts"].get("tests")
    pointer = json.loads(app.DEPS.storage.get("indexes/current.json"))
    artifact = app.DEPS.storage.get(pointer["artifact_key"])
    figures["artifact_kb"] = len(artifact) // 1024
    figures["peak_rss_mb"] = peak_mb()
    figures["data_rss_mb"] = peak_mb() - base_mb
    return figures


def run_case(size: str) -> dict:
    """One case in a fresh interpreter (cold imports, clean peak memory)."""
    # The same import path as Lambda: the function folder (task root) and the layer's content.
    lambda_path = [str(ROOT / "functions" / "indexer"), str(ROOT / "layers" / "madoguchi")]
    env = dict(os.environ, PYTHONPATH=os.pathsep.join(lambda_path))
    done = subprocess.run(
        [sys.executable, __file__, "--child", size],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=True,
    )
    return json.loads(done.stdout.strip().splitlines()[-1])


def section(args: argparse.Namespace | None = None) -> tuple[str, list[dict]]:
    """The indexer table (also used by scripts/bench.py)."""
    sizes = getattr(args, "indexer_sizes", None) or ["sample", "2000"]
    rows = []
    for size in sizes:
        f = run_case(size)
        second = f["second_timings"]
        rows.append(
            {
                "workbook": "faq/faq.xlsx" if size == "sample" else f"{size} FAQs",
                "FAQs": f["faqs"],
                "tests": f["tests"],
                "xlsx KB": f["workbook_kb"],
                "index KB": f["artifact_kb"],
                "init s": f"{f['init_s']:.2f}",
                "1st upload s": f"{f['first_s']:.2f}",
                "2nd upload s": f"{f['second_s']:.2f}",
                "validate/build/evaluate/publish s (2nd)": "/".join(
                    f"{second.get(k, 0):.2f}" for k in ("validate", "build", "evaluate", "publish")
                ),
                "peak RSS MB": f"{f['peak_rss_mb']:.0f}",
            }
        )
    return "Indexer (handler on local storage, fresh process per row)", rows


def edited(data: bytes, rows: int) -> bytes:
    """The workbook with `rows` FAQ rows edited: half their answers, half their questions."""
    from openpyxl import load_workbook

    book = load_workbook(io.BytesIO(data))
    sheet = book["FAQ"]
    headers = [cell.value for cell in sheet[1]]
    for n in range(rows):
        column = headers.index("回答" if n % 2 == 0 else "質問") + 1
        cell = sheet.cell(row=2 + n * 7, column=column)
        cell.value = f"{cell.value}(改訂)"
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def vectors_child(size: str) -> dict:
    """In a fresh process: embed every passage of the workbook, then of an edited copy."""
    from madoguchi.adapters.e5_engine import E5Engine
    from madoguchi.adapters.embed_cache import CachingEmbedder, cache_key
    from madoguchi.adapters.lambda_embedder import WORKERS, batches
    from madoguchi.adapters.storage import LocalStorage
    from madoguchi.search.semantic import MODEL_ID, passages_of
    from madoguchi.workbook import validate_workbook

    def passages(data: bytes) -> list[str]:
        workbook = validate_workbook(data, filename="faq.xlsx").workbook
        assert workbook is not None
        return [text for faq in workbook.published_faqs for text in passages_of(faq)]

    class Recording(E5Engine):
        """The engine, remembering what it was given (the batches the EmbedFunction would get)."""

        def __init__(self) -> None:
            super().__init__()
            self.sent: list[str] = []

        def embed_passages(self, texts):
            self.sent = list(texts)
            return super().embed_passages(texts)

    started = time.perf_counter()
    from madoguchi_dev.lambda_runtime import load_handler_module

    load_handler_module(ROOT / "functions" / "embedder", "embedder_app")  # its init, as Lambda
    figures: dict = {"size": size, "function_init_s": time.perf_counter() - started}
    engine = Recording()
    engine.load()
    storage = LocalStorage(tempfile.mkdtemp(prefix="madoguchi-bench-"))
    cache = CachingEmbedder(engine, storage, cache_key("indexes/", MODEL_ID))
    data = workbook_bytes(size)
    for label, texts in (("first", passages(data)), ("republish", passages(edited(data, 10)))):
        engine.sent = []
        wall, cpu = time.perf_counter(), time.process_time()
        cache.embed_passages(texts)
        stats = cache.save()
        figures[label] = {
            "passages": stats.passages,
            "embedded": stats.embedded,
            "hit_rate": stats.hit_rate,
            "chars": sum(map(len, texts)),
            "batches": len(batches(engine.sent)),
            "batches_if_distinct": len(batches(texts)),
            "wall_s": time.perf_counter() - wall,
            "cpu_s": time.process_time() - cpu,
        }
    figures["workers"] = WORKERS
    figures["cache_kb"] = len(storage.get(cache.key) or b"") // 1024
    figures["peak_rss_mb"] = peak_mb()
    return figures


def vectors_section(args: argparse.Namespace | None = None) -> tuple[str, list[dict]]:
    """The FAQ vectors table (also used by scripts/bench.py)."""
    from madoguchi.adapters.lambda_embedder import BUDGET_SECONDS

    rows = []
    for size in getattr(args, "vector_sizes", None) or ["2000"]:
        env = dict(
            os.environ,
            PYTHONPATH=str(ROOT / "layers" / "madoguchi"),
            OMP_NUM_THREADS="1",
            OPENBLAS_NUM_THREADS="1",
        )
        done = subprocess.run(
            [sys.executable, __file__, "--vectors-child", size],
            cwd=ROOT,
            env=env,
            capture_output=True,
            text=True,
            check=True,
        )
        f = json.loads(done.stdout.strip().splitlines()[-1])
        for label in ("first", "republish"):
            run = f[label]
            # In AWS the same work is split into batches, WORKERS invocations at a time.
            rounds = -(-run["batches"] // f["workers"]) if run["embedded"] else 0
            per_batch = run["cpu_s"] / max(1, run["batches"])
            rows.append(
                {
                    "build": f"{size} FAQs, "
                    + ("first build" if label == "first" else "10 edited"),
                    "passages": run["passages"],
                    "embedded": run["embedded"],
                    "cache hits": f"{run['hit_rate']:.1%}",
                    "chars": f"{run['chars']:,}",
                    "in-process wall s": f"{run['wall_s']:.1f}",
                    "CPU s": f"{run['cpu_s']:.1f}",
                    "CPU ms a passage": f"{1000 * run['cpu_s'] / max(1, run['embedded']):.0f}",
                    "AWS batches": run["batches"],
                    f"AWS, {f['workers']} at a time (+ function init)": (
                        f"≈ {rounds * per_batch:.0f} s (+ {f['function_init_s']:.1f} s)"
                        if run["embedded"]
                        else "0 s (all cached)"
                    ),
                    # The worst first build: every passage distinct, none cached.
                    f"all distinct: AWS ≈ (indexer budget {BUDGET_SECONDS:.0f} s, timeout 300 s)": (
                        f"≈ {-(-run['batches_if_distinct'] // f['workers']) * per_batch:.0f} s"
                        if label == "first" and run["embedded"]
                        else "—"
                    ),
                    "cache KB": f["cache_kb"],
                    "peak RSS MB": f"{f['peak_rss_mb']:.0f}",
                }
            )
    return "Indexer: FAQ vectors (e5 in-process, one thread, through the passage cache)", rows


def republish(size: str, changed: int = 10, rounds: int = 3) -> dict[str, object]:
    """CPU time of a cold build of the workbook with `changed` rows edited, and of the same build
    given the analysed text of the unedited workbook's build (what a republish does)."""
    from dataclasses import replace

    from madoguchi.search import build_index
    from madoguchi.workbook import validate_workbook

    workbook = validate_workbook(workbook_bytes(size)).workbook
    assert workbook is not None
    faqs = list(workbook.faqs)
    for n, position in enumerate(range(0, len(faqs), max(1, len(faqs) // changed))[:changed]):
        faqs[position] = replace(faqs[position], answer=f"{faqs[position].answer}(改訂 {n + 1})")
    edited_workbook = replace(workbook, faqs=tuple(faqs))
    analysis = build_index(workbook).analysis
    assert analysis is not None
    previous = analysis.to_bytes()

    def cpu(previous_analysis: bytes | None) -> float:
        started = time.process_time()
        build_index(edited_workbook, previous_analysis=previous_analysis)
        return time.process_time() - started

    cold = min(cpu(None) for _ in range(rounds))
    warm = min(cpu(previous) for _ in range(rounds))
    return {
        "workbook": "faq/faq.xlsx" if size == "sample" else f"{size} FAQs",
        "rows changed": changed,
        "cold build CPU s": f"{cold:.2f}",
        "republish build CPU s": f"{warm:.2f}",
        "republish ÷ cold": f"{warm / cold:.2f}",
    }


def republish_section(args: argparse.Namespace | None = None) -> tuple[str, list[dict]]:
    """The republish table: BM25 index builds only (the vectors have their own table)."""
    from scripts.bench import machine

    rows = [republish(size) for size in getattr(args, "indexer_sizes", None) or ["2000"]]
    title = (
        "Republish: index build with 10 rows changed, cold and with the last build's analysed "
        f"text (best of 3, CPU time; {machine()})"
    )
    return title, rows


more_sections = [vectors_section, republish_section]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--child", help=argparse.SUPPRESS)
    parser.add_argument("--vectors-child", help=argparse.SUPPRESS)
    parser.add_argument(
        "--sizes", dest="indexer_sizes", type=lambda s: s.split(","), default=["sample", "2000"]
    )
    parser.add_argument("--vectors", dest="vector_sizes", type=lambda s: s.split(","))
    parser.add_argument(
        "--republish", action="store_true", help="only the republish table (10 rows changed)"
    )
    args = parser.parse_args(argv)
    if args.child:
        print(json.dumps(child(args.child)))
        return 0
    if args.vectors_child:
        print(json.dumps(vectors_child(args.vectors_child)))
        return 0
    if args.republish:
        tables = [republish_section(args)]
    elif args.vector_sizes:
        tables = [vectors_section(args)]
    else:
        tables = [section(args)]
    for title, rows in tables:
        print(f"\n### {title}\n")
        columns = list(rows[0])
        print("| " + " | ".join(columns) + " |")
        print("|" + "---|" * len(columns))
        for row in rows:
            print("| " + " | ".join(str(row[c]) for c in columns) + " |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
