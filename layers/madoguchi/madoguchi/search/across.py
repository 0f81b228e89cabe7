"""Searching a question written in another language.

BM25 over Japanese terms cannot read "Where is the evacuation shelter?", but multilingual-e5 puts
it near 避難所はどこですか? in the same vector space. So a question in another language is ranked
by its cosine with every FAQ's vector; where the city translated a FAQ into that language
(「質問 (English)」), the translated question is also indexed: its own vectors (a question in the
same language lies closer) and, for every language, BM25 over simple terms (words for Latin
script, character pairs for the others). The glossary (madoguchi.search.glossary) turns the
resident's words it knows into the FAQs' Japanese words: they are scored as a Japanese question's
words are, and read by e5 with the question.

Meaning alone is never taken for certainty: a foreign question is never answered outright; its
closest FAQs are offered as choices.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass, replace

import numpy as np

from madoguchi.model import Faq, Translation
from madoguchi.search.bm25 import PostingsBM25
from madoguchi.search.semantic import ANSWER_CHARS, DIM, Embedder, FaqVectors, quantize

# Offered whenever there is a signal. The cosine does not tell a foreign question about something
# the workbook has from one it has not: on tests/data/multilingual_dev.jsonl the best FAQ's
# cosine was 0.79-0.85 for "Where is the evacuation shelter?" and for "Tell me a joke" alike, and
# its standing among all FAQs overlapped as much. So the choices always end with the way to staff
# and the categories, and "not found" is said only when nothing could be searched.
# What BM25 on the translated questions adds (its best match counts 1) to the meaning (a FAQ's
# standing, in standard deviations). On the dev set's English and Vietnamese questions whose FAQ
# the sample translated, Hit@1 was 0.83 / 0.88 at 0, 0.87 / 0.92 at 0.3 and 0.83 / 0.92 at 1;
# heavier, questions about FAQs without a translation lose their right FAQ to translated ones.
LEXICAL_WEIGHT = 0.3
QUESTION_CHARS = 120  # a question in a Latin script takes more characters than one in Japanese
# The Japanese words the glossary finds in a question (madoguchi.search.glossary): their BM25
# (its best match counts 1) and the cosine of the question with them appended (in standard
# deviations), beside the meaning. Chosen on the multilingual dev set and two held-out sets written
# before the glossary (English and Vietnamese; docs/search.md): Hit@1 over all of them 0.74 ->
# 0.86 at 1.5 / 1.0 (1.0 / 0.5: 0.85; 3.0 / 1.0: 0.87, with more questions lost than won on the
# first held-out set).
GLOSSARY_WEIGHT = 1.5
MIXED_WEIGHT = 1.0


def _words(text: str) -> frozenset[str]:
    return frozenset(text.split())


# Question words every language uses and no FAQ is found by.
_STOPWORDS = _words(
    "the a an of to in is are do does i my me how where what when can for and or it you"
    " de la el los las o os do da no na que como onde donde para um uma un una"
    " ang ng mga sa ba po ko ako di dan yang saya ke apa toi la cua va khong"
)
_WORD = re.compile(r"\w+")
_LATIN = re.compile(r"[a-z0-9]+")


def simple_terms(text: str) -> list[str]:
    """Terms of a translated text: Latin words without accents (residents often type none),
    and pairs of characters for scripts written without spaces."""
    folded = unicodedata.normalize("NFKD", text.casefold())
    plain = "".join(c for c in folded if not unicodedata.combining(c)).replace("đ", "d")
    terms: list[str] = []
    for word in _WORD.findall(plain):
        if _LATIN.fullmatch(word):
            if word not in _STOPWORDS:
                terms.append(word)
        elif len(word) == 1:
            terms.append(word)
        else:
            terms.extend(word[i : i + 2] for i in range(len(word) - 1))
    return terms


@dataclass(frozen=True)
class Translated:
    """One language's translated questions: BM25 over their terms, and their vectors."""

    language: str
    has: np.ndarray  # bool per FAQ: the city translated it
    bm25: PostingsBM25
    vectors: FaqVectors | None = None

    @classmethod
    def build(cls, language: str, faqs: Sequence[Faq], embedder: Embedder | None) -> Translated:
        """Index the FAQs' translations into `language` (FAQs without one stay empty)."""
        translations = [faq.translation(language) for faq in faqs]
        has = np.array([t is not None for t in translations], dtype=bool)
        corpus = [simple_terms(t.question) if t else [] for t in translations]
        vectors = None
        if embedder is not None:
            texts: list[str] = []
            owners: list[int] = []
            for position, t in enumerate(translations):
                for text in translated_passages(t) if t is not None else []:
                    texts.append(text)
                    owners.append(position)
            found = embedder.embed_passages(texts) if texts else np.zeros((0, DIM), np.float32)
            sums = np.zeros((len(faqs), DIM), dtype=np.float64)
            np.add.at(sums, np.array(owners, dtype=np.int64), found)
            counts = np.bincount(np.array(owners, dtype=np.int64), minlength=len(faqs))
            vectors = FaqVectors(*quantize(sums / np.maximum(counts, 1)[:, None]))
        return cls(language, has, PostingsBM25.build(corpus), vectors)

    def arrays(self) -> dict[str, np.ndarray]:
        """What goes into the index file, under `translated.<language>.`."""
        prefix = f"translated.{self.language}"
        arrays = {f"{prefix}.has": self.has.astype(np.uint8), **self.bm25.arrays(f"{prefix}.bm25")}
        if self.vectors is not None:
            arrays[f"{prefix}.vectors"] = self.vectors.rows
            arrays[f"{prefix}.scales"] = self.vectors.scales
        return arrays

    @classmethod
    def from_arrays(cls, language: str, arrays: dict[str, np.ndarray]) -> Translated:
        """Inverse of arrays()."""
        prefix = f"translated.{language}"
        vectors = None
        if f"{prefix}.vectors" in arrays:
            vectors = FaqVectors(arrays[f"{prefix}.vectors"], arrays[f"{prefix}.scales"])
        bm25 = PostingsBM25.from_arrays(arrays, f"{prefix}.bm25")
        return cls(language, arrays[f"{prefix}.has"].astype(bool), bm25, vectors)


