"""Normalized Japanese text to search terms: tinysegmenter words plus character n-grams."""

from __future__ import annotations

import re
from dataclasses import asdict, dataclass
from functools import lru_cache

import tinysegmenter

from madoguchi.search import reading
from madoguchi.search.normalize import KANJI_CHARS, fold_kana, strip_boilerplate, surface
from madoguchi.search.synonyms import SynonymMap

# Function words and fragments that say nothing about the topic (hiragana, after folding).
STOPWORDS = frozenset(
    [
        "から",
        "まで",
        "より",
        "ので",
        "のに",
        "けど",
        "けれど",
        "たら",
        "れば",
        "って",
        "とか",
        "など",
        "です",
        "でし",
        "でしょ",
        "ます",
        "まし",
        "ませ",
        "ない",
        "なし",
        "なく",
        "ある",
        "あり",
        "あっ",
        "いる",
        "い",
        "おり",
        "する",
        "し",
        "して",
        "した",
        "しま",
        "しょ",
        "さい",
        "され",
        "せる",
        "れる",
        "られ",
        "なる",
        "なり",
        "なっ",
        "なら",
        "こと",
        "もの",
        "ため",
        "よう",
        "ところ",
        "とき",
        "ほう",
        "これ",
        "それ",
        "あれ",
        "どれ",
        "この",
        "その",
        "あの",
        "どの",
        "ここ",
        "そこ",
        "あそこ",
        "どう",
        "どんな",
        "なに",
        "なん",
        "何",
        "いい",
        "よい",
        "良い",
        "たい",
        "たく",
        "ほしい",
        "という",
        "として",
        "について",
        "による",
        "における",
        "場合",
        "方法",
        "件",
        "しまい",
        "しまっ",
        "ちゃっ",
        "たいん",
        "ですけど",
        "だけど",
        "けど",
        "まず",
        "すれ",
        "てる",
        "でき",
        "ちゃう",
        "んです",
    ]
)

_KANJI = KANJI_CHARS
_KATAKANA_RUN = re.compile("[\u30a1-\u30fa\u30fc]{2,}")
# One okurigana kana between kanji (申し込み, 引っ越し, 届け出) is dropped for bigrams,
# so the spelling variants meet.
# Particles are not okurigana, so 市の施設 keeps its の and makes no 市施 bigram.
_OKURIGANA = re.compile(f"(?<=[{_KANJI}])(?:(?![のがをにはへとでやもかな])[ぁ-ゖ])(?=[{_KANJI}])")
_KANJI_RUN = re.compile(f"[{_KANJI}]{{2,}}")
_HIRAGANA_RUN = re.compile("[ぁ-ゖー]{3,}")
_KANJI_CHAR = re.compile(f"[{_KANJI}]")
# Kanji unigrams and hiragana bigrams find FAQs despite typos and rough splits, but are too
# common to count as evidence that a FAQ answers the question (see SearchIndex.search).
UNIGRAM_PREFIX = "\u00b6"
HIRAGANA_BIGRAM_PREFIX = "\u00a4"
RECALL_ONLY = (UNIGRAM_PREFIX, HIRAGANA_BIGRAM_PREFIX)
# A word of kanji then kana is an inflected verb or adjective (捨てたい, 出し, 払う): its kanji
# stem matches the other forms of the same word.
_INFLECTED = re.compile(f"([{_KANJI}]+)[ぁ-ゖ]+")
_HAS_MEANING = re.compile(f"[0-9a-z{_KANJI}\u30a1-\u30fa]|[ぁ-ゖ]{{2,}}")

BIGRAM_PREFIX = "\u00a7"  # bigrams live in their own term space, apart from whole words

# Hiragana words that never name a topic: particles, endings, and the verbs, pronouns and
# question words residents wrap their topic in (どこで もらえる?, やってる?). They split a run of
# kana words; what is left between them is content (としょかん, なくなっ), read through the FAQs'
# kana readings.
_LIGHT_KANA_TEXT = """
    が を に は の で と へ も や か よ ね な て た だ ば ん まで から より って けど だけど
    ので のに など とか だけ しか ほど ごろ くらい ぐらい たい たく たら ます まし ませ です
    でし でしょ ない なかっ れる られ られる せる せ れ する し して した しま すれ すれば
    ある あり あっ ありますか いる い いい よい いけ いけば くれ くれる ください くださ ほしい
    もらえ もらえる もらう もらい もらっ もらえたり できる でき てる てっ ってる やっ やる
    やって やってる やつ どこ どこか いつ どう どうやっ どうやって どうなる なに なん なにか
    どんな ところ とこ とき こと もの よう これ それ この その ここ そこ まだ もう まず でも
    ちゃっ ちゃう じゃ んだ んです んだけど のか かな かね かの わかる わかっ わから らしい
"""
_LIGHT_KANA = frozenset(_LIGHT_KANA_TEXT.split())
# tinysegmenter glues some of them to a neighbour (が|わかる → がわかる, いけ|ばいい).
_GLUED_BEFORE = frozenset("がはをにでともへ")
_GLUED_AFTER = frozenset("んっ")
_LIGHT_ENDINGS = ("ますか", "ばいい", "けど", "しまし", "らえる", "らしい")


def _is_light(token: str) -> bool:
    """Whether a hiragana token names no topic (see _LIGHT_KANA)."""
    if len(token) < 2 or token in _LIGHT_KANA or token.endswith(_LIGHT_ENDINGS):
        return True
    return len(token) > 2 and (
        (token[0] in _GLUED_BEFORE and token[1:] in _LIGHT_KANA)
        or (token[-1] in _GLUED_AFTER and token[:-1] in _LIGHT_KANA)
    )


_HIRAGANA_WORD = re.compile("[ぁ-ゖー]+")


