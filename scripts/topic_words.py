"""What one- and two-word messages get: a topic's questions to choose from, or one answer.

    python scripts/topic_words.py [--workbook faq/faq.xlsx] [--words tests/data/topic_words.jsonl]
        [--queries tests/data/hard_dev.jsonl] [--lexical]

For each message of the topic-word set (kind `topic`: a word that names a topic; `specific`: one
word for one FAQ) the reply the webhook gives is worked out with its own decision step
(read_message with the index's topic lookup, then the search's reply policy), and counted: a topic
list, one answer, choices, or "not found", and whether a FAQ the resident would accept is shown
(and, for one answer, whether it is acceptable). Then the ordinary questions of the hard dev set
(all, and its keyword-style ones) that would be turned into a topic list, and how many of those
lists hold a right FAQ; and how often the 「もしかして」 questions under "not found" hold one.
"""

from __future__ import annotations

import argparse
import contextlib
import io
import json
import sys
import time
from collections import Counter
from pathlib import Path

from madoguchi.conversation.message_kind import MessageKind, read_message
from madoguchi.conversation.search_reply import ReplyKind
from madoguchi.conversation.topic_reply import shown_faqs
from madoguchi.search import SearchIndex, build_index
from madoguchi_dev.e5 import scripts_embedder
from madoguchi_dev.evaluation import read_workbook
from madoguchi_dev.resident_view import SHOWN, reply_to

TOPIC_LIST = "topic list"


def reply_of(index: SearchIndex, text: str) -> tuple[str, tuple[str, ...]]:
    """The kind of reply a message gets and the FAQ IDs it shows (the answer first)."""
    reading = read_message(text, with_staff=False, can_hand_over=False, topic_of=index.topic)
    if reading.kind is MessageKind.TOPIC and reading.topic is not None:
        return TOPIC_LIST, shown_faqs(reading.topic)
    reply = reply_to(index.search(text, k=SHOWN))
    return reply.kind.value, tuple(f.id for f in reply.faqs)


def main(argv: list[str] | None = None) -> int:
    """Print the counts."""
    parser = argparse.ArgumentParser(description="ひとこと・ふたことの言葉への返事を数えます。")
    parser.add_argument("--workbook", type=Path, default=Path("faq/faq.xlsx"))
    parser.add_argument("--words", type=Path, default=Path("tests/data/topic_words.jsonl"))
    parser.add_argument("--queries", type=Path, default=Path("tests/data/hard_dev.jsonl"))
    parser.add_argument("--lexical", action="store_true", help="BM25 alone, no semantic signal")
    args = parser.parse_args(argv)
    with contextlib.redirect_stderr(io.StringIO()):
        workbook, _ = read_workbook(args.workbook)
    index = build_index(workbook, embedder=scripts_embedder(args.lexical))
    words = [json.loads(line) for line in args.words.read_text("utf-8").splitlines() if line]
    print(f"{len(index.faqs)} FAQs; {'semantic signal on' if index.semantic else 'BM25 alone'}")
    print(f"\n{args.words} ({len(words)} messages)")
    print(f"{'kind':<10}{'n':>4}{'topic list':>12}{'answer':>8}{'choices':>9}{'nothing':>9}"
          f"{'shown ok':>10}{'answer ok':>11}")  # fmt: skip
    for kind in ("topic", "specific"):
        items = [w for w in words if w["kind"] == kind]
        counts: Counter[str] = Counter()
        shown_ok = answer_ok = 0
        for item in items:
            reply, shown = reply_of(index, item["query"])
            counts[reply] += 1
            acceptable = set(item["relevant_ids"])
            shown_ok += bool(acceptable & set(shown))
            answer_ok += reply == ReplyKind.ANSWER.value and shown[0] in acceptable
        print(
            f"{kind:<10}{len(items):>4}{counts[TOPIC_LIST]:>12}{counts['answer']:>8}"
            f"{counts['choices']:>9}{counts['nothing_close']:>9}{shown_ok:>10}{answer_ok:>11}"
        )
    questions = [json.loads(line) for line in args.queries.read_text("utf-8").splitlines() if line]
    print(f"\n{args.queries}: ordinary questions turned into a topic list")
    for name, chosen in (
        ("all", questions),
        ("keyword style", [q for q in questions if q.get("style") == "keyword"]),
    ):
        listed = []
        for question in chosen:
            reply, shown = reply_of(index, question["query"])
            if reply == TOPIC_LIST:
                listed.append((question, shown))
        holding = sum(bool(set(q["relevant_ids"]) & set(s)) for q, s in listed)
        print(f"  {name:<14}{len(listed):>4} of {len(chosen):<4} (a right FAQ in {holding})")
        for question, shown in listed:
            print(
                f"    {question['query']}  right {question['relevant_ids']}  listed {list(shown)}"
            )
    # The next step of "not found": how often its もしかして questions hold a right FAQ.
    replies = [(q, reply_to(index.search(q["query"], k=SHOWN))) for q in questions]
    missed = [(q, {f.id for f in r.maybe}) for q, r in replies if r.kind is ReplyKind.NOTHING_CLOSE]
    answerable = [(q, maybe) for q, maybe in missed if q["relevant_ids"]]
    print(
        f"\n{args.queries}: {len(missed)} not found; もしかして offered to "
        f"{sum(bool(maybe) for _, maybe in missed)}, holding a right FAQ for "
        f"{sum(bool(set(q['relevant_ids']) & maybe) for q, maybe in answerable)} of the "
        f"{len(answerable)} that have one"
    )
    # What the lookup adds to each message before its search (every message of both sets).
    texts = [w["query"] for w in words] + [q["query"] for q in questions]
    times = []
    for text in texts:
        started = time.perf_counter()
        index.topic(text)
        times.append((time.perf_counter() - started) * 1000)
    times.sort()
    print(
        f"topic lookup per message: median {times[len(times) // 2]:.3f} ms, "
        f"p99 {times[int(len(times) * 0.99)]:.3f} ms, max {times[-1]:.3f} ms "
        f"({len(times)} messages)"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
