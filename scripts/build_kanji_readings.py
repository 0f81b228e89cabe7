"""Build the kanji reading table that finds what a mistyped kanji word meant (search/homophones.py).

    python scripts/build_kanji_readings.py [--out PATH]

Residents' typing slips are mostly a kanji of the same sound (固定試算税 for 固定資産税, 非難所 for
避難所). To read such a word aloud at answer time without a dictionary, the table holds the
readings of chiVe's kanji words of two and three characters (search/data/chive-20k.bin: common
written Japanese) and of each kanji they use, as Sudachi (sudachidict_small, Apache-2.0) reads
them; a kanji's other readings come from the two-kanji words whose reading starts or ends with
one it has (会 かい in 会場 gives 場 じょう; three such words at least). Only the indexer's Sudachi
is needed, once, here.
"""

from __future__ import annotations

import argparse
import re
import sys
from collections import Counter, defaultdict
from pathlib import Path

from madoguchi.search import reading, word_vectors
from madoguchi.search.homophones import DEFAULT_TABLE, MAX_SPAN, write_table
from madoguchi.search.normalize import KANJI_CHARS

KANJI_ONLY = re.compile(f"[{KANJI_CHARS}]+")
# A reading a kanji shows in two-kanji words is kept when this many words show it: one word
# alone may be read irregularly (今日 きょう).
SHOWN_IN = 3
PASSES = 4
HIRAGANA = re.compile("[ぁ-ゖー]+")


def _chive() -> word_vectors.WordTable:
    found = word_vectors.table()
    if found is None:
        raise SystemExit("the word-vector table is missing: python scripts/build_word_vectors.py")
    return found


def _words() -> list[str]:
    """chiVe's kanji-only words of two or three characters, most frequent first."""
    return [w for w in _chive().words if 2 <= len(w) <= MAX_SPAN and KANJI_ONLY.fullmatch(w)]


def build() -> dict[str, list[str]]:
    """Word or kanji -> its readings (the most usual first)."""
    if not reading.readings_available():
        raise SystemExit("sudachipy and sudachidict_small are needed: make setup")
    words = _words()
    table: dict[str, list[str]] = {}
    for word in words:
        read = reading.reading(word)
        if HIRAGANA.fullmatch(read):
            table[word] = [read]
    kanji = sorted({c for w in words for c in w})
    for char in kanji:
        read = reading.reading(char)
        if HIRAGANA.fullmatch(read):
            table[char] = [read]
    # More readings of each kanji, from two-kanji words whose other half it reads already (any
    # of its readings: 護 is もり alone, ご in 介護), again while new ones turn up.
    pairs = [(w, table[w][0]) for w in words if len(w) == 2 and w in table]
    for _ in range(PASSES):
        shown: defaultdict[str, Counter[str]] = defaultdict(Counter)
        for word, read in pairs:
            first, second = word[0], word[1]
            for known in set(table.get(first, [])):
                if read.startswith(known) and len(read) > len(known):
                    shown[second][read[len(known) :]] += 1
            for known in set(table.get(second, [])):
                if read.endswith(known) and len(read) > len(known):
                    shown[first][read[: -len(known)]] += 1
        added = 0
        for char, counts in sorted(shown.items()):
            has = table.get(char, [])
            extra = [r for r, n in counts.most_common() if n >= SHOWN_IN and r not in has]
            if extra:
                table[char] = [*has, *extra]
                added += len(extra)
        if not added:
            break
    return table


def main(argv: list[str] | None = None) -> int:
    """Build and write the table."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=DEFAULT_TABLE)
    args = parser.parse_args(argv)
    table = build()
    write_table(table, args.out)
    chars = sum(1 for k in table if len(k) == 1)
    print(f"{args.out}: {len(table) - chars} words, {chars} kanji", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
