"""Does a message signal danger, and of which kinds: rules.py over the message's folded phrase."""

from __future__ import annotations

import re
from functools import lru_cache

from madoguchi.crisis import rules
from madoguchi.crisis.foreign_rules import foreign_kinds
from madoguchi.crisis.kinds import PRIORITY, CrisisKind
from madoguchi.handover.phrases import normalize_phrase
from madoguchi.search.normalize import fold_kana

MAX_CHARS = 2_000  # a pasted essay is read this far; a resident in danger says it early
# Small kana typed for large ones (しにたぃ): read as large; っ ゃ ゅ ょ keep their meaning.
_SMALL_VOWELS = str.maketrans("ぁぃぅぇぉゎ", "あいうえおわ")


def folded_phrase(text: str) -> str:
    """The form rules read: NFKC, lower case, no spaces/punctuation/emoji, hiragana, large kana."""
    return fold_kana(normalize_phrase(text[:MAX_CHARS])).translate(_SMALL_VOWELS)


def _compile(pattern: str) -> re.Pattern[str]:
    return re.compile(fold_kana(pattern.lower()).translate(_SMALL_VOWELS))


@lru_cache(maxsize=1)
def _compiled() -> tuple[
    re.Pattern[str], tuple[tuple[CrisisKind, re.Pattern[str], re.Pattern[str] | None], ...]
]:
    masks = _compile("|".join(f"(?:{m})" for m in rules.MASKS))
    compiled = tuple(
        (rule.kind, _compile(rule.pattern), _compile(rule.unless) if rule.unless else None)
        for rule in rules.RULES
    )
    return masks, compiled


def detect(text: str | None) -> tuple[CrisisKind, ...]:
    """The kinds of danger the message signals, most urgent first; () for an ordinary message."""
    if not text:
        return ()
    phrase = folded_phrase(text)
    if not phrase:
        return ()
    found = foreign_kinds(text[:MAX_CHARS])  # the same, said in another language
    masks, compiled = _compiled()
    # A mask becomes a character no rule contains, so words on either side do not join up.
    masked = masks.sub("・", phrase)
    found |= {
        kind
        for kind, pattern, unless in compiled
        if pattern.search(masked) and not (unless is not None and unless.search(masked))
    }
    return tuple(kind for kind in PRIORITY if kind in found)


def looks_like_crisis(text: str | None) -> bool:
    """True when the message signals any danger (kept out of reports and learning)."""
    return bool(detect(text))
