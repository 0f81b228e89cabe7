"""Time a newcomer's first `make demo`: until the page answers, and until the chat can answer
(the first publish of the sample done), for the README's targets.

    python3 scripts/time_first_run.py [--repo DIR] [--port 8765]

Run it on a fresh clone (`git clone . /tmp/clone && python3 scripts/time_first_run.py --repo
/tmp/clone`) for the whole first run, .venv included, or again on the same clone for a start
with .venv there. Needs only Python's standard library; stops `make demo` with Ctrl-C's signal.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import signal
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from pathlib import Path

TARGET_PAGE_FRESH_S = 120.0
TARGET_PAGE_WITH_VENV_S = 30.0
TARGET_FIRST_PUBLISH_S = 15.0
TIMEOUT_S = 1800.0


def status_of(url: str) -> tuple[int | None, bytes]:
    """HTTP status and body of a GET, or (None, b"") when nothing answers yet."""
    try:
        with urllib.request.urlopen(url, timeout=2) as response:
            return response.status, response.read()
    except urllib.error.HTTPError as error:
        return error.code, error.read()
    except OSError:
        return None, b""


def main(argv: list[str] | None = None) -> int:
    """Start make demo, poll the page, print the times, stop it."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repo", type=Path, default=Path(__file__).resolve().parent.parent)
    parser.add_argument("--port", type=int, default=8765)
    args = parser.parse_args(argv)
    had_venv = (args.repo / ".venv" / ".installed").exists()
    base = f"http://127.0.0.1:{args.port}"
    started = time.monotonic()
    process = subprocess.Popen(
        ["make", "demo", f"PORT={args.port}"],
        cwd=args.repo,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        start_new_session=True,  # its own process group, stopped as a whole at the end
    )
    output: list[str] = []

    def read() -> None:
        assert process.stdout is not None
        for line in process.stdout:
            output.append(line)
            print(f"  | {line}", end="", flush=True)

    reader = threading.Thread(target=read, daemon=True)
    reader.start()
    page_at = ready_at = None
    try:
        while time.monotonic() - started < TIMEOUT_S and process.poll() is None:
            if page_at is None and status_of(base + "/")[0] == 200:
                page_at = time.monotonic() - started
            if page_at is not None:
                status, body = status_of(base + "/api/state")
                if status == 200 and json.loads(body).get("ready"):
                    ready_at = time.monotonic() - started
                    break
            time.sleep(0.2)
    finally:
        if process.poll() is None:
            os.killpg(process.pid, signal.SIGINT)
            try:
                process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)
        reader.join(timeout=5)
    if page_at is None or ready_at is None:
        print("make demo did not answer in time", file=sys.stderr)
        return 1
    published = re.search(r"最初の公開 ([\d.]+) 秒、CPU ([\d.]+) 秒", "".join(output))
    load = os.getloadavg()
    target = TARGET_PAGE_WITH_VENV_S if had_venv else TARGET_PAGE_FRESH_S
    wall, cpu = published.groups() if published else ("?", "?")
    print(
        f"{'with .venv' if had_venv else 'fresh clone (no .venv)'}: the page answered after "
        f"{page_at:.1f} s (target ≤ {target:.0f} s), the chat after {ready_at:.1f} s; "
        f"first publish of the sample {wall} s, CPU {cpu} s "
        f"(target ≤ {TARGET_FIRST_PUBLISH_S:.0f} s); load average {load[0]:.1f} / {load[1]:.1f}"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
