"""The hazards a shelter is designated for, as the national shelter lists name them, and the
hazards a notice speaks of."""

from __future__ import annotations

import unicodedata

# The short names staff see, in the order of the national lists (災害対策基本法 施行規則).
HAZARDS = ("洪水", "土砂", "高潮", "地震", "津波", "火災", "内水", "火山")

# Words of the 対象 column and of the national open data's column names -> the short name.
_HAZARD_WORDS: dict[str, str] = {
    "洪水": "洪水",
    "水害": "洪水",
    "土砂": "土砂",
    "土砂災害": "土砂",
    "崖崩れ、土石流及び地滑り": "土砂",
    "がけ崩れ、土石流及び地滑り": "土砂",
    "崖崩れ": "土砂",
    "がけ崩れ": "土砂",
    "土石流": "土砂",
    "土石流及び地滑り": "土砂",
    "地滑り": "土砂",
    "地すべり": "土砂",
    "高潮": "高潮",
    "地震": "地震",
    "津波": "津波",
    "火災": "火災",
    "火事": "火災",
    "大規模な火事": "火災",
    "大火": "火災",
    "内水": "内水",
    "内水氾濫": "内水",
    "火山": "火山",
    "火山現象": "火山",
    "噴火": "火山",
}

# Words in a notice's text -> the hazards whose shelters go first while it is active. A typhoon
# brings rain, landslides and storm surges at once.
_NOTICE_WORDS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("台風", ("洪水", "土砂", "高潮")),
    ("大雨", ("洪水", "土砂", "内水")),
    ("豪雨", ("洪水", "土砂", "内水")),
    ("線状降水帯", ("洪水", "土砂", "内水")),
    ("洪水", ("洪水",)),
    ("氾濫", ("洪水",)),
    ("浸水", ("洪水", "内水")),
    ("内水", ("内水",)),
    ("土砂", ("土砂",)),
    ("がけ崩れ", ("土砂",)),
    ("崖崩れ", ("土砂",)),
    ("土石流", ("土砂",)),
    ("地すべり", ("土砂",)),
    ("高潮", ("高潮",)),
    ("地震", ("地震",)),
    ("津波", ("津波",)),
    ("火災", ("火災",)),
    ("火事", ("火災",)),
    ("噴火", ("火山",)),
    ("火山", ("火山",)),
)


def _fold(text: str) -> str:
    return unicodedata.normalize("NFKC", text or "").strip()


def hazard_of(word: str) -> str | None:
    """The short hazard name of a word from the 対象 column or an open-data header, or None."""
    folded = _fold(word)
    if folded.startswith("災害種別_"):
        folded = folded[len("災害種別_") :]
    return _HAZARD_WORDS.get(folded) or _HAZARD_WORDS.get(unicodedata.normalize("NFKC", folded))


def hazards_named(text: str) -> tuple[str, ...]:
    """The hazards a notice's text speaks of, in HAZARDS order (empty when it names none)."""
    folded = _fold(text)
    found = {hazard for word, hazards in _NOTICE_WORDS if word in folded for hazard in hazards}
    return tuple(h for h in HAZARDS if h in found)
