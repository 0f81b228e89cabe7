"""Check an FAQ workbook the way the indexer will, and print the Japanese report for staff.

Exit status: 0 publishable (warnings allowed), 1 not publishable, 2 usage error.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from madoguchi.workbook import format_report_ja, validate_workbook


def main(argv: list[str] | None = None) -> int:
    """Validate the file named on the command line and print the report."""
    parser = argparse.ArgumentParser(
        description="FAQワークブック(faq.xlsx)を公開前にチェックします。",
    )
    parser.add_argument("path", type=Path, help="チェックするワークブック(.xlsx)")
    args = parser.parse_args(argv)
    path: Path = args.path
    try:
        data = path.read_bytes()
    except OSError as exc:
        parser.error(f"ファイルを開けません: {path} ({exc.strerror or exc})")
    result = validate_workbook(data, filename=path.name)
    print(f"ファイル: {path}")
    print(format_report_ja(result), end="")
    return 0 if result.ok else 1


if __name__ == "__main__":
    sys.exit(main())
