"""Words residents searched for, read the way the search reads them: tinysegmenter words after the
search's own normalisation and stopwords (madoguchi.search.tokenize.segment), never n-gram pieces.

Only content words are counted. A word that does not end in hiragana (住民票, マイナンバーカード,
ゴミ, 犬) always counts, except single characters that are counters or suffixes (日, 人, 市 …). A
word ending in hiragana (ごみ, 手続き, 引っ越し, もらえる) counts when the FAQs' キーワード or
カテゴリ use the same word: tinysegmenter splits questions typed in hiragana at random places
(とうろく → と / うろく), and inflected verbs (出し, もらえる) say nothing new.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable
from functools import lru_cache

from madoguchi.model import Faq
from madoguchi.search.normalize import fold_kana, strip_boilerplate, surface
from madoguchi.search.tokenize import segment

# Counters, suffixes and place words too general to tell staff anything on their own.
SINGLE_CHARACTERS_LEFT_OUT = frozenset(
    "日月年時分秒円人回件歳才枚個本号目前後中内外方様者所書証金市町村区県国等的用上下"
    "一二三四五六七八九十百千万出子費料"
)
# Question words: every resident asks "where" and "when"; the topic is elsewhere.
QUESTION_WORDS = frozenset(["どこ", "いつ", "いくら", "だれ", "なぜ", "どれ", "どちら", "どっち"])
_ENDS_IN_HIRAGANA = re.compile("[ぁ-ゖ]ー*$")
_HIRAGANA_ONLY = re.compile("^[ぁ-ゖー]+$")
_ENTRY_SEPARATORS = re.compile("[・、,/]")
_KANJI = re.compile("[\u3005\u3400-\u9fff\uf900-\ufaff]")
_DIGITS = re.compile(r"^[0-9.,]+$")
# tinysegmenter sometimes keeps a particle on a word (子どもの); の and を end no noun.
_PARTICLE = re.compile("(?<=.)[のを]$")


def written(text: str) -> str:
    """Text as the search reads it before splitting: normalised, question phrases removed."""
    return strip_boilerplate(surface(text, limit=200))


@lru_cache(maxsize=65536)
def query_words(query: str) -> tuple[str, ...]:
    """The search's words of one question, each once, in the spelling the resident used
    (ゴミ stays ゴミ although the search folds it to ごみ)."""
    text = written(query)
    folded = fold_kana(text)  # one character for one: positions match `text`
    words: list[str] = []
    for word in segment(text):
        at = folded.find(word)
        words.append(text[at : at + len(word)] if at >= 0 else word)
    return tuple(dict.fromkeys(words))


def faq_words(faqs: Iterable[Faq]) -> frozenset[str]:
    """Words (folded) of the FAQs' キーワード and カテゴリ: the nouns staff chose (質問 and 言い換え
    are sentences, full of the verbs and endings left out here). A keyword all in hiragana is
    kept whole, since tinysegmenter cuts it as badly as it cuts the questions (ひ / なんじょ)."""
    words: set[str] = set()
    for faq in faqs:
        for entry in (*faq.keywords, *_ENTRY_SEPARATORS.split(faq.category)):
            text = written(entry).replace(" ", "")
            if _HIRAGANA_ONLY.match(text):
                words.add(text)
            else:
                words.update(w for w in segment(written(entry)) if not _HIRAGANA_ONLY.match(w))
    return frozenset(words)


def content_word(word: str, known: frozenset[str] | None) -> str | None:
    """The word as counted (a trailing particle taken off), or None when it is not a content
    word; `known` are the FAQs' words (None without the FAQs: kana words are then left out)."""
    word = _trim(word)
    folded = fold_kana(word)
    if _DIGITS.match(word) or folded in QUESTION_WORDS:
        return None
    if len(word) == 1:
        return word if _KANJI.match(word) and word not in SINGLE_CHARACTERS_LEFT_OUT else None
    if not _ENDS_IN_HIRAGANA.search(word):
        return word  # kanji, katakana or letters at the end: a noun (住民票, ゴミ, スマホ)
    return word if known is not None and folded in known else None


def _trim(word: str) -> str:
    """Take off what tinysegmenter glued to a word: a trailing の or を (子どもの), and hiragana
    before a kanji or katakana word (かお金, もらうお金), keeping an honorific お or ご."""
    word = _PARTICLE.sub("", word) or word
    start = next((i for i, ch in enumerate(word) if not "ぁ" <= ch <= "ゖ" and ch != "ー"), 0)
    if start == 0:
        return word
    honorific = word[start - 1] if word[start - 1] in "おご" else ""
    return honorific + word[start:]


@lru_cache(maxsize=65536)
def content_words(query: str, known: frozenset[str] | None) -> tuple[str, ...]:
    """The content words of one question, each once."""
    found = (content_word(word, known) for word in query_words(query))
    return tuple(dict.fromkeys(word for word in found if word))


def count_words(
    queries: Iterable[str], known: frozenset[str] | None = None
) -> list[tuple[str, int]]:
    """(word, number of questions using it), most used first; kana spellings counted together
    and shown as residents wrote them most."""
    counts: Counter[str] = Counter()
    spellings: dict[str, Counter[str]] = {}
    for query in queries:
        for word in content_words(query, known):
            key = fold_kana(word)
            counts[key] += 1
            spellings.setdefault(key, Counter())[word] += 1
    return [
        (spellings[key].most_common(1)[0][0], n)
        for key, n in sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))
    ]
