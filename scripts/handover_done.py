"""How well "I no longer need staff" is understood during a hand-over: the dev list
tests/data/handover_done.jsonl (ways to say it, and messages that must stay with staff) read
through the one decision step, conversation/message_kind.read_message.

    python scripts/handover_done.py [--data tests/data/handover_done.jsonl] [--show]
"""

from __future__ import annotations

import argparse
import json
import sys
from dataclasses import dataclass, field
from pathlib import Path

from madoguchi.conversation.message_kind import MessageKind, read_message

DEV_LIST = Path(__file__).resolve().parent.parent / "tests" / "data" / "handover_done.jsonl"


@dataclass
class Judged:
    """The dev list against the decision step: what was missed and what was wrongly taken."""

    done: int = 0  # messages that should end the hand-over
    stay: int = 0  # messages that must stay with staff
    missed: list[str] = field(default_factory=list)
    wrongly_ended: list[str] = field(default_factory=list)

    @property
    def recognised(self) -> int:
        return self.done - len(self.missed)


def ends_handover(text: str) -> bool:
    """Whether this message, written while staff have the conversation, gives it back to the bot."""
    reading = read_message(text, with_staff=True, can_hand_over=True)
    return reading.kind is MessageKind.BACK_TO_BOT


def judge(rows: list[dict[str, object]]) -> Judged:
    judged = Judged()
    for row in rows:
        text, done = str(row["text"]), bool(row["done"])
        ended = ends_handover(text)
        if done:
            judged.done += 1
            if not ended:
                judged.missed.append(text)
        else:
            judged.stay += 1
            if ended:
                judged.wrongly_ended.append(text)
    return judged


def read_rows(path: Path) -> list[dict[str, object]]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="職員対応中の「もういいです」の理解を数えます。")
    parser.add_argument("--data", type=Path, default=DEV_LIST)
    parser.add_argument("--show", action="store_true", help="取りこぼしと誤判定を表示します")
    args = parser.parse_args(argv)
    judged = judge(read_rows(args.data))
    print(f"ends the hand-over: {judged.recognised}/{judged.done} recognised")
    print(f"stays with staff:   {len(judged.wrongly_ended)}/{judged.stay} wrongly ended")
    if args.show:
        for text in judged.missed:
            print(f"  missed: {text}")
        for text in judged.wrongly_ended:
            print(f"  wrongly ended: {text}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
