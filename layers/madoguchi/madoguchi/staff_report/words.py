"""Words residents searched for, counted the way the search reads them."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable
from functools import lru_cache

import tinysegmenter

from madoguchi.search.normalize import fold_kana, strip_boilerplate, surface
from madoguchi.search.tokenize import STOPWORDS

# A word worth showing has a kanji, katakana, letter or digit, or at least two hiragana.
_MEANINGFUL = re.compile("[0-9a-z\u3005\u3400-\u9fff\uf900-\ufaff\u30a1-\u30fa]|[ぁ-ゖ]{2,}")
_segmenter = tinysegmenter.TinySegmenter()


@lru_cache(maxsize=65536)
def query_words(query: str) -> tuple[str, ...]:
    """Topic words of one question in surface form (ゴミ stays ゴミ), each once."""
    text = strip_boilerplate(surface(query, limit=200))
    words: list[str] = []
    for chunk in text.split(" "):
        for token in _segmenter.tokenize(chunk) if chunk else ():
            if fold_kana(token) not in STOPWORDS and _MEANINGFUL.search(token):
                words.append(token)
    return tuple(dict.fromkeys(words))


def count_words(queries: Iterable[str]) -> list[tuple[str, int]]:
    """(word, number of questions using it), most used first; kana spellings counted together."""
    counts: Counter[str] = Counter()
    spellings: dict[str, Counter[str]] = {}
    for query in queries:
        for word in query_words(query):
            key = fold_kana(word)
            counts[key] += 1
            spellings.setdefault(key, Counter())[word] += 1
    return [
        (spellings[key].most_common(1)[0][0], n)
        for key, n in sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))
    ]
