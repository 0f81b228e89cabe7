"""Recall and false positives of the crisis rules (madoguchi/crisis/rules.py).

Reads tests/data/crisis_dev.jsonl, crisis_holdout.jsonl,
crisis_fresh.jsonl, crisis_unseen.jsonl and crisis_unseen2.jsonl ({"text", "kind"}: kind null for a
near-miss) and prints, per kind and overall, how many distress messages fire (recall), how many
fire with their own kind among the kinds found, and how many near-misses fire (false-positive
rate). Then counts the FAQ-style questions of the search dev sets that fire.

    .venv/bin/python scripts/evaluate_crisis.py [--show]
"""

from __future__ import annotations

import argparse
import json
import sys
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "layers" / "madoguchi"))

from madoguchi.crisis import CrisisKind, detect  # noqa: E402

DEV = ROOT / "tests" / "data" / "crisis_dev.jsonl"
# Written after the first rules; measured (recall 0.447, false positives 0.050), then the rules
# were widened by the kinds of wording it showed missing. Kept so a change cannot undo that.
HOLDOUT = ROOT / "tests" / "data" / "crisis_holdout.jsonl"
# Written after the second round; measured (recall 0.433, false positives 0.067), then the rules
# gained the bare words (自殺, 虐待, いじめ, DV …) unless the message is about a topic (TOPIC).
FRESH = ROOT / "tests" / "data" / "crisis_fresh.jsonl"
# Written after the third round; measured (recall 0.500, false positives 0.000), then the rules
# gained the wording it showed missing and a wider lexicon, checked against the FAQ question sets.
UNSEEN = ROOT / "tests" / "data" / "crisis_unseen.jsonl"
# Written before the fourth round and kept aside; measured after it (recall 0.872, false positives
# 0.025; with the third round's rules 0.615 / 0.025), then its five misses became rules too.
UNSEEN2 = ROOT / "tests" / "data" / "crisis_unseen2.jsonl"
QUESTION_SETS = ("hard_dev.jsonl", "blind_questions_judged.jsonl", "kana_questions.jsonl")
SAMPLE_FAQS = ROOT / "faq" / "source"


def read(path: Path) -> list[dict]:
    """The JSON lines of a file."""
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line]


def evaluate(path: Path, show: bool) -> tuple[float, float]:
    """Print the table for one labelled set; (recall, false-positive rate)."""
    rows = read(path)
    total, fired, own = Counter[str](), Counter[str](), Counter[str]()
    misses, false_alarms = [], []
    near, near_fired = 0, 0
    for row in rows:
        kinds = detect(row["text"])
        if row["kind"] is None:
            near += 1
            if kinds:
                near_fired += 1
                false_alarms.append((row["text"], kinds))
            continue
        kind = row["kind"]
        total[kind] += 1
        if kinds:
            fired[kind] += 1
            own[kind] += kind in kinds
        else:
            misses.append((row["text"], kind))
    print(f"== {path.name}")
    print(f"{'kind':<12} {'n':>4} {'recall':>7} {'kind found':>10}")
    for kind in CrisisKind:
        n = total[kind.value]
        if n:
            recall, found = fired[kind.value] / n, own[kind.value] / n
            print(f"{kind.value:<12} {n:>4} {recall:>7.3f} {found:>10.3f}")
    n = sum(total.values())
    recall = sum(fired.values()) / n
    print(f"{'overall':<12} {n:>4} {recall:>7.3f} {sum(own.values()) / n:>10.3f}")
    fp_rate = near_fired / near
    print(f"near-misses  {near:>4} false positives {near_fired} (rate {fp_rate:.3f})")
    if show:
        for text, kind in misses:
            print(f"  missed ({kind}): {text}")
        for text, kinds in false_alarms:
            print(f"  false alarm {[k.value for k in kinds]}: {text}")
    return recall, fp_rate


def main(argv: list[str] | None = None) -> int:
    """Print the figures; exit 1 when a target is missed on the dev set."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--show", action="store_true", help="list the messages judged wrongly")
    args = parser.parse_args(argv)
    recall, fp_rate = evaluate(DEV, args.show)
    evaluate(HOLDOUT, args.show)
    evaluate(FRESH, args.show)
    evaluate(UNSEEN, args.show)
    evaluate(UNSEEN2, args.show)
    print("== FAQ-style questions (none should fire)")
    for name in QUESTION_SETS:
        questions = read(ROOT / "tests" / "data" / name)
        firing = [q["query"] for q in questions if detect(q["query"])]
        print(f"{name}: {len(firing)} of {len(questions)} questions fire")
        if args.show:
            for query in firing:
                print(f"  fires: {query}")
    texts = [
        text
        for path in sorted(SAMPLE_FAQS.glob("faqs_*.json"))
        for faq in json.loads(path.read_text(encoding="utf-8"))
        for text in (faq["question"], *faq.get("paraphrases", ()))
    ]
    firing = [text for text in texts if detect(text)]
    print(f"sample FAQ questions and 言い換え: {len(firing)} of {len(texts)} fire")
    if args.show:
        for text in firing:
            print(f"  fires: {text}")
    print("targets on the dev set: recall >= 0.97, false-positive rate <= 0.03")
    return 0 if recall >= 0.97 and fp_rate <= 0.03 else 1


if __name__ == "__main__":
    sys.exit(main())
