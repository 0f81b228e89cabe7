"""The search index: FAQ fields scored with BM25, combined, and a confidence for "I don't know"."""

from __future__ import annotations

import hashlib
import json
import logging
import re
import time
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass, field, replace
from datetime import UTC, datetime
from typing import Any

import numpy as np

from madoguchi.model import (
    BotSettings,
    ConsultationLine,
    Department,
    Faq,
    FaqWorkbook,
    LearnedPhrasing,
    MenuTab,
    TestCase,
    Topic,
    menu_tab_from_dict,
    menu_tab_to_dict,
)
from madoguchi.search import (
    across,
    answer_policy,
    artifact,
    confidence,
    glossary,
    homophones,
    reading,
    second_reader,
    topics,
    topk,
    word_vectors,
)
from madoguchi.search.analysis_cache import AnalysisCache, fingerprint
from madoguchi.search.bm25 import PostingsBM25, term_hashes
from madoguchi.search.faq_store import FaqStore
from madoguchi.search.fusion import (
    KANA_SEMANTIC_WEIGHT,
    LEXICAL_WORD_WEIGHT,
    SEMANTIC_WEIGHT,
    WORD_WEIGHT,
    fuse,
    z_scores,
)
from madoguchi.search.kana_words import KanaWords
from madoguchi.search.normalize import MAX_QUERY_CHARS, phrasing_key
from madoguchi.search.second_reader import READER_WEIGHT, RERANK_DEPTH, SecondReader
from madoguchi.search.semantic import QUERY_CHARS, Embedder, FaqVectors, meta_of, reads_question
from madoguchi.search.synonyms import SynonymMap, merged_groups
from madoguchi.search.tokenize import BIGRAM_PREFIX, RECALL_ONLY, Analyzer, TokenizerSettings
from madoguchi.search.word_vectors import FaqWordVectors, WordTable
from madoguchi.shelters.nearest import ARRAY_NAME as SHELTER_ARRAY
from madoguchi.shelters.nearest import ShelterIndex

logger = logging.getLogger(__name__)

# The hiragana reading of the question side (see madoguchi.search.reading), when readings are on.
READING_FIELD = "reading"
READING_WEIGHT = 1.0
# Which FAQ texts make up each field, and how much a match in it counts. Residents' questions
# look like the 質問/言い換え/キーワード of a FAQ far more than like its 回答, but the answer's
# vocabulary still finds FAQs whose question is worded differently (its reading did not help).
FIELD_TEXTS: dict[str, Callable[[Faq], list[str]]] = {
    "question": lambda f: [f.question, *f.paraphrases, *f.keywords, f.category],
    "answer": lambda f: [f.question, f.answer],
    READING_FIELD: lambda f: [f.question, *f.paraphrases, *f.keywords, f.category],
}
DEFAULT_WEIGHTS: dict[str, float] = {"question": 1.0, "answer": 1.0}
# Residents' own questions that chose a FAQ (madoguchi.learning), in a field of their own, so
# their weight is set apart from staff's 言い換え. On the hard dev set (scripts/bench_learning.py,
# held-out folds, BM25 alone) Hit@1 was 0.431 / 0.444 / 0.428 / 0.414 at weights 0.5 / 1.0 / 1.5 /
# 2.0: heavier, a few informal words pull unrelated questions to the FAQ.
LEARNED_FIELD = "learned"
# Word vectors rank only an index of at least this many FAQs: their z-scores and margins over a
# handful of FAQs are so wide that any first hit would look certain.
MIN_WORD_FAQS = 30
LEARNED_WEIGHT = 1.0
# A word or bigram of kana only: in a question read aloud, its reading n-grams stand for it.
_KANA_TERM = re.compile(f"{BIGRAM_PREFIX}?[ぁ-ゖー]+")
_KANA_BIGRAM = re.compile(f"{BIGRAM_PREFIX}[ぁ-ゖー]+")
# The fields that hold what a FAQ is about (its question side), as opposed to its answer.
QUESTION_SIDE = ("question", READING_FIELD, LEARNED_FIELD)
# The confidence is the probability that a hit is right (madoguchi.search.confidence). At or above
# the answer threshold the best hit is given as the answer: the threshold whose answers are right
# as often as 設定's 回答の確かさ asks (madoguchi.search.answer_policy; DEFAULT_THRESHOLD for
# ふつう), moved by the nightly calibration, or 回答しきい値 when set. Otherwise, when the
# search's closeness (the probability that a right FAQ is among the hits shown rather than none in
# the workbook) is at or above CHOICE_THRESHOLD, the closest FAQs are offered as choices; below it
# nothing is close: "not found", with the nearest related FAQs offered as 「もしかして」. Both were
# chosen on the hard dev set (scripts/fit_confidence.py): answers right as often as asked; and
# the most honest "not found" for questions the workbook has no FAQ for that still leaves a right
# FAQ in front of as many residents (one in a hundred at most lost) and tells at most one in
# twenty of those with a right FAQ "not found" (madoguchi_dev.fitting).
DEFAULT_THRESHOLD = answer_policy.threshold_for(
    answer_policy.target_precision(answer_policy.DEFAULT_CERTAINTY)
)
CHOICE_THRESHOLD = 0.45


@dataclass(frozen=True)
class SecondReading:
    """What the second reader found of the candidates, in their order (second_reader)."""

    standing: np.ndarray  # closeness in standard deviations among the candidates
    margins: np.ndarray  # closeness minus the best other candidate's


@dataclass(frozen=True)
class Hit:
    """One FAQ found for a question."""

    faq: Faq
    score: float  # fused score (BM25 alone without the semantic signal): orders the hits
    confidence: float = 0.0  # probability that this FAQ is a right one, 0..1
    related: bool = True  # it shares words or meaning with the question (confidence.judge)


