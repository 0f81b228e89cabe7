"""Indexer benchmark: handler time and peak memory per upload, printed as a table.

Each case runs in a fresh process, like a new Lambda sandbox: import the handler (init), then
invoke it twice on S3 events — the first upload (nothing published yet) and a second upload that
is also compared with the first. Storage is a local folder (MADOGUCHI_LOCAL_DIR), so the figures
are the indexer's own cost; on Lambda add about 0.35 s for the first boto3 client and S3 latency.

    python scripts/bench_indexer.py [--sizes sample,2000] [--republish]

A second table compares, for the same workbooks with 10 rows changed, a cold index build with the
build a republish makes, given the analysed text the previous build kept beside the index.
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


def republish(size: str, changed: int = 10, rounds: int = 3) -> dict[str, object]:
    """CPU time of a cold build of the workbook with `changed` rows edited, and of the same build
    given the analysed text of the unedited workbook's build (what a republish does)."""
    from dataclasses import replace

    from madoguchi.search import build_index
    from madoguchi.workbook import validate_workbook

    workbook = validate_workbook(workbook_bytes(size)).workbook
    faqs = list(workbook.faqs)
    for n, position in enumerate(range(0, len(faqs), max(1, len(faqs) // changed))[:changed]):
        faqs[position] = replace(faqs[position], answer=f"{faqs[position].answer}(改訂 {n + 1})")
    edited = replace(workbook, faqs=tuple(faqs))
    previous = build_index(workbook).analysis.to_bytes()

    def cpu(**options: object) -> float:
        started = time.process_time()
        build_index(edited, **options)
        return time.process_time() - started

    cold = min(cpu() for _ in range(rounds))
    warm = min(cpu(previous_analysis=previous) for _ in range(rounds))
    return {
        "workbook": "faq/faq.xlsx" if size == "sample" else f"{size} FAQs",
        "rows changed": changed,
        "cold build CPU s": f"{cold:.2f}",
        "republish build CPU s": f"{warm:.2f}",
        "republish ÷ cold": f"{warm / cold:.2f}",
    }


def print_table(title: str, rows: list[dict]) -> None:
    print(f"\n### {title}\n")
    columns = list(rows[0])
    print("| " + " | ".join(columns) + " |")
    print("|" + "---|" * len(columns))
    for row in rows:
        print("| " + " | ".join(str(row[c]) for c in columns) + " |")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--child", help=argparse.SUPPRESS)
    parser.add_argument(
        "--sizes", dest="indexer_sizes", type=lambda s: s.split(","), default=["sample", "2000"]
    )
    parser.add_argument(
        "--republish", action="store_true", help="only the republish table (10 rows changed)"
    )
    args = parser.parse_args(argv)
    if args.child:
        print(json.dumps(child(args.child)))
        return 0
    if not args.republish:
        print_table(*section(args))
    from scripts.bench import machine

    rows = [republish(size) for size in args.indexer_sizes]
    print_table(
        f"Republish: index build with 10 rows changed, cold and with the last build's analysed "
        f"text (best of 3, CPU time; {machine()})",
        rows,
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
