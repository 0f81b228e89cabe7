"""How well the personal-data filter (madoguchi.learning.personal) does on its dev set.

tests/data/personal_data.jsonl holds forms of personal data residents may type (must all be
caught: never learned, masked in reports and mails) and harmless look-alikes with numbers, dates
and places (must still be learned). Printed: forms let through and look-alikes lost, with
Sudachi's person names (the indexer, which learns) and without (the webhook's mails), and how
many of the hard dev set's ordinary questions the filter would keep from being learned.

    python scripts/evaluate_personal.py [--each]
"""

from __future__ import annotations

import argparse
import json
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

from madoguchi.learning.personal import has_personal_data, mask_personal

ROOT = Path(__file__).resolve().parent.parent
DEV_SET = ROOT / "tests" / "data" / "personal_data.jsonl"
# Ordinary questions: the hard dev set (seen while the patterns were written) and the blind and
# kana sets (not looked at), so the share of ordinary questions the filter keeps from learning
# is measured on questions the patterns were not fitted to.
ORDINARY: dict[str, tuple[Path, ...]] = {
    "hard dev": (ROOT / "tests" / "data" / "hard_dev.jsonl",),
    "blind + kana": (
        ROOT / "tests" / "data" / "blind_questions.jsonl",
        ROOT / "tests" / "data" / "kana_questions.jsonl",
    ),
}


@dataclass(frozen=True)
class Example:
    """One dev-set line: a text, whether it holds personal data, and which kind."""

    text: str
    personal: bool
    kind: str


def load(path: Path = DEV_SET) -> list[Example]:
    """The dev set."""
    lines = path.read_text(encoding="utf-8").splitlines()
    return [Example(**json.loads(line)) for line in lines if line.strip()]


@dataclass(frozen=True)
class Scores:
    """Forms let through and look-alikes lost, out of how many."""

    forms: int
    through: list[Example]
    alikes: int
    lost: list[Example]

    @property
    def lost_share(self) -> float:
        return len(self.lost) / self.alikes if self.alikes else 0.0


def score(examples: list[Example], *, dictionary: bool) -> Scores:
    """Judge every example with the filter."""
    through = [
        e for e in examples if e.personal and not has_personal_data(e.text, dictionary=dictionary)
    ]
    lost = [
        e for e in examples if not e.personal and has_personal_data(e.text, dictionary=dictionary)
    ]
    forms = sum(e.personal for e in examples)
    return Scores(forms, through, len(examples) - forms, lost)


def ordinary_dropped(paths: tuple[Path, ...], *, dictionary: bool) -> tuple[int, list[str]]:
    """How many ordinary questions the filter would not learn, and which."""
    queries = [
        json.loads(line)["query"]
        for path in paths
        for line in path.read_text(encoding="utf-8").splitlines()
        if line.strip()
    ]
    return len(queries), [q for q in queries if has_personal_data(q, dictionary=dictionary)]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--each", action="store_true", help="list every miss and every drop")
    args = parser.parse_args(argv)
    examples = load()
    kinds = Counter(e.kind for e in examples if e.personal)
    print(
        f"dev set: {sum(kinds.values())} forms ({', '.join(f'{k} {n}' for k, n in kinds.items())}),"
        f" {sum(not e.personal for e in examples)} look-alikes"
    )
    print(
        "| filter | forms through (target 0) | look-alikes lost (target ≤ 5%) |"
        + "".join(f" {set_name} questions not learned |" for set_name in ORDINARY)
    )
    print("|---|---|---|" + "---|" * len(ORDINARY))
    worst = 0
    for dictionary, name in (
        (True, "with Sudachi person names (indexer)"),
        (False, "patterns alone (webhook)"),
    ):
        scores = score(examples, dictionary=dictionary)
        dropped = {
            name: ordinary_dropped(paths, dictionary=dictionary) for name, paths in ORDINARY.items()
        }
        print(
            f"| {name} | {len(scores.through)} of {scores.forms} |"
            f" {len(scores.lost)} of {scores.alikes} ({scores.lost_share:.1%}) |"
            + "".join(f" {len(q)} of {n} ({len(q) / n:.1%}) |" for n, q in dropped.values())
        )
        if args.each:
            for e in scores.through:
                print(f"    through ({e.kind}): {e.text}")
            for e in scores.lost:
                print(f"    lost: {e.text} -> {mask_personal(e.text, dictionary=dictionary)}")
            for set_name, (_, queries) in dropped.items():
                for q in queries:
                    print(
                        f"    {set_name} not learned: {q}"
                        f" -> {mask_personal(q, dictionary=dictionary)}"
                    )
        if dictionary:
            worst = len(scores.through) + (scores.lost_share > 0.05)
    return 1 if worst else 0


if __name__ == "__main__":
    raise SystemExit(main())