@dataclass(frozen=True)
class SearchResult:
    """The closest FAQs for one question and whether the best of them is close enough to answer."""

    query: str
    hits: list[Hit] = field(default_factory=list)
    answered: bool = False  # the best hit is confident enough to be given as the answer
    threshold: float = DEFAULT_THRESHOLD
    confidence: float = 0.0  # confidence of the best hit
    terms: tuple[str, ...] = ()
    choice_threshold: float = CHOICE_THRESHOLD  # closeness below it: nothing close to offer
    # P(a right FAQ is among the hits shown) against "no FAQ answers this" (None: judge by the
    # best hit's confidence instead)
    closeness: float | None = None
    semantic: bool = False  # whether the semantic signal took part
    read_again: bool = False  # whether the second reader read the candidates (second_reader)
    evidence: np.ndarray | None = field(default=None, repr=False, compare=False)  # per hit

    @property
    def best(self) -> Hit | None:
        """The first hit, if any."""
        return self.hits[0] if self.hits else None


def texts_by_faq(learned: Sequence[LearnedPhrasing]) -> dict[str, list[str]]:
    """The learned phrasings' texts, by the FAQ they were learned for."""
    texts: dict[str, list[str]] = {}
    for phrasing in learned:
        texts.setdefault(phrasing.faq_id, []).append(phrasing.text)
    return texts


def menu_hash(menu: tuple[MenuTab, ...]) -> str:
    """sha256 of the menu's canonical JSON: the rich menu is rebuilt only when this changes."""
    canonical = json.dumps(
        [menu_tab_to_dict(t) for t in menu],
        ensure_ascii=False,
        sort_keys=True,
        separators=(",", ":"),
    )
    return hashlib.sha256(canonical.encode()).hexdigest()


def _margins(values: np.ndarray, top: np.ndarray) -> np.ndarray:
    """Each top document's value minus the best value of any other document."""
    if len(values) < 2:
        return np.zeros(len(top))
    first, second = np.partition(values, len(values) - 2)[-1:-3:-1]
    best_other = np.where(values[top] >= first, second, first)
    return values[top] - best_other


def _shown_margins(values: np.ndarray) -> np.ndarray:
    """Each hit's value minus the best value of the other hits a resident is shown (the first
    confidence.SHOWN), so the figure is the same however many hits were asked for."""
    shown = values[: confidence.SHOWN]
    if len(shown) < 2:
        return np.asarray(values, dtype=np.float64)  # no other hit shown: ahead by all it holds
    ahead = _margins(shown, np.arange(len(shown)))
    return np.concatenate([ahead, values[len(shown) :] - shown.max()])


def _reading_links(terms: tuple[str, ...]) -> tuple[np.ndarray, np.ndarray]:
    """Which terms are reading n-grams, and which of them continue into the next term.

    A question's reading n-grams come in order along each kana run, so neighbours that overlap
    by all but one kana are parts of one longer reading.
    """
    is_reading = np.array([t.startswith(reading.READING_PREFIX) for t in terms], dtype=bool)
    linked = np.array(
        [
            bool(is_reading[i] and is_reading[i + 1] and terms[i][2:] == terms[i + 1][1:-1])
            for i in range(len(terms) - 1)
        ],
        dtype=bool,
    )
    return is_reading, linked


