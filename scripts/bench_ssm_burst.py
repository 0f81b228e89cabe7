"""A burst of webhook cold starts against SSM's default throughput (`make bench ONLY=...` does not
run it; run it directly).

    python scripts/bench_ssm_burst.py [--starts 200] [--tps 40]

Each simulated environment reads the webhook's three parameters (channel secret, access token,
log salt) through madoguchi.adapters.secrets.KeptParameters from a stub that answers at most
--tps GetParameter calls a second (a token bucket with one second of burst, like SSM's default
40 TPS) and throttles the rest with ThrottlingException. All environments start at once.

Scenarios:
- restored: SnapStart restores whose cached values have aged (the template's setting): every
  environment already holds the values read at init and must refresh them.
- fresh: environments that never read the values (SnapStart off, or the first start of a version).
- fresh, no backoff: the same with a single try, as before backoff and jitter.
A request fails (the webhook's 500) when its environment cannot get all three values.
"""

from __future__ import annotations

import argparse
import logging
import threading
import time

from botocore.exceptions import ClientError

from madoguchi.adapters.secrets import KeptParameters

NAMES = (
    "/madoguchi/prod/line/channel-secret",
    "/madoguchi/prod/line/access-token",
    "/madoguchi/prod/log-salt",
)


class ThrottlingSsm:
    """At most `tps` GetParameter calls a second (one second of burst), else throttled."""

    def __init__(self, tps: float) -> None:
        self.tps = tps
        self.tokens = tps
        self.at = time.monotonic()
        self.lock = threading.Lock()
        self.calls = 0
        self.throttled = 0

    def __call__(self, name: str, max_age: int) -> str:
        with self.lock:
            now = time.monotonic()
            self.tokens = min(self.tps, self.tokens + (now - self.at) * self.tps)
            self.at = now
            self.calls += 1
            if self.tokens < 1:
                self.throttled += 1
                raise ClientError(
                    {"Error": {"Code": "ThrottlingException", "Message": "Rate exceeded"}},
                    "GetParameter",
                )
            self.tokens -= 1
        return "value-" + name


def run(starts: int, tps: float, scenario: str) -> dict:
    ssm = ThrottlingSsm(tps)
    ssm.tokens = 0 if scenario == "restored" else tps  # restored: the bucket was just drained
    failures = 0
    slowest = 0.0
    lock = threading.Lock()
    barrier = threading.Barrier(starts)

    def environment() -> None:
        nonlocal failures, slowest
        reader = KeptParameters(fetch=ssm)
        if scenario == "restored":
            reader._kept.update({name: "value-" + name for name in NAMES})
        barrier.wait()
        began = time.monotonic()
        try:
            for name in NAMES:
                if scenario == "fresh, no backoff":
                    ssm(name, 300)
                else:
                    reader.read(name)
        except ClientError:
            with lock:
                failures += 1
        with lock:
            slowest = max(slowest, time.monotonic() - began)

    threads = [threading.Thread(target=environment) for _ in range(starts)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return {
        "scenario": scenario,
        "starts": starts,
        "requests_failed": failures,
        "ssm_calls": ssm.calls,
        "throttled": ssm.throttled,
        "slowest_s": round(slowest, 3),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--starts", type=int, default=200)
    parser.add_argument("--tps", type=float, default=40.0)
    args = parser.parse_args()
    logging.disable(logging.WARNING)  # one "refresh failed" warning per environment otherwise
    print(f"{args.starts} environments starting at once, SSM at {args.tps:g} GetParameter/s")
    for scenario in ("restored", "fresh", "fresh, no backoff"):
        figures = run(args.starts, args.tps, scenario)
        print(
            f"{scenario:18} failed requests {figures['requests_failed']:4d} / {args.starts}"
            f"   SSM calls {figures['ssm_calls']:4d} (throttled {figures['throttled']:4d})"
            f"   slowest start {figures['slowest_s']:.2f} s"
        )


if __name__ == "__main__":
    main()
