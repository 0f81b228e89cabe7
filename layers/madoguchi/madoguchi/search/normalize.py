"""Japanese text normalization shared by FAQ documents and residents' questions.

Two forms are used. The *surface* form (NFKC, lowercase, noise removed) keeps the script of each
character, because tinysegmenter splits far better when katakana words are still katakana. The
*folded* form turns katakana into hiragana so ゴミ and ごみ become the same term; tokens are folded
after segmentation. Phrase matching (boilerplate, synonyms) is kana-insensitive for the same reason.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

MAX_QUERY_CHARS = 200
# Kanji and the marks that act as kanji (々 〆 〇), as a regular-expression character range.
KANJI_CHARS = "\u3005\u3006\u3007\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"

# Characters that carry meaning: ASCII letters/digits, kana, kanji and their marks. Everything
# else (punctuation, symbols, emoji) becomes a space.
_WORD_CHARS = (
    "0-9a-z"
    "\u3005\u3006\u3007"  # 々 〆 〇
    "\u3041-\u3096"  # hiragana
    "\u30a1-\u30fa\u30fc"  # katakana and ー
    "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"  # kanji
)
_NOISE = re.compile(f"[^{_WORD_CHARS}]+")
# A wave dash at the end of a word is a tone of voice (ゴミ〜); inside a kana word, a wave dash or
# hyphen is a long-vowel mark typed the easy way (ケ〜キ, メ-ル).
_TRAILING_WAVE = re.compile(
    "(?<=[\u3041-\u3096\u30a1-\u30fc])[~〜]+(?![\u3041-\u3096\u30a1-\u30fa])"
)
_LONG_VOWEL_VARIANT = re.compile("(?<=[\u3041-\u3096\u30a1-\u30fa])[~〜\\-‐−―—ｰ]")
_LONG_VOWEL_RUN = re.compile("ー{2,}")
_SMALL_KE = str.maketrans({"ヶ": "か", "ヵ": "か", "ゖ": "か", "ゕ": "か"})
_SPACES = re.compile(r"\s+")

# Phrases that say "this is a question" but nothing about its topic, written in surface form.
BOILERPLATE = (
    "教えてください",
    "教えて下さい",
    "教えてほしい",
    "教えて欲しい",
    "教えていただけますか",
    "教えていただけませんか",
    "教えてもらえますか",
    "教えてくれ",
    "教えて",
    "おしえてください",
    "おしえて",
    "知りたいのですが",
    "知りたいんですが",
    "知りたいです",
    "知りたい",
    "どうすればいいですか",
    "どうすればよいですか",
    "どうすれば良いですか",
    "どうしたらいいですか",
    "どうしたらよいですか",
    "どうしたら良いですか",
    "どうすればいいの",
    "どうしたらいいの",
    "どうすればいい",
    "どうすればよい",
    "どうしたらいい",
    "どうしたらよい",
    "どうすれば",
    "どうしたら",
    "したいのですが",
    "したいんですが",
    "したいんだけど",
    "したいです",
    "よろしくお願いします",
    "お願いいたします",
    "お願いします",
    "でしょうか",
    "ですか",
    "ますか",
    "のですが",
    "んですが",
    "について",
    "に関して",
    "に関する",
    "ください",
    "下さい",
    "すみません",
    "すいません",
    "こんにちは",
    "こんばんは",
    "おはようございます",
    "ありがとうございます",
    "ありがとう",
    "わかりません",
    "分かりません",
    "わからない",
    "分からない",
)


def surface(text: str, *, limit: int | None = None) -> str:
    """NFKC, lowercase, long-vowel variants unified, punctuation/emoji to spaces; script kept."""
    if limit is not None:
        text = text[:limit]
    text = unicodedata.normalize("NFKC", text).lower()
    text = _TRAILING_WAVE.sub("", text)
    text = _LONG_VOWEL_VARIANT.sub("ー", text)
    text = _LONG_VOWEL_RUN.sub("ー", text)
    text = text.translate(_SMALL_KE)
    text = _NOISE.sub(" ", text)
    return _SPACES.sub(" ", text).strip()


def fold_kana(text: str) -> str:
    """Katakana to hiragana (ゴミ -> ごみ); other characters unchanged."""
    return "".join(chr(ord(c) - 0x60) if "ァ" <= c <= "ヶ" else c for c in text)


def kana_insensitive(phrase: str) -> str:
    """A regular expression matching the phrase whatever kana script each character is in."""
    parts = []
    for char in phrase:
        folded = fold_kana(char)
        if "ぁ" <= folded <= "ゖ":
            parts.append(f"[{folded}{chr(ord(folded) + 0x60)}]")
        else:
            parts.append(re.escape(char))
    return "".join(parts)


def phrase_pattern(phrases: list[str] | tuple[str, ...]) -> re.Pattern[str] | None:
    """One alternation over the phrases' surface forms, longest first so the longest match wins."""
    forms = sorted({surface(p) for p in phrases if surface(p)}, key=lambda p: (-len(p), p))
    if not forms:
        return None
    return re.compile("|".join(kana_insensitive(p) for p in forms))


@lru_cache(maxsize=1)
def _boilerplate_pattern() -> re.Pattern[str] | None:
    return phrase_pattern(BOILERPLATE)


def strip_boilerplate(text: str) -> str:
    """Remove question phrases that carry no topic (教えてください, ですか, について …)."""
    pattern = _boilerplate_pattern()
    if pattern is None:
        return text
    return _SPACES.sub(" ", pattern.sub(" ", text)).strip()


def phrasing_key(text: str) -> str:
    """The form questions are grouped by: 「粗大ゴミ 出し方教えて?」 = 「粗大ごみ出し方」."""
    # Small differences in typing (script, spaces, 教えて, punctuation) must not split the
    # residents who asked the same thing into groups too small to learn from.
    return fold_kana(strip_boilerplate(surface(text or ""))).replace(" ", "")