@dataclass(frozen=True)
class TokenizerSettings:
    """How text becomes terms; stored in the artifact so queries are analyzed like documents."""

    bigrams: bool = True
    okurigana_bridge: bool = True
    katakana_bigrams: bool = True
    strip_boilerplate: bool = True
    stems: bool = True
    hiragana_bigrams: bool = True
    kanji_unigrams: bool = True
    default_synonyms: bool = True
    readings: bool = True  # a field of the FAQs' kana readings, for questions typed in kana

    def to_dict(self) -> dict[str, object]:
        """Plain form for the artifact header."""
        return {"segmenter": "tinysegmenter", **asdict(self)}

    @classmethod
    def from_dict(cls, data: dict[str, object]) -> TokenizerSettings:
        """Inverse of to_dict."""
        names = set(cls.__dataclass_fields__)
        # Index files written before readings existed have no reading field.
        data = {"readings": False, **data}
        return cls(**{k: bool(v) for k, v in data.items() if k in names})


class _Segmenter(tinysegmenter.TinySegmenter):
    """TinySegmenter with its character-type lookup memoized (it runs six regexes per character)."""

    def __init__(self) -> None:
        super().__init__()
        self._types: dict[str, str] = {}

    def _ctype(self, char: str) -> str:
        kind = self._types.get(char)
        if kind is None:
            kind = super()._ctype(char)
            if len(self._types) < 50_000:  # bounded: stray input cannot grow it forever
                self._types[char] = kind
        return kind


_segmenter = _Segmenter()


def segment(text: str, *, stems: bool = False) -> list[str]:
    """tinysegmenter words of surface text, folded to hiragana, function words removed."""
    words = []
    for chunk in text.split(" "):
        for token in _segmenter.tokenize(chunk) if chunk else ():
            word = fold_kana(token)
            if word in STOPWORDS or not _HAS_MEANING.search(word):
                continue
            inflected = _INFLECTED.fullmatch(word) if stems else None
            words.append(inflected.group(1) if inflected else word)
    return words


def bigrams(text: str, settings: TokenizerSettings) -> list[str]:
    """Character bigrams inside kanji runs and katakana runs (folded), prefixed apart from words."""
    if settings.okurigana_bridge:
        text = _OKURIGANA.sub("", text)
    grams: list[str] = []
    runs = [m.group(0) for m in _KANJI_RUN.finditer(text)]
    if settings.katakana_bigrams:
        runs += [fold_kana(m.group(0)) for m in _KATAKANA_RUN.finditer(text)]
    for run in runs:
        grams.extend(BIGRAM_PREFIX + run[i : i + 2] for i in range(len(run) - 1))
    if settings.hiragana_bigrams:
        for run in _HIRAGANA_RUN.findall(text):
            grams.extend(HIRAGANA_BIGRAM_PREFIX + run[i : i + 2] for i in range(len(run) - 1))
    if settings.kanji_unigrams:
        grams.extend(UNIGRAM_PREFIX + c for c in _KANJI_CHAR.findall(text))
    return grams


def kana_words(text: str) -> list[str]:
    """The hiragana content words of a question that also has kanji (としょかん in
    「としょかん 何時まで」, なくなっ in 「父がなくなった」), without particles and endings.

    tinysegmenter splits kana finely (なく|なっ|た), so consecutive hiragana tokens are joined
    back, up to a particle, an ending or another word that names no topic.
    """
    words: list[str] = []
    run: list[str] = []

    def close() -> None:
        if len(word := "".join(run)) >= reading.NGRAM:
            words.append(word)
        run.clear()

    for chunk in text.split(" "):
        for token in _segmenter.tokenize(chunk) if chunk else ():
            if not _HIRAGANA_WORD.fullmatch(token) or _is_light(token):
                close()
            else:
                run.append(token)
        close()
    return words


class Analyzer:
    """Text -> terms, identically for FAQs and questions."""

    def __init__(self, synonyms: SynonymMap, settings: TokenizerSettings | None = None):
        self.synonyms = synonyms
        self.settings = settings or TokenizerSettings()
        self.query_terms = lru_cache(maxsize=2048)(self._query_terms)

    def prepare(self, text: str, *, limit: int | None = None) -> str:
        """Surface form with boilerplate removed and synonyms made canonical."""
        return self.synonyms.apply(self._written(text, limit))

    def _written(self, text: str, limit: int | None) -> str:
        """Surface form with boilerplate removed: what the writer wrote about the topic."""
        text = surface(text, limit=limit)
        return strip_boilerplate(text) if self.settings.strip_boilerplate else text

    def terms(self, text: str, *, limit: int | None = None) -> list[str]:
        """All terms of a text, repeats kept (a document's term frequencies)."""
        return self._terms_of(self.prepare(text, limit=limit))

    def _terms_of(self, prepared: str) -> list[str]:
        if not prepared:
            return []
        terms = segment(prepared, stems=self.settings.stems)
        if self.settings.bigrams:
            terms += bigrams(prepared, self.settings)
        return terms

    def reading_terms(self, text: str) -> list[str]:
        """Reading n-grams of a FAQ text (needs Sudachi: index building only)."""
        prepared = self.prepare(text)
        return reading.ngrams(reading.reading(prepared)) if prepared else []

    def _query_terms(self, query: str, limit: int) -> tuple[str, ...]:
        written = self._written(query, limit)
        prepared = self.synonyms.apply(written)
        terms = self._terms_of(prepared)
        if self.settings.readings:
            if _KANJI_CHAR.search(written):
                terms += reading.ngrams(" ".join(kana_words(prepared)))
            else:
                terms += reading.query_ngrams(written, prepared)
        # Each distinct term once: repeating a word in a question should not double its weight.
        return tuple(dict.fromkeys(terms))
