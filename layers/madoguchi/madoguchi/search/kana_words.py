"""Questions typed in kana, read back into the FAQs' own kanji words for the semantic signal.

e5 cannot read Japanese typed in kana only (じゅうみんひょう とりたい), and many residents type
that way. The indexer lists the kanji words of the published FAQs with their readings (Sudachi,
at build time only); a kana question is then rewritten by the longest readings it contains
(住民票 とりたい), which e5 reads like any other question. BM25 still searches the question as
typed: only the semantic signal reads the rewritten one.
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter, defaultdict
from collections.abc import Iterable

from madoguchi.search.normalize import fold_kana

_HIRAGANA = re.compile("[ぁ-ゖー]+")
_KATAKANA = re.compile("[ァ-ヺー]+")
_RUNS = re.compile("[ぁ-ゖー]+|[ァ-ヺー]+|[^ぁ-ゖァ-ヺー]+")
# Readings shorter than this are left as typed: two kana (かい, しょ) stand for too many words.
MIN_READING = 3


class KanaWords:
    """Reading -> the FAQs' kanji word with that reading (the most frequent one)."""

    def __init__(self, words: dict[str, str]):
        self.words = words
        self._longest = max((len(r) for r in words), default=0)

    def __len__(self) -> int:
        return len(self.words)

    @classmethod
    def build(cls, words: Iterable[tuple[str, str]]) -> KanaWords:
        """From the (reading, kanji word) pairs of the FAQs' texts (reading.kanji_words)."""
        seen: defaultdict[str, Counter[str]] = defaultdict(Counter)
        for kana, surface in words:
            if len(kana) >= MIN_READING:
                seen[kana][surface] += 1
        # Most frequent first; equal counts by the word itself, so a rebuild gives the same file.
        return cls({kana: min(c, key=lambda w: (-c[w], w)) for kana, c in sorted(seen.items())})

    def rewrite(self, question: str) -> str | None:
        """The question with the FAQs' kanji words in place of their readings, or None when it
        holds none.

        In hiragana the longest readings are taken wherever they start (いいてんきですね -> いい天気
        ですね). Katakana is mostly loanwords (コンビニ), so a katakana run is replaced only when
        it is one reading as a whole: the half-width ｼﾞｭｳﾐﾝﾋｮｳ that older phones type is 住民票,
        but ｵﾂｶﾚｻﾏ holds no 疲れ.
        """
        if not self._longest:
            return None
        # NFKC first (ｼﾞｭｳﾐﾝﾋｮｳ -> ジュウミンヒョウ), then runs of one script each.
        typed = unicodedata.normalize("NFKC", question)
        out: list[str] = []
        found = False
        for run in _RUNS.findall(typed):
            if _KATAKANA.fullmatch(run):
                word = self.words.get(fold_kana(run))
                found = found or word is not None
                out.append(word or run)
            elif _HIRAGANA.fullmatch(run):
                replaced = self._hiragana(run)
                found = found or replaced != run
                out.append(replaced)
            else:
                out.append(run)
        return "".join(out) if found else None

    def _hiragana(self, run: str) -> str:
        """A hiragana run with the longest known readings replaced, left to right."""
        out: list[str] = []
        i = 0
        while i < len(run):
            for size in range(min(self._longest, len(run) - i), MIN_READING - 1, -1):
                word = self.words.get(run[i : i + size])
                if word is not None:
                    out.append(word)
                    i += size
                    break
            else:
                out.append(run[i])
                i += 1
        return "".join(out)
