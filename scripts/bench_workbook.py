"""Workbook validation benchmark: seconds and peak memory of validate_workbook, printed as a table.

Each case is written to a file by one process and validated in a fresh one (so peak memory is
the validation's, not the building's): the sample workbook, the sample's rows repeated to 2,000
FAQs, and a workbook of three million shared strings (small on disk). Times are the best of
--repeat runs (wall and CPU), because this machine's two cores are shared.

    python scripts/bench_workbook.py [--cases sample,2000,strings-bomb] [--repeat 5]
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from scripts.bench_webhook import peak_mb  # VmHWM: ru_maxrss would carry a parent's peak

ROOT = Path(__file__).resolve().parent.parent
CASES = ("sample", "2000", "strings-bomb")


def case_bytes(case: str) -> bytes:
    """The workbook of one case."""
    if case == "strings-bomb":
        from tests.support.hostile_workbooks import strings_bomb

        return strings_bomb()
    from scripts.bench_indexer import workbook_bytes

    return workbook_bytes(case)


def child(path: str, repeat: int) -> dict[str, object]:
    """Inside a fresh process: validate the file `repeat` times and report the figures."""
    from madoguchi.workbook import validate_workbook

    data = Path(path).read_bytes()
    times: list[float] = []
    cpu: list[float] = []
    result = None
    for _ in range(repeat):
        started, started_cpu = time.perf_counter(), time.process_time()
        result = validate_workbook(data)
        times.append(time.perf_counter() - started)
        cpu.append(time.process_time() - started_cpu)
    assert result is not None
    return {
        "xlsx_kb": len(data) // 1024,
        "best_s": min(times),
        "median_s": sorted(times)[len(times) // 2],
        "best_cpu_s": min(cpu),
        "ok": result.ok,
        "first_problem": result.problems[0].message if result.problems else "",
        "peak_mb": peak_mb(),
    }


def run(args: list[str]) -> str:
    paths = [str(ROOT / "layers" / "madoguchi"), str(ROOT)]
    # A caller may put another checkout's layer first to measure that code with these workbooks.
    if os.environ.get("PYTHONPATH"):
        paths.insert(0, os.environ["PYTHONPATH"])
    env = dict(os.environ, PYTHONPATH=os.pathsep.join(paths))
    done = subprocess.run(
        [sys.executable, __file__, *args], cwd=ROOT, env=env, capture_output=True, text=True
    )
    if done.returncode:
        raise SystemExit(done.stderr)
    return done.stdout


def run_case(case: str, repeat: int, folder: Path) -> dict[str, Any]:
    path = folder / f"{case}.xlsx"
    run(["--build", case, "--to", str(path)])
    # The bomb takes minutes where it is not bounded: once is enough to show it.
    times = 1 if case == "strings-bomb" else repeat
    return json.loads(run(["--child", str(path), "--repeat", str(times)]).splitlines()[-1])


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cases", default=",".join(CASES))
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--child", help=argparse.SUPPRESS)
    parser.add_argument("--build", help=argparse.SUPPRESS)
    parser.add_argument("--to", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.build:
        Path(args.to).write_bytes(case_bytes(args.build))
        return 0
    if args.child:
        print(json.dumps(child(args.child, args.repeat), ensure_ascii=False))
        return 0
    print("| workbook | xlsx KB | wall s (best) | median s | CPU s (best) | peak MB | outcome |")
    print("|---|---|---|---|---|---|---|")
    with tempfile.TemporaryDirectory(prefix="madoguchi-bench-") as folder:
        for case in args.cases.split(","):
            f = run_case(case, args.repeat, Path(folder))
            outcome = "publishable" if f["ok"] else f"refused: {f['first_problem'][:40]}"
            print(
                f"| {case} | {f['xlsx_kb']:,} | {f['best_s']:.3f} | {f['median_s']:.3f} "
                f"| {f['best_cpu_s']:.3f} | {f['peak_mb']:.0f} | {outcome} |"
            )
    return 0


if __name__ == "__main__":
    sys.exit(main())
