"""Hiragana readings of FAQ text, so questions typed in kana find FAQs written in kanji.

Residents often type 「じゅうみんひょう」 or 「ｼﾞｭｳﾐﾝﾋｮｳ」 for 住民票. The indexer reads each FAQ's
question side aloud in hiragana (pykakasi) and indexes character n-grams of that reading as a field
of its own; a question's kana runs give n-grams of the same kind. Only building an index needs
pykakasi: the n-grams are stored in the index file, so answering a question never imports it.
"""

from __future__ import annotations

import logging
import re
from functools import lru_cache
from typing import Any

from madoguchi.search.normalize import KANJI_CHARS, fold_kana

logger = logging.getLogger(__name__)

READING_PREFIX = "\u00a6"  # reading n-grams live in their own term space, apart from words
NGRAM = 3
# pykakasi reads these characters wrongly when they stand alone: 捨て方 is すてかた (a way of
# doing), 外国籍の方 is …のかた (a person); 15歳 is …さい.
_ALONE = {"方": "かた", "歳": "さい"}
_KANA_RUN = re.compile("[ぁ-ゖー]+")
_QUERY_KANA_RUN = re.compile(f"[ぁ-ゖァ-ヺー]{{{NGRAM},}}")
_KANJI = re.compile(f"[{KANJI_CHARS}]")


@lru_cache(maxsize=1)
def _converter() -> Any | None:
    """pykakasi's converter, created once (it loads a 10 MB dictionary); None if not installed."""
    try:
        import pykakasi
    except ImportError:
        logger.warning("pykakasi is not installed: the index is built without kana readings")
        return None
    return pykakasi.kakasi()


def readings_available() -> bool:
    """Whether this machine can compute readings (pykakasi is installed)."""
    return _converter() is not None


def reading(text: str) -> str:
    """The hiragana reading of surface-form text (kanji read, katakana folded, the rest kept)."""
    if _converter() is None:
        raise RuntimeError("pykakasi is needed to compute readings")
    return _read(text)


# pykakasi takes about 0.1 ms per short text; categories and keywords repeat across FAQs.
@lru_cache(maxsize=4096)
def _read(text: str) -> str:
    parts = _converter().convert(text)
    return "".join(_ALONE.get(part["orig"], part["hira"]) for part in parts)


def ngrams(kana: str) -> list[str]:
    """Prefixed character n-grams inside each hiragana run of a reading (repeats kept)."""
    grams = []
    for run in _KANA_RUN.findall(kana):
        grams.extend(READING_PREFIX + run[i : i + NGRAM] for i in range(len(run) - NGRAM + 1))
    return grams


def query_ngrams(written: str, prepared: str) -> list[str]:
    """Reading n-grams of a question's kana runs, only when the resident typed no kanji at all.

    `written` is the question's topic as typed (question phrases such as 教えて removed),
    `prepared` its analyzed form (synonyms may have turned もうしこみ into 申込, which the kanji
    fields then match). A question with kanji is matched by
    its kanji; its kana are particles and endings (をとりたい) that, read, would only find FAQs
    with the same endings.
    """
    if _KANJI.search(written):
        return []
    return ngrams(" ".join(fold_kana(run) for run in _QUERY_KANA_RUN.findall(prepared)))
