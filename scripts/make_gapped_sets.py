"""Write the gapped variants of the realistic dev sets: the FAQs to remove from the sample.

    python scripts/make_gapped_sets.py [--check]

For tests/data/hard_dev.jsonl and tests/data/blind_questions_judged.jsonl it chooses the FAQs
whose removal leaves about a sixth of the answerable questions without a right FAQ
(madoguchi_dev.gapped, reproducible) and writes tests/data/gapped_<set>.json. `scripts/evaluate.py
--gapped` then measures against the sample workbook without them. --check only compares.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from madoguchi_dev.gapped import choose_removed, describe, gapped_file
from madoguchi_dev.resident_view import read_questions

SETS = (Path("tests/data/hard_dev.jsonl"), Path("tests/data/blind_questions_judged.jsonl"))


def main(argv: list[str] | None = None) -> int:
    """Choose, then write (or check) each set's list."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="only check the files are current")
    args = parser.parse_args(argv)
    stale = 0
    for queries in SETS:
        questions = read_questions(queries)
        listed = describe(questions, choose_removed(questions), queries.name)
        text = json.dumps(listed, ensure_ascii=False, indent=1) + "\n"
        target = gapped_file(queries)
        if args.check:
            current = target.read_text(encoding="utf-8") if target.exists() else ""
            stale += current != text
            print(f"{target}: {'ok' if current == text else 'out of date'}")
            continue
        target.write_text(text, encoding="utf-8")
        print(
            f"{target}: {len(listed['removed_ids'])} FAQs removed, "
            f"{listed['lost_right_faq']} of {listed['answerable_before']} answerable questions "
            f"lose their right FAQ; {listed['without_right_faq']} of {listed['questions']} "
            "have none"
        )
    return 1 if stale else 0


if __name__ == "__main__":
    sys.exit(main())
