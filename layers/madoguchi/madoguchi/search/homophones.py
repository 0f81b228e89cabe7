"""Kanji typed with a slip of the same sound, read back into the FAQs' own words.

Residents pick the wrong kanji of the right sound (固定試算税 for 固定資産税, 非難所 for 避難所,
期日前当票 for 期日前投票), and neither BM25 nor e5 then finds the word the FAQ writes. A kanji
run of the question with a two-kanji piece that no FAQ writes is read aloud with a small table of
readings (data/kanji_readings.tsv, scripts/build_kanji_readings.py: common kanji words and each
kanji's readings, as Sudachi reads them), and a span of it whose reading is one of the FAQs' own
kanji words of the same length (KanaWords, made by the indexer) is replaced by that word when
every pair of the run then is one the FAQs write. Words the FAQs write are never touched, and
nothing is guessed where no FAQ word sounds the same.
"""

from __future__ import annotations

import itertools
import logging
import re
from collections.abc import Callable, Mapping
from functools import cache
from pathlib import Path

from madoguchi.search.kana_words import KanaWords
from madoguchi.search.normalize import KANJI_CHARS

logger = logging.getLogger(__name__)

DEFAULT_TABLE = Path(__file__).parent / "data" / "kanji_readings.tsv"
MAX_SPAN = 3  # kanji replaced at once: a slip is one kanji inside a word of two or three
# Longer runs of kanji are left as typed: no word is that long, and the work grows with the run.
MAX_RUN = 12
# Readings tried for one span read kanji by kanji (a kanji has a few, the product grows fast).
MAX_READINGS = 64
# Runs of kanji; 何 parts them: it goes before words freely (何持って, 3日何も), so a pair with it
# says nothing about a slip, and 何 is no slip itself.
_KANJI_RUN = re.compile(f"(?:(?!何)[{KANJI_CHARS}]){{2,}}")


class KanjiReadings:
    """Kanji word or single kanji -> its readings in hiragana, the most usual first."""

    def __init__(self, readings: Mapping[str, tuple[str, ...]]):
        self.readings = dict(readings)
        # Reading -> the words read so (じどう: 児童, 自動), for FAQ words of a sound that the
        # FAQs' most frequent word of that sound hides (KanaWords keeps one word a reading).
        self.words: dict[str, list[str]] = {}
        for written, reads in sorted(self.readings.items()):
            if len(written) > 1:
                for read in reads:
                    self.words.setdefault(read, []).append(written)

    def __len__(self) -> int:
        return len(self.readings)

    def of(self, span: str) -> list[str]:
        """How a span of kanji may be read: as the word it is, else kanji by kanji."""
        whole = self.readings.get(span)
        if whole:
            return list(whole)
        parts = [self.readings.get(char) for char in span]
        if not all(parts):
            return []
        combined = itertools.product(*(p for p in parts if p))
        return ["".join(reads) for reads in itertools.islice(combined, MAX_READINGS)]


def parse_table(text: str) -> KanjiReadings:
    """The table's lines: the word or kanji, a tab, its readings separated by commas."""
    readings = {}
    for line in text.splitlines():
        written, _, read = line.partition("\t")
        if written and read:
            readings[written] = tuple(r for r in read.split(",") if r)
    return KanjiReadings(readings)


def write_table(table: Mapping[str, list[str]], path: Path) -> None:
    """Write the table in a stable order (the build script's output)."""
    lines = [f"{word}\t{','.join(reads)}" for word, reads in sorted(table.items())]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


@cache
def table() -> KanjiReadings | None:
    """The layer's table, read once; None (logged once) when it cannot be read."""
    try:
        return parse_table(DEFAULT_TABLE.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError) as exc:
        reason = {"reason": str(exc)}
        logger.warning("no kanji readings: kanji are searched as typed", extra=reason)
        return None


def respelled(
    question: str, written: Callable[[str], bool], words: KanaWords, readings: KanjiReadings
) -> str | None:
    """The question with each mistyped kanji span replaced by the FAQ word of the same sound, or
    None when there is none. `written(pair)` tells whether some FAQ writes that pair of kanji."""
    if not words.words or not len(readings):
        return None
    # Each candidate is checked pair by pair, and most pairs of a run are checked again for every
    # one: ask the index once a pair.
    written = cache(written)
    changed = False

    def fix(match: re.Match[str]) -> str:
        nonlocal changed
        run = match.group()
        fixed = _mended(run, question[match.end() :], written, words, readings)
        if fixed is None:
            return run
        changed = True
        return fixed

    result = _KANJI_RUN.sub(fix, question)
    return result if changed else None


def _mended(
    run: str,
    after: str,
    written: Callable[[str], bool],
    words: KanaWords,
    readings: KanjiReadings,
) -> str | None:
    """The run with one span replaced by the FAQ word of the same sound, when that makes every
    pair of the run one the FAQs write; None otherwise.

    A run is mended only as a whole, so two words side by side (電気代|高すぎ) are not taken for
    one mistyped word; a word of everyday Japanese (公衆) is replaced only inside a longer run
    (固定試算税), where the rest of the run shows which word was meant; and the run's last kanji
    is left alone when kana of a verb or an adjective follow it (住む, 高すぎ).
    """
    if len(run) > MAX_RUN or _written_throughout(run, written):
        return None
    last = len(run) if _ends_word(after) else len(run) - 1
    for size in range(min(MAX_SPAN, len(run)), 1, -1):
        for begin in range(0, last - size + 1):
            span = run[begin : begin + size]
            if span in readings.readings and size == len(run):
                continue  # a real word standing alone: nothing tells it was mistyped
            for read in readings.of(span):
                faq_word = words.words.get(read)
                for word in (*([faq_word] if faq_word else []), *readings.words.get(read, ())):
                    if word == span or len(word) != size or not _KANJI_RUN.fullmatch(word):
                        continue
                    mended = run[:begin] + word + run[begin + size :]
                    if _written_throughout(mended, written):
                        return mended
    return None


def _written_throughout(run: str, written: Callable[[str], bool]) -> bool:
    """Whether every pair of neighbouring kanji in the run is one the FAQs write."""
    return all(written(run[i : i + 2]) for i in range(len(run) - 1))


# What may follow a noun: particles and the forms of する (回収して). Other kana after a kanji
# make it the stem of a verb or an adjective (住む, 高すぎ), which a FAQ word cannot replace.
_AFTER_NOUN = re.compile(
    r"(?:$|[^ぁ-ゖ]|って|の|を|に|は|が|で|と|も|や|へ|か|から|まで|より|する|し[たてま]|さ[せれ]|でき)"
)


def _ends_word(after: str) -> bool:
    """Whether the text after a kanji run lets its last kanji end a noun."""
    return bool(_AFTER_NOUN.match(after))
