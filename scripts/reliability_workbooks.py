"""Try every kind of broken and hostile workbook and print the README's Reliability row.

The kinds are the ones tests/unit/test_workbook_hostile.py asserts (tests/support/
hostile_workbooks.py): each is built for real, validated, and its report rendered, as the indexer
and scripts/check_workbook.py do. Printed: kinds tried, how many were refused and published
(validated OK), tracebacks (must be 0), outcomes other than expected, and the slowest validation.

    python scripts/reliability_workbooks.py [--each]
"""

from __future__ import annotations

import argparse
import sys
import time
import traceback

from madoguchi.workbook import format_report_ja, validate_workbook
from tests.support.hostile_workbooks import KINDS, PUBLISHED

HEADER = (
    "| tried | how many | handled | failures (must be 0) | slowest | measured by |\n"
    "|---|---|---|---|---|---|"
)


def try_all(each: bool) -> int:
    """Run every kind and print the table; exit status 1 on a traceback or unexpected outcome."""
    refused = published = tracebacks = unexpected = 0
    slowest, slowest_name = 0.0, ""
    for kind in KINDS:
        data = kind.build()
        started = time.perf_counter()
        try:
            result = validate_workbook(data)
            format_report_ja(result).encode("utf-8")
        except Exception:
            tracebacks += 1
            print(f"TRACEBACK in {kind.name}:\n{traceback.format_exc()}", file=sys.stderr)
            continue
        seconds = time.perf_counter() - started
        if seconds > slowest:
            slowest, slowest_name = seconds, kind.name
        outcome = PUBLISHED if result.ok else "refused"
        published += result.ok
        refused += not result.ok
        unexpected += outcome != kind.outcome
        if each:
            found = result.errors or result.warnings
            said = found[0].message[:60] if found else ""
            print(f"{seconds:7.3f} s  {outcome:9}  {kind.name}: {said}", file=sys.stderr)
    print(HEADER)
    print(
        f"| broken and hostile workbooks | {len(KINDS)} kinds "
        f"| {refused} refused with the cause and fix, {published} published (validated OK) "
        f"| {tracebacks} tracebacks, {unexpected} unexpected outcomes "
        f"| {slowest:.2f} s ({slowest_name}) | `scripts/reliability_workbooks.py` |"
    )
    return 1 if tracebacks or unexpected else 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--each", action="store_true", help="also list every kind (on stderr)")
    return try_all(parser.parse_args(argv).each)


if __name__ == "__main__":
    sys.exit(main())
