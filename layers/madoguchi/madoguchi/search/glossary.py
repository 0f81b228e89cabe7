"""Residents' words in other languages -> the Japanese words a city's FAQ uses for them.

"Where do I throw away old batteries?" and 「Pin cũ vứt ở đâu?」 name 電池 in words e5 reads only
across languages, where its cosine is weakest. The glossary (data/glossary.tsv: about 150 municipal
concepts in nine languages, romanised Japanese such as juminhyo and gomi included) finds those words
in a foreign question, so the Japanese FAQ can also be found by its own words (BM25, as a Japanese
question is) and by a question e5 reads with the Japanese words in it. Matching folds case and
accents (residents often type none) and takes the longest entry first; in scripts written
without spaces an entry matches anywhere, in the others only as whole words.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from madoguchi.language.accents import without_accents

GLOSSARY_FILE = Path(__file__).with_name("data") / "glossary.tsv"
# Scripts whose words carry particles or go without spaces: an entry matches inside a longer run.
_UNSPACED = ("CJK", "HANGUL", "DEVANAGARI")  # particles join Korean and Nepali words
MAX_WORDS = 4  # the longest entry, in words
_LATIN_WORD = re.compile("[a-z]+")


def fold(text: str) -> str:
    """Lower case without accents (đ as d), spaces collapsed: what residents type and what the
    glossary lists meet in this form."""
    return " ".join(without_accents(unicodedata.normalize("NFKC", text.casefold())).split())


def _words(text: str) -> list[str]:
    """Whole words of a folded text (letters, digits and marks; anything else separates)."""
    words, current = [], []
    for char in text:
        if char.isalnum() or unicodedata.category(char).startswith("M"):
            current.append(char)
        elif current:
            words.append("".join(current))
            current = []
    if current:
        words.append("".join(current))
    return words


def _singular(word: str) -> str:
    """A plural of English, Spanish, Portuguese … as its singular (a guess good enough here)."""
    if len(word) > 4 and word.endswith("ies"):
        return word[:-3] + "y"
    if len(word) > 4 and word.endswith(("ches", "shes", "xes", "ses", "zes")):
        return word[:-2]
    if len(word) > 3 and word.endswith("s") and not word.endswith("ss"):
        return word[:-1]
    return word


def _unspaced(term: str) -> bool:
    return any(name in unicodedata.name(c, "") for c in term for name in _UNSPACED)


@dataclass(frozen=True)
class Glossary:
    """Entries by language: folded term -> the Japanese words it stands for."""

    entries: dict[str, dict[str, tuple[str, ...]]]
    # The terms of each language that match inside a run (_UNSPACED), found once at parse time:
    # a question is searched for each of them, and telling their script costs more than that.
    unspaced: dict[str, tuple[str, ...]]

    @classmethod
    def parse(cls, text: str) -> Glossary:
        """Read `language<TAB>term<TAB>japanese words` lines (# comments, blank lines skipped)."""
        entries: dict[str, dict[str, tuple[str, ...]]] = {}
        for number, line in enumerate(text.splitlines(), start=1):
            if not line.strip() or line.lstrip().startswith("#"):
                continue
            parts = line.split("\t")
            if len(parts) != 3 or not all(p.strip() for p in parts):
                raise ValueError(f"glossary line {number}: expected language, term, Japanese")
            language, term, japanese = (p.strip() for p in parts)
            known = entries.setdefault(language, {})
            words = tuple(japanese.split())
            folded = " ".join(_words(fold(term)))
            known[folded] = tuple(dict.fromkeys((*known.get(folded, ()), *words)))
        unspaced = {
            language: tuple(term for term in known if _unspaced(term))
            for language, known in entries.items()
        }
        return cls(entries, unspaced)

    def japanese_words(self, text: str, language: str) -> list[str]:
        """The Japanese words of every entry of `language` found in the text, in order, once."""
        known = self.entries.get(language)
        if not known:
            return []
        folded = fold(text)
        found: list[str] = []
        words = _words(folded)
        used = [False] * len(words)
        for size in range(MAX_WORDS, 0, -1):
            for start in range(len(words) - size + 1):
                if any(used[start : start + size]):
                    continue
                phrase = words[start : start + size]
                japanese = known.get(" ".join(phrase))
                if japanese is None and _LATIN_WORD.fullmatch(phrase[-1]):
                    # batteries, pilhas: the entry lists the singular
                    japanese = known.get(" ".join([*phrase[:-1], _singular(phrase[-1])]))
                if japanese is not None:
                    found.extend(japanese)
                    used[start : start + size] = [True] * size
        for term in self.unspaced.get(language, ()):
            if term in folded:
                found.extend(known[term])
        return list(dict.fromkeys(found))


@cache
def built_in() -> Glossary:
    """The glossary shipped with the layer (read once)."""
    return Glossary.parse(GLOSSARY_FILE.read_text(encoding="utf-8"))