def _lone_readings(terms: tuple[str, ...], found: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Found (term, document) pairs that are reading n-grams without a found neighbour, and
    those of them that are a whole kana word of the question (a word of three kana: こせき)."""
    is_reading, linked = _reading_links(terms)
    pair = found[:-1] & found[1:] & linked[:, None]  # terms i and i + 1 both found, one run
    joined = np.zeros_like(found)
    joined[:-1] |= pair
    joined[1:] |= pair
    lone = found & is_reading[:, None] & ~joined
    continues = np.zeros(len(terms), dtype=bool)
    continues[:-1] |= linked
    continues[1:] |= linked
    return lone, lone & ~continues[:, None]


def _ranked_margins(values: np.ndarray, size: int) -> np.ndarray:
    """_margins when `values` are the best of `size` non-negative values, best first (two at
    least, when there are two above zero)."""
    if size < 2 or not len(values):
        return np.zeros(len(values))
    second = values[1] if len(values) > 1 else 0.0
    return values - np.where(np.arange(len(values)) == 0, second, values[0])


def _is_first(values: np.ndarray, top: np.ndarray) -> np.ndarray:
    """Whether each top document is the first by `values` (ties: the first in workbook order)."""
    return top == int(np.argmax(values))


class SearchIndex:
    """Published FAQs, their BM25 fields, and what the bot needs to answer (settings, menu…)."""

    def __init__(
        self,
        *,
        store: FaqStore,
        fields: dict[str, PostingsBM25],
        weights: dict[str, float],
        analyzer: Analyzer,
        synonym_groups: list[list[str]],
        settings: BotSettings,
        menu: tuple[MenuTab, ...],
        tests: tuple[TestCase, ...],
        meta: dict[str, Any],
        vectors: FaqVectors | None = None,
        embedder: Embedder | None = None,
        learned: tuple[LearnedPhrasing, ...] = (),
        kana_words: KanaWords | None = None,
        views: dict[str, int] | None = None,
        topic_keywords: dict[str, list[int]] | None = None,
        translated: dict[str, across.Translated] | None = None,
        departments: tuple[Department, ...] = (),
        consultation_lines: tuple[ConsultationLine, ...] = (),
        shelters: ShelterIndex | None = None,
        words: FaqWordVectors | None = None,
    ):
        self.store = store
        # キーワード that several FAQs list, with those FAQs' positions (topics.keyword_map).
        self.topic_keywords = dict(topic_keywords or {})
        # How many residents opened each FAQ lately (madoguchi.learning): topics list these first.
        self.views = dict(views or {})
        self._views_at: dict[int, int] | None = None
        # The city's translated questions, by language (madoguchi.search.across).
        self.translated = translated or {}
        # The 担当課 sheet: answers end with a button that calls the FAQ's department.
        self.departments = departments
        self._department = {d.name: d for d in departments}
        # The FAQs' kanji words by reading, so kana questions can be embedded (see kana_words).
        self.kana_words = kana_words or KanaWords({})
        self.learned = learned  # what residents taught this version (madoguchi.learning)
        # A question typed as a learned one was (script, spaces, 教えて aside) reads as it.
        self._learned_wording = {phrasing_key(p.text): p.text for p in learned}
        self.fields = fields
        self.weights = weights
        self.analyzer = analyzer
        self.synonym_groups = synonym_groups
        self.settings = settings
        self.menu = menu
        # The 相談窓口 sheet's lines for residents in danger (the defaults are in madoguchi.crisis).
        self.consultation_lines = consultation_lines
        self.shelters = shelters or ShelterIndex(())  # the 避難所 sheet, by location
        self.tests = tests
        self.meta = meta
        self._unknown_idf = float(np.log((len(store) + 0.5) / 0.5)) if len(store) else 0.0
        self.vectors = vectors
        self.analysis: AnalysisCache | None = None  # set by build_index, for the next build
        self.semantic_weight = SEMANTIC_WEIGHT  # scripts/fit_confidence.py tries others
        # Each FAQ's word vectors (madoguchi.search.word_vectors): a third signal, with or without
        # e5, when the layer's table is the one they were made with (read at the first search).
        self.words = words
        self.word_weight = WORD_WEIGHT  # beside e5
        self.lexical_word_weight = LEXICAL_WORD_WEIGHT  # when BM25 ranks without e5
        self._word_table: WordTable | bool | None = None if words is not None else False
        # The nightly calibration of the answer threshold (set by the webhook's IndexHolder).
        self.calibration: answer_policy.Calibration | None = None
        self._embedder: Embedder | None = None
        if embedder is not None:
            self.attach_embedder(embedder)
        # The second reader of the candidates (madoguchi.search.second_reader), with e5 only.
        self._reader: SecondReader | None = None
        self._taught = texts_by_faq(learned)

    # --- lookups -------------------------------------------------------------------------------

    @property
    def faqs(self) -> tuple[Faq, ...]:
        """Every published FAQ, in workbook order."""
        return self.store.all()

    def faq(self, faq_id: str) -> Faq | None:
        """The published FAQ with this ID."""
        position = self.store.position(str(faq_id).strip())
        return None if position is None else self.store.get(position)

    def department(self, name: str) -> Department | None:
        """The 担当課 sheet's row for a FAQ's 担当課, if it has one."""
        return self._department.get(name.strip()) if name else None

    def categories(self) -> list[str]:
        """Categories in the order they first appear in the workbook."""
        return [c for c in self.store.categories() if c]

    def faqs_in_category(self, name: str) -> list[Faq]:
        """Published FAQs of one category, in workbook order."""
        return self.store.in_category(name) if name else []

    def topic(self, text: str) -> Topic | None:
        """The topic a message names when it is only a topic (madoguchi.search.topics), with its
        FAQs most viewed first; None for anything else. A kanji slip is mended first (保健証 is
        the topic 保険証), as the search mends it."""
        core = topics.topic_text(self._respelled(text or ""))
        if core is None or not len(self.store):
            return None
        terms = self._topic_terms
        words = topics.words_of(core, terms)
        if not words or len(words) > topics.MAX_TOPIC_WORDS:
            return None
        views = self._view_positions()
        field = self.fields["question"]
        named = topics.category_of(words, self.categories(), terms)
        if named is not None:
            category, whole = named
            members = [int(p) for p in self.store.positions_in_category(category)]
            ranked: list[int] = []
            if not whole:
                # 年金 of 国保・年金: the FAQs about 年金 first, then the rest of the category.
                scores = field.get_scores(list(words))
                ranked = sorted(members, key=lambda p: -scores[p])
            order = topics.most_viewed_first(members, views, ranked)
            return self._topic(category, order, category)
        postings = []
        for position in field.lookup(term_hashes(words)):
            if position < 0:
                return None  # a word no FAQ's question side has
            postings.append(field.doc_ids[field.starts[position] : field.starts[position + 1]])
        shared = topics.shared_by(postings)
        listed: Sequence[int] = ()
        if len(shared) < topics.MIN_SHARED:
            listed = topics.keyword_faqs(core, self.topic_keywords)
            if len(listed) < topics.MIN_KEYWORD:
                return None
        scores = field.get_scores(list(words))
        reached = [*listed, *shared]
        ranked = sorted(reached, key=lambda p: -scores[p])
        order = topics.most_viewed_first(reached, views, ranked)
        return self._topic(core, order)

    def _topic(self, name: str, order: Sequence[int], category: str = "") -> Topic:
        """A topic with its first FAQs read (a category may hold thousands) and its size."""
        listed = tuple(self.store.get(p) for p in order[: topics.MAX_LISTED])
        return Topic(name, listed, category, size=len(order))

    def _view_positions(self) -> dict[int, int]:
        """Views by FAQ position (worked out once per index)."""
        if self._views_at is None:
            found = ((self.store.position(f), n) for f, n in self.views.items())
            self._views_at = {p: n for p, n in found if p is not None}
        return self._views_at

    def _topic_terms(self, text: str) -> tuple[str, ...]:
        return self.analyzer.query_terms(text, MAX_QUERY_CHARS)

    @property
    def threshold(self) -> float:
        """Confidence needed to answer: 設定's 回答しきい値, else the calibrated threshold for its
        回答の確かさ, else the one measured for that target precision."""
        return answer_policy.answer_threshold(
            self.settings.answer_threshold, self.settings.answer_certainty, self.calibration
        )

    # --- the semantic signal -------------------------------------------------------------------

    def attach_embedder(self, embedder: Embedder | None) -> bool:
        """Embed questions with this embedder from now on; whether the semantic signal is on.

        It is on only when the index holds FAQ vectors of the embedder's model; otherwise (or
        with None) the search is BM25 alone, as for an index built without vectors.
        """
        model = (self.meta.get("semantic") or {}).get("model_id")
        if embedder is None or self.vectors is None or model != embedder.model_id:
            if embedder is not None:
                logger.warning(
                    "the index has no vectors of this model: searching with BM25 alone",
                    extra={"index_model": model, "embedder_model": embedder.model_id},
                )
            self._embedder = None
            return False
        self._embedder = embedder
        return True

    def attach_reader(self, reader: SecondReader | None) -> None:
        """Read the candidates again with this second reader whenever e5 takes part."""
        self._reader = reader

    @property
    def reader(self) -> SecondReader | None:
        """The second reader, if one is attached (and has not failed)."""
        return self._reader

    @property
    def embedder(self) -> Embedder | None:
        """The embedder questions are embedded with, if the semantic signal is on."""
        return self._embedder

    @property
    def semantic(self) -> bool:
        """Whether questions are embedded and fused with BM25."""
        return self._embedder is not None

    def read_as(self, query: str) -> str | None:
        """What the semantic model reads for this question: a learned question's wording when it
        is one, the question, or a question typed in kana with the FAQs' kanji words in it (see
        kana_words); None when it cannot read it."""
        learned = self._learned_wording.get(phrasing_key(query)) if self.learned else None
        if learned is not None and reads_question(learned):
            return learned
        if reads_question(query):
            return query.strip()
        rewritten = self.kana_words.rewrite(query.strip())
        return rewritten if rewritten and reads_question(rewritten) else None

    def _similarity(self, query: str) -> tuple[np.ndarray, float, bool] | None:
        """Cosine of the question with every FAQ, the weight it gets in the fusion and whether
        the question was read back from kana; None when the semantic signal is off for it."""
        if self._embedder is None or self.vectors is None:
            return None
        text = self.read_as(query)
        if text is None:
            return None
        # Read back from kana: a guess at the words meant (a learned wording is no guess).
        read_back = not reads_question(query) and text not in self._learned_wording.values()
        try:
            vector = self._embedder.embed_queries([text[:QUERY_CHARS]])[0]
        except Exception:
            # A resident still gets an answer: BM25 alone from now on, and one log line.
            logger.exception("embedding a question failed: searching with BM25 alone")
            self._embedder = None
            return None
        # A kana question read back is a guess at the words meant: its meaning counts for less.
        weight = KANA_SEMANTIC_WEIGHT if read_back else self.semantic_weight
        return self.vectors.similarity(vector), weight, read_back

    def _word_similarity(self, query: str) -> np.ndarray | None:
        """The question's word-vector cosine with every FAQ (question side and answer mixed);
        None when the index has no word vectors of the layer's table, or the question cannot be
        read as the semantic model reads it (read_as: typed in kana without a reading of the
        FAQs' kanji words, the table would find only pieces of words: じ, うみ, ん)."""
        if self.words is None or len(self.words) < MIN_WORD_FAQS:
            return None
        if self._word_table is None:
            loaded = word_vectors.table()
            matches = loaded is not None and loaded.name == self.words.table_name
            self._word_table = loaded if matches else False
        if not isinstance(self._word_table, WordTable):
            return None
        text = self.read_as(query)
        if text is None:
            return None
        vector = self._word_table.embed(text[:MAX_QUERY_CHARS])
        return self.words.similarity(vector) if vector.any() else None

    # --- search --------------------------------------------------------------------------------

    def search_across(self, query: str, language: str, k: int = 4) -> SearchResult:
        """The closest FAQs to a question in another language (madoguchi.search.across).

        Never answered outright: any hits are choices; without hits nothing is close.
        """
        empty = SearchResult(query=query, threshold=self.threshold, closeness=0.0)
        embedder = self._embedder
        reader = self._reader if language in second_reader.LANGUAGES else None
        depth = max(k, RERANK_DEPTH) if reader is not None else k
        translated = self.translated.get(language)
        glossed = self._glossed(query, language)
        try:
            ranking = across.rank(
                query, self.vectors, embedder, translated, len(self.store), depth, glossed
            )
        except Exception:
            logger.exception("embedding a question failed: searching with BM25 alone")
            self._embedder = None
            ranking = across.rank(query, None, None, translated, len(self.store), depth, glossed)
        if not len(ranking.positions):
            return empty
        if reader is not None and self._embedder is not None:
            ranking = self._read_across(reader, query, language, ranking)
        hits = [
            Hit(self.store.get(int(p)), float(score))
            for p, score in zip(ranking.positions[:k], ranking.scores[:k], strict=True)
        ]
        return SearchResult(
            query=query,
            hits=hits,
            threshold=self.threshold,
            closeness=1.0,
            semantic=embedder is not None,
        )

    def _glossed(self, query: str, language: str) -> across.Glossed | None:
        """The Japanese words the glossary finds in a foreign question, scored by BM25 over every
        FAQ as a Japanese question's words are; None when it finds none."""
        words = glossary.built_in().japanese_words(query, language)
        terms = self.analyzer.query_terms(" ".join(words), MAX_QUERY_CHARS) if words else ()
        # Whole words and kanji bigrams only: the recall terms (a kanji alone, 手 of 手数料) would
        # offer 児童手当 for the fee of oversized waste, and nothing judges these choices after.
        terms = tuple(t for t in terms if not t.startswith(RECALL_ONLY))
        if not terms or not len(self.store):
            return None
        scores = topk.exhaustive(self._postings(terms)[1], len(self.store))
        return across.Glossed(scores, tuple(words))

    def _postings(self, terms: tuple[str, ...]) -> tuple[dict[str, np.ndarray], list[topk.Part]]:
        """Where each term is in each field's postings, and the weighted parts BM25 scores."""
        hashes = term_hashes(terms)
        positions = {name: bm25.lookup(hashes) for name, bm25 in self.fields.items()}
        return positions, topk.parts_of(self.fields, positions, self.weights)

    def _closeness(
        self,
        reader: SecondReader,
        text: str,
        faqs: list[Faq],
        taught: dict[str, list[str]] | None = None,
    ) -> np.ndarray | None:
        """The second reader's closeness of each FAQ to the text; None, and no reader from now
        on, when it fails (a resident still gets an answer, ranked and judged without it)."""
        try:
            return reader.closeness(text, faqs, taught)
        except Exception:
            logger.exception("the second reader failed: ranking without it")
            self._reader = None
            return None

    def _read_across(
        self, reader: SecondReader, query: str, language: str, ranking: across.Ranking
    ) -> across.Ranking:
        """A foreign question's candidates reordered by the second reader too; as they were if it
        fails. It reads every candidate in Japanese, the city's translations aside: a cosine within
        one language runs higher than across two, so a translated FAQ would stand out for that
        alone (held-out English questions: first choice right 7 of 16 reading translations, 11 of
        16 reading the Japanese; the dev set's 30 of 34 either way)."""
        faqs = [self.store.get(int(p)) for p in ranking.positions]
        closeness = self._closeness(reader, query, faqs)
        if closeness is None:
            return ranking
        fused = ranking.scores + second_reader.ACROSS_WEIGHT * z_scores(closeness)
        order = np.lexsort((ranking.positions, -fused))
        return across.Ranking(ranking.positions[order], fused[order])

    def search(self, query: str, k: int = 4) -> SearchResult:
        """The k closest FAQs, best first, and whether the best is confident enough to answer.

        Ordering fuses BM25 (question side + answer side + kana reading) with the semantic
        similarity of the question to each FAQ (madoguchi.search.fusion) when the index has
        vectors, an embedder is attached and the model can read the question: it has kanji, or
        its kana hold readings of the FAQs' kanji words (`read_as`; e5 cannot read kana-only
        questions as typed, and BM25's reading field was made for them). Each hit's confidence
        is the probability that it is right, from the evidence described in
        madoguchi.search.confidence; greetings and emoji leave no search terms and get no hits.
        """
        threshold = self.threshold
        asked = query  # the result keeps the question as typed; the search reads it mended
        query = self._respelled(query or "")
        terms = self.analyzer.query_terms(query, MAX_QUERY_CHARS)
        empty = SearchResult(query=asked, threshold=threshold, terms=terms)
        if not terms or not len(self.store):
            return empty
        positions, parts = self._postings(terms)
        # Whether anything is close is judged on the hits a resident would be shown, however
        # many are asked for (and two at least: the best hit's margin is against the second).
        wanted = max(k, confidence.SHOWN, 2)
        semantic = self._similarity(query)
        similarity, weight, read_back = semantic if semantic is not None else (None, 0.0, False)
        second: SecondReading | None = None
        word_weight = self.word_weight if similarity is not None else self.lexical_word_weight
        words = self._word_similarity(query) if word_weight > 0 else None
        if similarity is None and words is None:
            # The exact k best by BM25 without scoring every posting (madoguchi.search.topk).
            top, lexical, found = topk.top_k(parts, len(self.store), wanted)
            if not len(top):
                return empty
            fused, ranked = None, lexical
        else:
            # Every FAQ takes part in the fused ranking: its lexical score is needed for all.
            lexical = topk.exhaustive(parts, len(self.store))
            fused = fuse(lexical, similarity, weight, words, word_weight)
            # Without e5, word vectors only reorder the FAQs BM25 finds: a question that shares
            # no word with any FAQ still finds none.
            candidates = np.ones(len(fused), dtype=bool) if similarity is not None else lexical > 0
            reader = self._reader if similarity is not None else None
            top = self._top(fused, candidates, max(wanted, RERANK_DEPTH) if reader else wanted)
            if not len(top):
                return empty
            if reader is not None:
                fused, top, second = self._read_again(reader, query, fused, top)
            top = top[:wanted]
            ranked = fused[top]
            found = topk.exact_scores(parts, top)[1]
        evidence = self._evidence(
            terms, positions, parts, found, top, lexical, similarity, fused, read_back, words
        )
        if second is not None:
            evidence[:, confidence.FEATURES.index("reader_z")] = second.standing[: len(top)]
            evidence[:, confidence.FEATURES.index("reader_margin")] = second.margins[: len(top)]
            judged = confidence.judge(
                evidence, confidence.WITH_READER, confidence.CLOSE_WITH_READER
            )
        elif similarity is None:
            judged = confidence.judge(evidence, confidence.LEXICAL_ONLY, confidence.CLOSE_LEXICAL)
        else:
            judged = confidence.judge(
                evidence, confidence.WITH_SEMANTIC, confidence.CLOSE_WITH_SEMANTIC
            )
        hits = [
            Hit(self.store.get(int(d)), float(score), float(p), bool(r))
            for d, score, p, r in zip(
                top[:k], ranked[:k], judged.probability, judged.related, strict=False
            )
        ]
        return SearchResult(
            query=asked,
            hits=hits,
            answered=judged.answers(threshold),
            threshold=threshold,
            confidence=hits[0].confidence,
            closeness=judged.closeness,
            terms=terms,
            semantic=similarity is not None,
            read_again=second is not None,
            evidence=evidence[: len(hits)],
        )

    def _respelled(self, query: str) -> str:
        """The question with kanji slips of the same sound mended into the FAQs' own words
        (madoguchi.search.homophones); as typed when it has none, or when residents taught its
        wording (what they taught is matched as they typed it)."""
        if phrasing_key(query) in self._learned_wording or not reads_question(query):
            return query
        readings = homophones.table()
        if readings is None:
            return query
        # Only what the search reads (the first MAX_QUERY_CHARS characters) is worth mending.
        read, rest = query[:MAX_QUERY_CHARS], query[MAX_QUERY_CHARS:]
        mended = homophones.respelled(read, self._writes, self.kana_words, readings)
        return mended + rest if mended else query

    def _writes(self, pair: str) -> bool:
        """Whether some FAQ's text holds this pair of kanji (as the index spells it)."""
        hashes = term_hashes([BIGRAM_PREFIX + p for p in {pair, self.analyzer.prepare(pair)}])
        return any(bool((bm25.lookup(hashes) >= 0).any()) for bm25 in self.fields.values())

    def _read_again(
        self, reader: SecondReader, query: str, fused: np.ndarray, top: np.ndarray
    ) -> tuple[np.ndarray, np.ndarray, SecondReading | None]:
        """The candidates reordered by the fused score plus the second reader's standing among
        them, with its reading; as they were (and no reader from now on) when it fails."""
        faqs = [self.store.get(int(p)) for p in top]
        closeness = self._closeness(reader, self.read_as(query) or query, faqs, self._taught)
        if closeness is None:
            return fused, top, None
        standing = z_scores(closeness)
        margins = _margins(closeness, np.arange(len(closeness)))
        fused = fused.copy()
        fused[top] += READER_WEIGHT * standing
        order = np.lexsort((top, -fused[top]))
        return fused, top[order], SecondReading(standing[order], margins[order])

    @staticmethod
    def _top(scores: np.ndarray, candidates: np.ndarray, k: int) -> np.ndarray:
        candidates = np.flatnonzero(candidates)
        if len(candidates) > k:
            candidates = candidates[np.argpartition(-scores[candidates], k - 1)[:k]]
        # Best score first; equal scores keep workbook order.
        return candidates[np.lexsort((candidates, -scores[candidates]))][:k]

    def _term_weights(self, terms: tuple[str, ...], positions: dict[str, np.ndarray]) -> np.ndarray:
        """How much of the question's information each term carries (IDF; 0 for recall terms)."""
        # Each term weighs its highest IDF over the fields; unseen terms the most of all.
        weight = np.full(len(terms), -np.inf)
        for name, pos in positions.items():
            idf = self.fields[name].idf
            if len(idf):
                weight = np.maximum(weight, np.where(pos >= 0, idf[np.maximum(pos, 0)], -np.inf))
        unseen = np.isinf(weight)
        weight = np.where(unseen, self._unknown_idf, np.maximum(weight, 0.0))
        weight[[t.startswith(RECALL_ONLY) for t in terms]] = 0.0
        if any(t.startswith(reading.READING_PREFIX) for t in terms):
            # Kana words count through their reading n-grams, so じゅうみんひょう is not also an
            # unknown word.
            weight[unseen & np.array([bool(_KANA_TERM.fullmatch(t)) for t in terms])] = 0.0
        return weight

    def _evidence(
        self,
        terms: tuple[str, ...],
        positions: dict[str, np.ndarray],
        parts: list[topk.Part],
        found: np.ndarray,
        top: np.ndarray,
        lexical: np.ndarray,
        similarity: np.ndarray | None,
        fused: np.ndarray | None,
        read_back: bool,
        word_similarity: np.ndarray | None = None,
    ) -> np.ndarray:
        """The evidence matrix of the top documents (columns: confidence.FEATURES).

        `lexical` holds the BM25 scores of the top documents, or of every FAQ with the semantic
        signal; without it the top documents are BM25's own best, in order.
        """
        weight = self._term_weights(terms, positions)
        total = weight.sum()
        # Which (term, top document) pairs occur in the postings (found: parts × top), by side.
        question_side = np.zeros((len(terms), len(top)), dtype=bool)
        anywhere = np.zeros_like(question_side)
        for part, row in zip(parts, found, strict=True):
            anywhere[part.term] |= row
            if part.name in QUESTION_SIDE:
                question_side[part.term] |= row
        if total <= 0:
            total = 1.0  # no term carries information: every share is 0
        question_cover = (weight @ question_side) / total
        cover = (weight @ anywhere) / total
        # Kana bigrams (ふる, えん) match unrelated words too: they do not make a FAQ related.
        words = weight * np.array([not _KANA_BIGRAM.fullmatch(t) for t in terms])
        # One reading n-gram alone is three kana that many readings contain (げんき in
        # げんきょう): only a run of two or more overlapping ones grounds a FAQ in the question.
        lone, short_word = _lone_readings(terms, question_side)
        if fused is None:
            best_lexical = float(lexical[0])
            top_lexical = lexical / best_lexical
            first = np.arange(len(top)) == 0
        else:
            best_lexical = float(lexical.max())
            top_lexical = lexical[top] / best_lexical if best_lexical > 0 else np.zeros(len(top))
            first = _is_first(lexical, top) & (lexical[top] > 0)
        columns = {
            "question_cover": question_cover,
            "answer_only_cover": cover - question_cover,
            "word_cover": (words @ anywhere) / total,
            "grounded_cover": (words @ (question_side & ~lone)) / total,
            "short_reading_cover": (words @ short_word) / total,
            "lexical": top_lexical,
            "lexical_first": first,
            "cover_margin": _shown_margins(cover),
        }
        spread = float(word_similarity.std()) if word_similarity is not None else 0.0
        if word_similarity is not None and spread > 1e-9:
            # Only how far ahead in meaning a hit stands: every hit but one is behind the first,
            # and a close candidate (粗大ごみの手数料 after 粗大ごみの出し方) is no less related.
            # In standard deviations, as fused: cosines of a small workbook spread wider.
            ahead = np.maximum(_margins(word_similarity, top), 0.0)
            columns["word_margin"] = ahead / spread
        if similarity is None:
            # How far BM25 puts it ahead, in shares of the best score, counted as far as it
            # holds the question's information: one weak shared word in a small index (the only
            # FAQ found, so far ahead) is no evidence that it is right.
            if fused is None:
                margin = _ranked_margins(top_lexical, len(self.store))
            else:
                # Word vectors reorder, but the margin stays BM25's own (the best other FAQ's
                # share of the best score): one scale for questions with and without them.
                margin = _margins(lexical / best_lexical, top)
            columns["fused_margin"] = margin * cover
        else:
            assert fused is not None  # fused and similarity come together
            columns["fused_margin"] = _margins(fused, top)
            columns["similarity"] = similarity[top]
            columns["similarity_margin"] = _margins(similarity, top)
            spread = float(similarity.std())
            if spread > 1e-9:
                columns["similarity_z"] = (similarity[top] - similarity.mean()) / spread
            columns["semantic_first"] = _is_first(similarity, top)
            columns["read_back"] = np.full(len(top), float(read_back))
        return np.column_stack(
            [
                np.asarray(columns.get(name, np.zeros(len(top))), dtype=np.float64)
                for name in confidence.FEATURES
            ]
        )

    # --- artifact ------------------------------------------------------------------------------

    def to_bytes(self) -> bytes:
        """The index as a self-describing file (see madoguchi.search.artifact)."""
        arrays: dict[str, np.ndarray] = dict(self.store.arrays())
        for name, bm25 in self.fields.items():
            arrays.update(bm25.arrays(f"field.{name}"))
        if self.vectors is not None:
            arrays.update(self.vectors.arrays())
        if self.words is not None:
            arrays.update(self.words.arrays())
        for translated in self.translated.values():
            arrays.update(translated.arrays())
        if len(self.shelters):
            arrays[SHELTER_ARRAY] = self.shelters.xyz
        documents = {
            "settings": self.settings.to_dict(),
            "menu": [menu_tab_to_dict(t) for t in self.menu],
            "tests": [
                {"query": t.query, "relevant_ids": list(t.relevant_ids), "row": t.row}
                for t in self.tests
            ],
            "synonyms": self.synonym_groups,
            "learned": [p.to_dict() for p in self.learned],
            "kana_words": self.kana_words.words,
            "views": self.views,
            "topic_keywords": self.topic_keywords,
            "consultation_lines": [line.to_dict() for line in self.consultation_lines],
            "shelters": self.shelters.records(),
        }
        if self.departments:  # only then: an index without them is the same file as before
            documents["departments"] = [asdict(d) for d in self.departments]
        return artifact.encode(self.meta, documents, arrays)

    @classmethod
    def from_bytes(cls, data: bytes, embedder: Embedder | None = None) -> SearchIndex:
        """Load an index file; ArtifactError (a ValueError) if it is not a readable one.

        With an embedder, questions are embedded and fused with BM25 when the file holds vectors
        of its model (see attach_embedder); files of format 1 have none and search with BM25.
        """
        meta, documents, arrays = artifact.decode(data)
        try:
            settings = TokenizerSettings.from_dict(meta["tokenizer"])
            weights = {str(k): float(v) for k, v in meta["weights"].items()}
            fields = {name: PostingsBM25.from_arrays(arrays, f"field.{name}") for name in weights}
            groups = [list(g) for g in documents["synonyms"]]
            store = FaqStore(arrays, int(meta["counts"]["faqs"]))
            index = cls(
                store=store,
                fields=fields,
                weights=weights,
                analyzer=Analyzer(SynonymMap(groups), settings),
                synonym_groups=groups,
                settings=BotSettings.from_dict(documents["settings"]),
                menu=tuple(menu_tab_from_dict(t) for t in documents["menu"]),
                tests=tuple(
                    TestCase(t["query"], tuple(t["relevant_ids"]), t.get("row", 0))
                    for t in documents["tests"]
                ),
                meta=meta,
                vectors=FaqVectors.from_arrays(arrays),
                learned=tuple(LearnedPhrasing.from_dict(p) for p in documents.get("learned", [])),
                kana_words=KanaWords(
                    {str(k): str(v) for k, v in documents.get("kana_words", {}).items()}
                ),
                views={str(k): int(v) for k, v in documents.get("views", {}).items()},
                topic_keywords={
                    str(k): [int(p) for p in v]
                    for k, v in documents.get("topic_keywords", {}).items()
                },
                departments=tuple(Department(**d) for d in documents.get("departments", [])),
                translated={
                    str(language): across.Translated.from_arrays(str(language), arrays)
                    for language in meta.get("translated", [])
                },
                # Files written before the 相談窓口 sheet have none: the defaults are used.
                consultation_lines=tuple(
                    ConsultationLine.from_dict(line)
                    for line in documents.get("consultation_lines", [])
                ),
                shelters=ShelterIndex.from_records(
                    documents.get("shelters", []), arrays.get(SHELTER_ARRAY)
                ),
                # Files written before word vectors have none: ranked without them.
                words=FaqWordVectors.from_arrays(arrays, meta),
            )
        except (KeyError, TypeError, ValueError, AttributeError) as exc:
            raise artifact.ArtifactError(
                f"索引ファイルが壊れています (corrupt index: {exc})"
            ) from exc
        if (
            any(len(b.doc_len) != len(store) for b in fields.values())
            or (index.vectors is not None and len(index.vectors) != len(store))
            or (index.words is not None and len(index.words) != len(store))
        ):
            raise artifact.ArtifactError("索引ファイルが壊れています (field sizes do not match)")
        if embedder is not None:
            index.attach_embedder(embedder)
        return index


def _kana_words(faqs: Sequence[Faq], analysis: AnalysisCache) -> KanaWords:
    """The kanji words of the FAQs' questions, 言い換え and answers, by reading."""
    pairs = []
    for faq in faqs:
        for text in (faq.question, *faq.paraphrases, faq.answer):
            if not text:
                continue
            # Cached as "reading<TAB>word" strings, the analysis cache's kind of entry.
            for entry in analysis.terms("kanji_words", text, _kanji_word_entries):
                kana, word = entry.split("\t", 1)
                pairs.append((kana, word))
    return KanaWords.build(pairs)


def _cached_rows(table: WordTable, analysis: AnalysisCache) -> Callable[[str], list[int]]:
    """The table's words in a text (rows), from the last build's analysis when it has them."""
    kind = f"words.{table.name}"

    def analyse(text: str) -> list[str]:
        return [str(row) for row in table.rows_in(text)]

    return lambda text: [int(row) for row in analysis.terms(kind, text, analyse)]


def _kanji_word_entries(text: str) -> list[str]:
    return [f"{kana}\t{word}" for kana, word in reading.kanji_words(text)]


def build_index(
    workbook: FaqWorkbook,
    *,
    checksum: str = "",
    built_at: str | None = None,
    settings: TokenizerSettings | None = None,
    weights: dict[str, float] | None = None,
    embedder: Embedder | None = None,
    learned: Sequence[LearnedPhrasing] = (),
    previous_analysis: bytes | None = None,
    views: dict[str, int] | None = None,
    words: WordTable | bool | None = True,
) -> SearchIndex:
    """Index the workbook's published FAQs; with an embedder, also their vectors.

    `words` (the layer's word-vector table by default; False for none) gives every FAQ its word
    vectors (madoguchi.search.word_vectors), a third ranking signal.

    `views` (FAQ ID -> residents who were given it lately, madoguchi.learning) orders a topic's
    FAQs (SearchIndex.topic).

    `learned` phrasings of published FAQs go into their own field (LEARNED_FIELD), present only
    when there are some, so an index without them is the same file as before.
    `previous_analysis` is the last build's analysed text (index.analysis.to_bytes()): texts
    found there are not analysed again.

    The embedder embeds every FAQ's passages (semantic.passages_of) in one call, so a caching or
    batching embedder sees them all at once, and the index then embeds questions with it too
    (attach_embedder(None) turns that off).
    """
    started = time.perf_counter()
    settings = settings or TokenizerSettings()
    if settings.readings and not reading.readings_available():
        settings = replace(settings, readings=False)
    weights = dict(weights or DEFAULT_WEIGHTS)
    if settings.readings:
        weights.setdefault(READING_FIELD, READING_WEIGHT)
    else:
        weights.pop(READING_FIELD, None)
    groups = [
        list(g) for g in merged_groups(workbook.synonyms, use_defaults=settings.default_synonyms)
    ]
    analyzer = Analyzer(SynonymMap(groups), settings)
    analysis = AnalysisCache.from_bytes(previous_analysis, fingerprint(settings.to_dict(), groups))
    faqs = workbook.published_faqs
    published = {faq.id for faq in faqs}
    learned = tuple(p for p in learned if p.faq_id in published)
    learned_texts = texts_by_faq(learned)
    if learned:
        weights.setdefault(LEARNED_FIELD, LEARNED_WEIGHT)
    else:
        weights.pop(LEARNED_FIELD, None)
    corpora: dict[str, list[list[str]]] = {name: [] for name in weights}
    for faq in faqs:
        analyzed: dict[str, list[str]] = {}  # the question is in several fields: analyze it once
        for name, corpus in corpora.items():
            if name == READING_FIELD:
                texts = [text for text in FIELD_TEXTS[name](faq) if text]
                corpus.append(
                    [
                        gram
                        for text in texts
                        for gram in analysis.terms("reading", text, analyzer.reading_terms)
                    ]
                )
                continue
            terms = []
            if name == LEARNED_FIELD:
                texts = learned_texts.get(faq.id, [])
            else:
                texts = FIELD_TEXTS[name](faq)
            for text in texts:
                if text:
                    if text not in analyzed:
                        analyzed[text] = analysis.terms("terms", text, analyzer.terms)
                    terms.extend(analyzed[text])
            corpus.append(terms)
    fields = {name: PostingsBM25.build(corpus) for name, corpus in corpora.items()}
    kana_words = _kana_words(faqs, analysis) if settings.readings else KanaWords({})
    meta: dict[str, Any] = {
        "format_version": artifact.FORMAT_VERSION,
        "built_at": built_at or datetime.now(UTC).isoformat(timespec="seconds"),
        "checksum": checksum,
        "counts": {
            "faqs": len(faqs),
            "unpublished": len(workbook.faqs) - len(faqs),
            "synonym_groups": len(groups),
            "menu_tabs": len(workbook.menu),
            "tests": len(workbook.tests),
            "learned_phrasings": len(learned),
            "kana_words": len(kana_words),
            "consultation_lines": len(workbook.consultation_lines),
            "terms": {name: len(b.keys) for name, b in fields.items()},
            "postings": {name: len(b.doc_ids) for name, b in fields.items()},
        },
        "tokenizer": settings.to_dict(),
        "weights": weights,
        "bm25": {"k1": 1.5, "b": 0.75, "epsilon": 0.25},
        "max_query_chars": MAX_QUERY_CHARS,
        "menu_hash": menu_hash(workbook.menu),
        "default_threshold": DEFAULT_THRESHOLD,
        "choice_threshold": CHOICE_THRESHOLD,
    }
    vectors = None
    if embedder is not None:
        vectors = FaqVectors.build(faqs, embedder, learned_texts)
        meta["semantic"] = meta_of(embedder)
    table = word_vectors.table() if words is True else words or None
    faq_words = None
    if table is not None:
        faq_words = FaqWordVectors.build(faqs, table, _cached_rows(table, analysis), learned_texts)
    if faq_words is not None:
        meta["word_vectors"] = faq_words.meta()
    translated = {
        language: across.Translated.build(language, faqs, embedder)
        for language in across.translated_languages(faqs)
    }
    if translated:  # only then: an index without translations is the same file as before
        meta["translated"] = list(translated)
    index = SearchIndex(
        store=FaqStore.build(faqs),
        fields=fields,
        weights=weights,
        analyzer=analyzer,
        synonym_groups=groups,
        settings=workbook.settings,
        menu=workbook.menu,
        tests=workbook.tests,
        meta=meta,
        vectors=vectors,
        embedder=embedder,
        learned=learned,
        kana_words=kana_words,
        views={faq_id: n for faq_id, n in (views or {}).items() if faq_id in published},
        topic_keywords=topics.keyword_map(faqs),
        translated=translated,
        departments=workbook.departments,
        consultation_lines=workbook.consultation_lines,
        shelters=ShelterIndex(workbook.shelters),
        words=faq_words,
    )
    index.analysis = analysis
    meta["build_seconds"] = round(time.perf_counter() - started, 4)
    return index