def translated_passages(translation: Translation) -> list[str]:
    """The texts embedded for one translated FAQ: its question, and the question with the start
    of its answer (as semantic.passages_of does for the Japanese ones)."""
    answer = " ".join(translation.answer.split())[:ANSWER_CHARS]
    question = translation.question
    return [question, f"{question}\n{answer}" if answer else question]


def translated_languages(faqs: Sequence[Faq]) -> list[str]:
    """The languages some FAQ is translated into, in a stable order."""
    return sorted({t.language for faq in faqs for t in faq.translations if t.question})


@dataclass(frozen=True)
class Ranking:
    """The closest FAQs to a foreign question, by position, with how far each stands out."""

    positions: np.ndarray
    scores: np.ndarray  # fused score, best first


def rank(
    query: str,
    faq_vectors: FaqVectors | None,
    embedder: Embedder | None,
    translated: Translated | None,
    size: int,
    k: int,
    glossed: Glossed | None = None,
) -> Ranking:
    """The k closest FAQs to a question in another language (empty without any signal)."""
    lexical = np.zeros(size)
    if translated is not None:
        lexical = translated.bm25.get_scores(simple_terms(query))
    lexical_part = lexical / lexical.max() if lexical.any() else lexical
    japanese_part = np.zeros(size)
    if glossed is not None and glossed.scores.any():
        japanese_part = glossed.scores / glossed.scores.max()
    if embedder is None or faq_vectors is None or not size:
        # BM25 alone: only FAQs whose translated question, or whose Japanese words the glossary
        # found in the question, share a word with it.
        scores = lexical_part + GLOSSARY_WEIGHT * japanese_part
        found = np.flatnonzero(scores > 0)
        order = found[np.lexsort((found, -scores[found]))][:k]
        return Ranking(order, scores[order])
    else:
        texts = [query.strip()[:QUESTION_CHARS]]
        if glossed is not None:
            # After the question as e5 reads it: a long question would otherwise push them out.
            texts.append(f"{texts[0]} {' '.join(glossed.words)}")
        vectors = embedder.embed_queries(texts)
        everyone = np.ones(size, dtype=bool)
        standing = _standardized(faq_vectors.similarity(vectors[0]), everyone)
        if translated is not None and translated.vectors is not None and translated.has.any():
            # Same-language cosines run higher: each is judged among the translated FAQs only.
            own = _standardized(translated.vectors.similarity(vectors[0]), translated.has)
            standing = np.where(translated.has, np.maximum(standing, own), standing)
        # The translated questions' words count only when the glossary found none: its Japanese
        # words reach every FAQ, theirs only the translated ones, which they would favour.
        lexical_weight = LEXICAL_WEIGHT if glossed is None else 0.0
        fused = standing + lexical_weight * lexical_part + GLOSSARY_WEIGHT * japanese_part
        if len(vectors) > 1:
            # The question with the Japanese words in it: e5 reads them as a Japanese question.
            fused = fused + MIXED_WEIGHT * _standardized(
                faq_vectors.similarity(vectors[1]), everyone
            )
    order = np.lexsort((np.arange(size), -fused))[:k]
    return Ranking(order, fused[order])


@dataclass(frozen=True)
class Glossed:
    """What the glossary (madoguchi.search.glossary) made of a foreign question."""

    scores: np.ndarray  # BM25 of its Japanese words, every FAQ, as a Japanese question is scored
    words: tuple[str, ...]  # those Japanese words, read by e5 after the question


def _standardized(values: np.ndarray, among: np.ndarray) -> np.ndarray:
    """How many standard deviations each value lies above the mean of the values `among`."""
    chosen = values[among]
    spread = float(chosen.std()) if len(chosen) > 1 else 0.0
    return (values - chosen.mean()) / spread if spread > 1e-9 else np.zeros_like(values)


def in_language(faq: Faq, language: str | None) -> Faq:
    """The FAQ as a resident of `language` reads it: the city's translation where there is one
    (the answer stays Japanese when only the question was translated)."""
    translation = faq.translation(language)
    if translation is None:
        return faq
    return replace(faq, question=translation.question, answer=translation.answer or faq.answer)
