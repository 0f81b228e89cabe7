"""Hiragana readings of FAQ text, so questions typed in kana find FAQs written in kanji.

Residents often type 「じゅうみんひょう」 or 「ｼﾞｭｳﾐﾝﾋｮｳ」 for 住民票. The indexer reads each FAQ's
question side aloud in hiragana (SudachiPy with the sudachidict_small dictionary) and indexes
character n-grams of that reading as a field of its own; a question's kana runs give n-grams of the
same kind. Only building an index needs Sudachi: the n-grams are stored in the index file, so
answering a question never imports it.
"""

from __future__ import annotations

import logging
import re
from functools import lru_cache
from typing import Any, cast

from madoguchi.search.normalize import KANJI_CHARS, fold_kana

logger = logging.getLogger(__name__)

READING_PREFIX = "\u00a6"  # reading n-grams live in their own term space, apart from words
NGRAM = 3
# Words the small dictionary misreads in a city's FAQs, matched on whole morphemes (up to three,
# so 何時 is not matched inside 何|時間).
_WORDS = {
    "期日前": "きじつぜん",  # 期日|前 would be きじつまえ
    "外国人": "がいこくじん",
    "事務所": "じむしょ",  # other 所 after a noun are じょ (避難所, 投票所)
    "事業所": "じぎょうしょ",
    "出生届": "しゅっせいとどけ",
    "世帯主": "せたいぬし",
    "病児": "びょうじ",
    "敷布団": "しきぶとん",
    "一度": "いちど",
    "何時": "なんじ",
    "何人": "なんにん",
}
_LONGEST_WORD = 3
# Kanji numerals inside a number written with digits (10万円): the digits themselves are kept.
_NUMERALS = {"十": "じゅう", "百": "ひゃく", "千": "せん", "万": "まん", "億": "おく"}
_KANA_RUN = re.compile("[ぁ-ゖー]+")
_QUERY_KANA_RUN = re.compile(f"[ぁ-ゖァ-ヺー]{{{NGRAM},}}")
_KANJI = re.compile(f"[{KANJI_CHARS}]")
_DIGIT = re.compile("[0-9]")


@lru_cache(maxsize=1)
def _tokenizer() -> Any | None:
    """Sudachi's tokenizer, created once; None if sudachipy or its dictionary is not installed."""
    try:
        from sudachipy import Dictionary, SplitMode

        # Mode C keeps compounds whole; with the small dictionary A, B and C read alike.
        return Dictionary(dict="small").tokenizer(mode=SplitMode.C, fields={"pos", "reading_form"})
    except ImportError:
        logger.warning(
            "sudachipy and sudachidict_small are not installed: "
            "the index is built without kana readings"
        )
        return None


def sudachi_tokenizer() -> Any | None:
    """The same tokenizer for other uses of the dictionary (person names in learning/personal)."""
    return _tokenizer()


def readings_available() -> bool:
    """Whether this machine can compute readings (sudachipy and sudachidict_small installed)."""
    return _tokenizer() is not None


def reading(text: str) -> str:
    """The hiragana reading of surface-form text (kanji read, katakana folded, the rest kept)."""
    if _tokenizer() is None:
        raise RuntimeError("sudachipy and sudachidict_small are needed to compute readings")
    return _read(text)


# Categories and keywords repeat across FAQs: each distinct text is read once per process.
@lru_cache(maxsize=4096)
def _read(text: str) -> str:
    """Sudachi's readings, morpheme by morpheme, with known misreadings corrected."""
    morphemes = [
        (m.surface(), m.part_of_speech(), m.reading_form())
        for m in cast(Any, _tokenizer()).tokenize(text)
    ]
    read, i = [], 0
    while i < len(morphemes):
        for n in range(min(_LONGEST_WORD, len(morphemes) - i), 0, -1):
            word = "".join(surface for surface, _, _ in morphemes[i : i + n])
            if word in _WORDS:
                read.append(_WORDS[word])
                i += n
                break
        else:
            before = morphemes[i - 1] if i else ("", ("",), "")
            read.append(_morpheme_reading(*morphemes[i], before=before))
            i += 1
    return "".join(read)


def _morpheme_reading(surface: str, pos: tuple, katakana: str, *, before: tuple) -> str:
    """One morpheme's hiragana, with the small dictionary's misreadings in FAQ text corrected."""
    if not _KANJI.search(surface):
        # Kana as typed, digits and letters kept (Sudachi reads 15 as いちご, a space as きごう).
        return fold_kana(surface)
    if pos[1] == "数詞" and _DIGIT.search(surface):
        return "".join(_NUMERALS.get(c, c) for c in surface)  # 10万 -> 10まん
    previous, previous_pos, _ = before
    if surface == "日" and previous_pos[0] == "名詞" and previous_pos[1] != "数詞":
        return "び"  # 土曜|日, 投票|日, 収集|日: a day named by a noun (休みの日 stays ひ)
    if surface == "所" and pos[0] == "接尾辞":
        return "じょ"  # 避難所, 投票所, 給水所
    if surface == "方" and previous == "の":
        return "かた"  # 外国籍の方: a person (捨て方 is already read かた)
    if surface == "何" and pos[0] == "代名詞":
        return "なに"  # 何を, 何ごみ (before a counter, as in 何回, it is a numeral: なん)
    return fold_kana(katakana)


# Parts of speech whose kanji words a question typed in kana may stand for (not particles or
# auxiliaries: their readings are too short and too common to be read back).
_CONTENT_POS = ("名詞", "動詞", "形容詞")
# Kanji nouns and suffixes in a row also make one word (図書|館, 住民|票), up to this many.
_COMPOUND_POS = ("名詞", "接尾辞")
_COMPOUND_PARTS = 3


def kanji_words(text: str) -> tuple[tuple[str, str], ...]:
    """(reading, surface) of each content word of `text` written with kanji (住民票 ->
    じゅうみんひょう), and of each compound of two or three kanji nouns in a row, in order."""
    if _tokenizer() is None:
        raise RuntimeError("sudachipy and sudachidict_small are needed to compute readings")
    return _kanji_words(text)


# Like _read: a warm indexer (and the preview) rebuilds mostly the same texts.
@lru_cache(maxsize=4096)
def _kanji_words(text: str) -> tuple[tuple[str, str], ...]:
    morphemes = [
        (m.surface(), m.part_of_speech()[0]) for m in cast(Any, _tokenizer()).tokenize(text)
    ]
    words = []
    for i, (surface, pos) in enumerate(morphemes):
        if _KANJI.search(surface) and pos in _CONTENT_POS:
            words.append((_read(surface), surface))
        if pos not in _COMPOUND_POS:
            continue
        parts = [surface]
        for following, following_pos in morphemes[i + 1 : i + _COMPOUND_PARTS]:
            if following_pos not in _COMPOUND_POS or not _KANJI.search(surface + following):
                break
            parts.append(following)
            compound = "".join(parts)
            words.append((_read(compound), compound))
    return tuple(words)


def ngrams(kana: str) -> list[str]:
    """Prefixed character n-grams inside each hiragana run of a reading (repeats kept)."""
    grams: list[str] = []
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
