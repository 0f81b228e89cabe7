"""Webhook benchmark: cold init, warm handling time per text event, and peak memory.

For each size a synthetic workbook is written as a real .xlsx and published the way the indexer
does (into a local folder). A fresh Python process then imports the function module, which loads
the index during init, and times `handle_webhook` on signed text events with a messenger that
only serializes the messages (the network to LINE is left out).

    python scripts/bench_webhook.py [--sizes 2000,20000] [--events 400] [--baseline REF]

Beside the times: requests per second and CPU per request of one warm process (the state and
search log in SQLite on disk, as in the local preview), the warm handling time as a multiple of
the search alone, and, with --baseline, cold init and requests per second as ratios to another
commit's, the two measured alternately in the same run on the same index.

`scripts/bench.py` prints this table too, through `section()`.
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

ROOT = Path(__file__).resolve().parent.parent
SECRET = "bench-channel-secret"
TARGET_COLD_S = 1.5
TARGET_WARM_P99_MS = 15.0
TARGET_MEMORY_MB = 512


def _write_workbook(size: int, path: Path) -> None:
    """The synthetic FAQs of scripts/bench.py as a real workbook file."""
    from openpyxl import Workbook

    from madoguchi.workbook.faq_sheet import FAQ_SPEC
    from scripts.bench import synthetic_workbook

    book = Workbook(write_only=True)
    sheet = book.create_sheet("FAQ")
    sheet.append(list(FAQ_SPEC.columns))
    for faq in synthetic_workbook(size).faqs:
        cells = {"ID": faq.id, "カテゴリ": faq.category, "質問": faq.question, "回答": faq.answer}
        sheet.append([cells.get(column, "") for column in FAQ_SPEC.columns])
    settings = book.create_sheet("設定")
    settings.append(["項目", "値"])
    settings.append(["自治体名", "星見ヶ丘市"])
    buffer = io.BytesIO()
    book.save(buffer)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(buffer.getvalue())


def _publish(size: int, root: Path) -> float:
    """Publish a workbook of `size` FAQs under `root`; returns the seconds it took."""
    from madoguchi.adapters.storage import LocalStorage
    from madoguchi.config import Config
    from madoguchi.publish import publish_upload

    config = Config.from_env({"MADOGUCHI_LOCAL_DIR": str(root)})
    _write_workbook(size, root / config.upload_prefix / "faq.xlsx")
    started = time.perf_counter()
    report = publish_upload(LocalStorage(root), config.upload_prefix + "faq.xlsx", config=config)
    if report.status.value != "published":
        raise SystemExit(f"benchmark workbook was not published: {report.log_fields()}")
    return time.perf_counter() - started


def peak_mb() -> float:
    """Peak resident memory of this process.

    Linux keeps ru_maxrss across exec, so a child started by a large parent would report the
    parent's peak; VmHWM belongs to this process's own memory map. Elsewhere, ru_maxrss.
    """
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    import resource

    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _child(root: Path, state: str = "state.sqlite3") -> dict:
    """Runs in a fresh process: cold init, then warm handling, then peak memory."""
    os.environ.update(
        {
            "MADOGUCHI_LOCAL_DIR": str(root),
            "MADOGUCHI_STATE_PATH": str(root / state),
            # The credentials the local preview uses: init reads them, and SSM is not reachable.
            "MADOGUCHI_LOCAL_CHANNEL_SECRET": SECRET,
            "MADOGUCHI_LOCAL_ACCESS_TOKEN": "token",
            "POWERTOOLS_METRICS_NAMESPACE": "MadoguchiBench",
            # Credentials as Lambda provides them, so boto3 never probes the network for any.
            "AWS_ACCESS_KEY_ID": "bench",
            "AWS_SECRET_ACCESS_KEY": "bench",
            "AWS_DEFAULT_REGION": "ap-northeast-1",
            "AWS_EC2_METADATA_DISABLED": "true",
        }
    )
    started = time.perf_counter()
    import functions.webhook.app as app  # init: imports, configuration, index load

    cold_init = time.perf_counter() - started
    if app.DEPS.index.current() is None:
        raise SystemExit("the function found no published index")

    from madoguchi.adapters.line_api import SendResult
    from madoguchi.adapters.secrets import LineCredentials
    from madoguchi.webhook import handle_webhook
    from madoguchi.wiring import webhook_deps
    from tests.support import line_events as ev

    class SerializingMessenger:
        """Does the CPU work of a send (building the JSON) and nothing else."""

        def reply(self, reply_token, messages, *, timeout=None):
            json.dumps([m.to_dict() for m in messages], ensure_ascii=False)
            return SendResult(True, 200)

    class MemoryState:
        def __init__(self):
            self.seen = set()

        def claim_event(self, event_id, ttl_seconds):
            if event_id in self.seen:
                return False
            self.seen.add(event_id)
            return True

    deps = webhook_deps(
        app.CONFIG,
        credentials=lambda: LineCredentials(SECRET, "token"),
        claims=MemoryState(),
        index=app.DEPS.index,
        messenger_for=lambda token: SerializingMessenger(),
    )
    queries = json.loads((root / "queries.json").read_text(encoding="utf-8"))
    bodies = [
        ev.signed_body(ev.text_event(q, reply_token=f"r{i}"), secret=SECRET)
        for i, q in enumerate(queries)
    ]
    for body, signature in bodies[:20]:  # warm-up, as a warm container would be
        handle_webhook(body, signature, deps=deps)
    deps.claims = MemoryState()
    timings = []
    answered = 0
    started_all, started_cpu = time.perf_counter(), time.process_time()
    for body, signature in bodies:
        started = time.perf_counter()
        outcome = handle_webhook(body, signature, deps=deps)
        timings.append((time.perf_counter() - started) * 1000)
        answered += sum(t.kind == "answer" for t in outcome.turns)
    wall_all = time.perf_counter() - started_all
    cpu_all = time.process_time() - started_cpu
    timings.sort()
    # The search alone on the same questions, as the webhook calls it (k=4), tokenization included.
    index = app.DEPS.index.current()
    searches = []
    for query in queries:
        index.analyzer.query_terms.cache_clear()
        started = time.perf_counter()
        index.search(query, k=4)
        searches.append((time.perf_counter() - started) * 1000)
    searches.sort()
    peak = peak_mb()
    # Timed after the peak is read, so a second index in memory does not inflate it.
    from madoguchi.publish import VersionStore
    from madoguchi.wiring import storage_for

    started = time.perf_counter()
    VersionStore(storage_for(app.CONFIG), app.CONFIG.index_prefix).load_index()
    index_load = time.perf_counter() - started
    started = time.perf_counter()
    import boto3  # not needed with local storage; in Lambda S3 storage loads it during init

    boto3.client("s3", region_name="ap-northeast-1")
    boto3_init = time.perf_counter() - started

    return {
        "cold_init_s": cold_init,
        "index_load_s": index_load,
        "boto3_s": boto3_init,
        "p50_ms": timings[len(timings) // 2],
        "p99_ms": timings[min(len(timings) - 1, int(len(timings) * 0.99))],
        "per_second": len(bodies) / wall_all,
        "cpu_ms": cpu_all * 1000 / len(bodies),
        "search_p50_ms": searches[len(searches) // 2],
        "answered": answered / len(timings),
        "peak_mb": peak,
    }


def _run_child(tree: Path, root: Path, state: str) -> dict:
    """The child on the code of `tree` (this checkout or a baseline's), with its own state file."""
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join(
        [str(tree / "layers" / "madoguchi"), str(tree), str(ROOT / "scripts")]
    )
    command = [sys.executable, __file__, "--child", str(root), state]
    done = subprocess.run(command, env=env, capture_output=True, text=True, check=False)
    if done.returncode != 0:
        raise SystemExit(f"benchmark process failed:\n{done.stderr}")
    return json.loads(done.stdout.strip().splitlines()[-1])


def measure(size: int, events: int, baseline: Path | None = None) -> dict:
    """Publish, then measure in a fresh process; with a baseline tree, that tree's code too,
    alternately (two rounds each, the better kept), on the same index and questions."""
    with tempfile.TemporaryDirectory(prefix="madoguchi-bench-") as folder:
        root = Path(folder)
        publish_s = _publish(size, root)
        from scripts.bench import synthetic_queries, synthetic_workbook

        queries = synthetic_queries(synthetic_workbook(size), events)
        (root / "queries.json").write_text(json.dumps(queries, ensure_ascii=False), "utf-8")
        if baseline is None:
            figures = _run_child(ROOT, root, "state.sqlite3")
        else:
            runs, before = [], []
            for n in range(2):
                before.append(_run_child(baseline, root, f"baseline-{n}.sqlite3"))
                runs.append(_run_child(ROOT, root, f"state-{n}.sqlite3"))
            figures = max(runs, key=lambda f: f["per_second"])
            best = max(before, key=lambda f: f["per_second"])
            figures["baseline_per_second"] = best["per_second"]
            figures["baseline_cpu_ms"] = best["cpu_ms"]
        figures["publish_s"] = publish_s
        return figures


def rows_for(
    sizes: list[int], events: int, baseline: Path | None = None
) -> list[dict[str, object]]:
    """One table row per size."""
    rows: list[dict[str, object]] = []
    for size in sizes:
        f = measure(size, events, baseline)
        compared = {}
        if baseline is not None:
            compared["requests/s ÷ baseline's"] = (
                f"{f['per_second'] / f['baseline_per_second']:.1f}× "
                f"({f['baseline_per_second']:.0f}/s, {f['baseline_cpu_ms']:.2f} ms)"
            )
        rows.append(
            {
                "FAQs": f"{size:,}",
                "cold init (imports + index)": f"{f['cold_init_s']:.2f} s",
                "of which index load": f"{f['index_load_s'] * 1000:.0f} ms",
                "+ boto3/S3 client": f"{f['boto3_s'] * 1000:.0f} ms",
                "warm p50 / p99": f"{f['p50_ms']:.2f} / {f['p99_ms']:.2f} ms",
                "requests/s, CPU per request": f"{f['per_second']:.0f}/s, {f['cpu_ms']:.2f} ms",
                **compared,
                "warm p50 ÷ search p50": f"{f['p50_ms'] / f['search_p50_ms']:.1f}×",
                "answered": f"{f['answered']:.0%}",
                "peak RSS": f"{f['peak_mb']:.0f} MB",
            }
        )
        print(f"  … webhook at {size:,} FAQs done", file=sys.stderr, flush=True)
    return rows


IMPORT_ENV = {
    "MADOGUCHI_LOCAL_CHANNEL_SECRET": SECRET,
    "MADOGUCHI_LOCAL_ACCESS_TOKEN": "token",
    "POWERTOOLS_METRICS_NAMESPACE": "MadoguchiBench",
}


def _init_seconds(tree: Path, root: Path) -> float:
    """Cold init of the webhook function of a source tree: `python -X importtime`'s cumulative
    time of functions.webhook.app (its imports and its init: configuration, index load)."""
    env = {
        **os.environ,
        **IMPORT_ENV,
        "MADOGUCHI_LOCAL_DIR": str(root),
        "MADOGUCHI_STATE_PATH": str(root / "state.sqlite3"),
        "PYTHONPATH": os.pathsep.join([str(tree / "layers" / "madoguchi"), str(tree)]),
    }
    command = [sys.executable, "-X", "importtime", "-c", "import functions.webhook.app"]
    done = subprocess.run(command, env=env, capture_output=True, text=True, check=True, cwd=tree)
    for line in done.stderr.splitlines():
        if line.endswith("| functions.webhook.app"):
            return int(line.split("|")[1]) / 1e6
    raise SystemExit("no import time for functions.webhook.app")


def extract(ref: str, into: Path) -> Path:
    """The source tree of a git commit, for measuring it beside this checkout."""
    into.mkdir(parents=True)
    archive = subprocess.run(["git", "archive", ref], cwd=ROOT, capture_output=True, check=True)
    subprocess.run(["tar", "-x", "-C", str(into)], input=archive.stdout, check=True)
    return into


def init_ratio(old: Path, size: int = 2000, rounds: int = 7) -> dict[str, float]:
    """Cold init of this tree and of the baseline tree `old`, alternated in one run (so both
    see the same machine and load), on the same published index: medians and their ratio."""
    with tempfile.TemporaryDirectory(prefix="madoguchi-init-") as folder:
        root = Path(folder) / "root"
        _publish(size, root)
        ours, theirs = [], []
        for _ in range(rounds):
            theirs.append(_init_seconds(old, root))
            ours.append(_init_seconds(ROOT, root))
    import statistics

    now, before = statistics.median(ours), statistics.median(theirs)
    return {"now_s": now, "baseline_s": before, "ratio": now / before}


def section(args: argparse.Namespace | None = None) -> tuple[str, list[dict[str, object]]]:
    """The table for scripts/bench.py (always 2,000 and 20,000 FAQs, the webhook's targets)."""
    return section_title(), rows_for([2000, 20000], 400)


def main(argv: list[str] | None = None) -> int:
    """Print the table."""
    if argv is None and sys.argv[1:2] == ["--child"]:
        print(json.dumps(_child(Path(sys.argv[2]), *sys.argv[3:4])))
        return 0
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--sizes", type=lambda s: [int(x) for x in s.split(",")], default=[2000, 20000]
    )
    parser.add_argument("--events", type=int, default=400)
    parser.add_argument(
        "--baseline",
        metavar="GIT_REF",
        help="also measure this commit, alternately in the same run: cold init (-X importtime) "
        "and requests/s",
    )
    args = parser.parse_args(argv)
    from scripts.bench import print_table

    with tempfile.TemporaryDirectory(prefix="madoguchi-baseline-") as folder:
        old = extract(args.baseline, Path(folder) / "tree") if args.baseline else None
        if old is not None:
            figures = init_ratio(old)
            print(
                f"cold init at 2,000 FAQs (median of 7, -X importtime): {figures['now_s']:.2f} s,"
                f" {args.baseline}: {figures['baseline_s']:.2f} s, ratio {figures['ratio']:.2f}"
            )
        rows = rows_for(args.sizes, args.events, old)
    print_table(section_title(), rows)
    return 0


def section_title() -> str:
    """Heading of the table."""
    from scripts.bench import machine

    return (
        f"Webhook (targets: cold init ≤ {TARGET_COLD_S} s, warm p99 ≤ {TARGET_WARM_P99_MS:.0f} ms "
        f"at 2,000 FAQs, 20,000 FAQs within {TARGET_MEMORY_MB} MB; SQLite state on disk; "
        f"{machine()})"
    )


if __name__ == "__main__":
    sys.exit(main())
