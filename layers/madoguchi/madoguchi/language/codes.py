"""The languages Madoguchi speaks besides Japanese, and how staff name them in the workbook."""

from __future__ import annotations

from dataclasses import dataclass

EASY_JAPANESE = "ja-easy"  # やさしい日本語: for a language Madoguchi has no texts in


@dataclass(frozen=True)
class Language:
    """One language: its code, the name staff write in column headers, and other names accepted."""

    code: str
    label: str  # as in 「質問 (English)」
    aliases: tuple[str, ...] = ()


LANGUAGES: tuple[Language, ...] = (
    Language("en", "English", ("英語", "en")),
    Language("zh", "中文", ("简体中文", "中国語", "zh", "Chinese")),
    Language("ko", "한국어", ("韓国語", "ko", "Korean")),
    Language("vi", "Tiếng Việt", ("ベトナム語", "vi", "Vietnamese")),
    Language("pt", "Português", ("ポルトガル語", "pt", "Portuguese")),
    Language("es", "Español", ("スペイン語", "es", "Spanish")),
    Language("tl", "Tagalog", ("タガログ語", "Filipino", "tl")),
    Language("ne", "नेपाली", ("ネパール語", "ne", "Nepali")),
    Language("id", "Bahasa Indonesia", ("インドネシア語", "Indonesia", "id", "Indonesian")),
)
BY_CODE = {language.code: language for language in LANGUAGES}


def language_named(name: str) -> Language | None:
    """The language a header or 設定 key names (「English」「英語」「en」…), or None."""
    wanted = "".join(name.split()).casefold()
    for language in LANGUAGES:
        for known in (language.label, *language.aliases):
            if "".join(known.split()).casefold() == wanted:
                return language
    return None


def from_profile(tag: str | None) -> str | None:
    """A LINE profile's language tag ("en", "zh-Hant", "pt-BR") as one of our codes; "ja" for
    Japanese; None when absent. Other languages get やさしい日本語."""
    if not tag:
        return None
    base = tag.strip().split("-")[0].split("_")[0].casefold()
    if base == "ja":
        return "ja"
    if base == "fil":
        base = "tl"
    if base == "in":  # the old code for Indonesian, still sent by some phones
        base = "id"
    return base if base in BY_CODE else EASY_JAPANESE
