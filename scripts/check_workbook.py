"""Check an FAQ workbook the way the indexer will, and print the Japanese report for staff.

Work is bounded as in the indexer: a file too large, or holding more strings or cells than a
FAQ workbook can need, is refused within a second instead of keeping staff waiting.

Exit status: 0 publishable (warnings allowed), 1 not publishable, 2 usage error.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from madoguchi.workbook import ValidationResult, format_report_ja, validate_workbook
from madoguchi.workbook.safe_open import MAX_FILE_BYTES, too_large


def main(argv: list[str] | None = None) -> int:
    """Validate the file named on the command line and print the report."""
    parser = argparse.ArgumentParser(
        description="FAQワークブック(faq.xlsx)を公開前にチェックします。",
    )
    parser.add_argument("path", type=Path, help="チェックするワークブック(.xlsx)")
    args = parser.parse_args(argv)
    path: Path = args.path
    try:
        size = path.stat().st_size
        # Refused by its size alone: reading gigabytes into memory would only be slow.
        data = b"" if size > MAX_FILE_BYTES else path.read_bytes()
    except OSError as exc:
        parser.error(f"ファイルを開けません: {path} ({exc.strerror or exc})")
    if size > MAX_FILE_BYTES:
        result = ValidationResult(workbook=None, problems=[too_large(size)])
    else:
        result = validate_workbook(data, filename=path.name)
    print(f"ファイル: {path}")
    print(format_report_ja(result), end="")
    return 0 if result.ok else 1


if __name__ == "__main__":
    sys.exit(main())
