"""The search index: FAQ fields scored with BM25, combined, and a confidence for "I don't know"."""

from __future__ import annotations

import hashlib
import json
import re
import time
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from typing import Any

import numpy as np

from madoguchi.model import (
    BotSettings,
    Faq,
    FaqWorkbook,
    MenuTab,
    TestCase,
    menu_tab_from_dict,
    menu_tab_to_dict,
)
from madoguchi.search import artifact, reading
from madoguchi.search.bm25 import PostingsBM25, term_hashes
from madoguchi.search.faq_store import FaqStore
from madoguchi.search.normalize import MAX_QUERY_CHARS
from madoguchi.search.synonyms import SynonymMap, merged_groups
from madoguchi.search.tokenize import BIGRAM_PREFIX, RECALL_ONLY, Analyzer, TokenizerSettings

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
# A word or bigram of kana only: in a question read aloud, its reading n-grams stand for it.
_KANA_TERM = re.compile(f"{BIGRAM_PREFIX}?[ぁ-ゖー]+")
# Confidence below this means "nothing close enough" unless 設定 gives 回答しきい値.
DEFAULT_THRESHOLD = 0.45
# Recall-only terms (kanji unigrams, hiragana bigrams) in more than this many FAQs, and more than
# this share of them, are skipped: it bounds the cost of a search in a large index and changes
# nothing in indexes of up to 2,000 FAQs.
RECALL_MAX_DF = 2000
RECALL_DF_SHARE = 0.05


@dataclass(frozen=True)
class Hit:
    """One FAQ found for a question."""

    faq: Faq
    score: float  # combined BM25 score: orders the hits
    confidence: float = 0.0  # share of the question's information this FAQ contains, 0..1


@dataclass(frozen=True)
class SearchResult:
    """The closest FAQs for one question and whether the best of them is close enough to answer."""

    query: str
    hits: list[Hit] = field(default_factory=list)
    answered: bool = False
    threshold: float = DEFAULT_THRESHOLD
    confidence: float = 0.0  # confidence of the best hit
    terms: tuple[str, ...] = ()

    @property
    def best(self) -> Hit | None:
        """The first hit, if any."""
        return self.hits[0] if self.hits else None


def menu_hash(menu: tuple[MenuTab, ...]) -> str:
    """sha256 of the menu's canonical JSON: the rich menu is rebuilt only when this changes."""
    canonical = json.dumps(
        [menu_tab_to_dict(t) for t in menu],
        ensure_ascii=False,
        sort_keys=True,
        separators=(",", ":"),
    )
    return hashlib.sha256(canonical.encode()).hexdigest()


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
    ):
        self.store = store
        self.fields = fields
        self.weights = weights
        self.analyzer = analyzer
        self.synonym_groups = synonym_groups
        self.settings = settings
        self.menu = menu
        self.tests = tests
        self.meta = meta
        self._unknown_idf = float(np.log((len(store) + 0.5) / 0.5)) if len(store) else 0.0

    # --- lookups -------------------------------------------------------------------------------

    @property
    def faqs(self) -> tuple[Faq, ...]:
        """Every published FAQ, in workbook order."""
        return self.store.all()

    def faq(self, faq_id: str) -> Faq | None:
        """The published FAQ with this ID."""
        position = self.store.position(str(faq_id).strip())
        return None if position is None else self.store.get(position)

    def categories(self) -> list[str]:
        """Categories in the order they first appear in the workbook."""
        return [c for c in self.store.categories() if c]

    def faqs_in_category(self, name: str) -> list[Faq]:
        """Published FAQs of one category, in workbook order."""
        return self.store.in_category(name) if name else []

    @property
    def threshold(self) -> float:
        """Confidence needed to answer: 設定's 回答しきい値, else the index default."""
        if self.settings.answer_threshold is not None:
            return float(self.settings.answer_threshold)
        return float(self.meta.get("default_threshold", DEFAULT_THRESHOLD))

    # --- search --------------------------------------------------------------------------------

    def search(self, query: str, k: int = 4) -> SearchResult:
        """The k closest FAQs, best first, and whether the best is close enough to answer.

        Ordering uses the combined BM25 score (question side + answer side). The answer decision
        uses a confidence that is comparable across questions whatever their length or the size
        of the index: the share of the question's information found in the best FAQ. Each
        distinct query word or kanji/katakana bigram counts with its IDF (its highest over the
        fields; a term no FAQ contains counts as the rarest possible term, so unknown words
        lower the confidence); kanji unigrams and hiragana bigrams help ranking only. "ごみの出し方"
        against the ごみ FAQ is near 1; "今日の天気" is near 0 because 天気 is in no FAQ;
        greetings and emoji leave no terms at all (0). The default threshold, 0.45, was chosen
        by measuring correct hits against off-topic chit-chat on sample FAQ sets: there it
        answers about 9 in 10 correctly found questions and about 1 in 10 off-topic ones.
        """
        threshold = self.threshold
        terms = self.analyzer.query_terms(query or "", MAX_QUERY_CHARS)
        if not terms or not len(self.store):
            return SearchResult(query=query, threshold=threshold, terms=terms)
        hashes = term_hashes(terms)
        recall_only = np.array([t.startswith(RECALL_ONLY) for t in terms], dtype=bool)
        positions = {
            name: self._prune(bm25, bm25.lookup(hashes), recall_only)
            for name, bm25 in self.fields.items()
        }
        parts = [
            bm25.contributions(positions[n], self.weights[n]) for n, bm25 in self.fields.items()
        ]
        docs = np.concatenate([p[0] for p in parts])
        total = np.bincount(docs, np.concatenate([p[1] for p in parts]), len(self.store))
        top = self._top(total, k)
        term_of = np.concatenate([p[2] for p in parts])
        confidence = self._confidence(terms, positions, top, docs, term_of)
        hits = [
            Hit(self.store.get(int(d)), float(total[d]), float(c))
            for d, c in zip(top, confidence, strict=True)
        ]
        best = hits[0].confidence if hits else 0.0
        return SearchResult(
            query=query,
            hits=hits,
            answered=bool(hits) and best >= threshold,
            threshold=threshold,
            confidence=best,
            terms=terms,
        )

    @staticmethod
    def _prune(bm25: PostingsBM25, positions: np.ndarray, recall_only: np.ndarray) -> np.ndarray:
        """Drop recall-only terms found in very many FAQs (common kanji such as 市).

        They say little about which FAQ is meant, and their long postings would dominate the
        cost of a search over a large index.
        """
        limit = max(RECALL_MAX_DF, RECALL_DF_SHARE * bm25.corpus_size)
        if bm25.corpus_size <= limit or not recall_only.any():
            return positions
        df = bm25.starts[positions + 1] - bm25.starts[np.maximum(positions, 0)]
        common = recall_only & (positions >= 0) & (df > limit)
        return np.where(common, -1, positions)

    @staticmethod
    def _top(total: np.ndarray, k: int) -> np.ndarray:
        candidates = np.flatnonzero(total > 0)
        if len(candidates) > k:
            candidates = candidates[np.argpartition(-total[candidates], k - 1)[:k]]
        # Best score first; equal scores keep workbook order.
        return candidates[np.lexsort((candidates, -total[candidates]))][:k]

    def _confidence(
        self,
        terms: tuple[str, ...],
        positions: dict[str, np.ndarray],
        top: np.ndarray,
        docs: np.ndarray,
        term_of: np.ndarray,
    ) -> np.ndarray:
        """Share of the query's evidence weight that each top document contains."""
        if not len(top):
            return np.zeros(0)
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
            # A question read aloud: its kana words count through their reading n-grams, so
            # じゅうみんひょう is not also an unknown word.
            weight[unseen & np.array([bool(_KANA_TERM.fullmatch(t)) for t in terms])] = 0.0
        total = weight.sum()
        if total <= 0:
            return np.zeros(len(top))
        # Which (term, top document) pairs occur among the postings the search touched.
        rank = np.full(len(self.store), -1)
        rank[top] = np.arange(len(top))
        hit = rank[docs] >= 0
        covered = np.zeros((len(terms), len(top)), dtype=bool)
        covered[term_of[hit], rank[docs[hit]]] = True
        return (weight @ covered) / total

    # --- artifact ------------------------------------------------------------------------------

    def to_bytes(self) -> bytes:
        """The index as a self-describing file (see madoguchi.search.artifact)."""
        arrays: dict[str, np.ndarray] = dict(self.store.arrays())
        for name, bm25 in self.fields.items():
            arrays.update(bm25.arrays(f"field.{name}"))
        documents = {
            "settings": self.settings.to_dict(),
            "menu": [menu_tab_to_dict(t) for t in self.menu],
            "tests": [
                {"query": t.query, "relevant_ids": list(t.relevant_ids), "row": t.row}
                for t in self.tests
            ],
            "synonyms": self.synonym_groups,
        }
        return artifact.encode(self.meta, documents, arrays)

    @classmethod
    def from_bytes(cls, data: bytes) -> SearchIndex:
        """Load an index file; ArtifactError (a ValueError) if it is not a readable one."""
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
            )
        except (KeyError, TypeError, ValueError, AttributeError) as exc:
            raise artifact.ArtifactError(
                f"索引ファイルが壊れています (corrupt index: {exc})"
            ) from exc
        if any(len(b.doc_len) != len(store) for b in fields.values()):
            raise artifact.ArtifactError("索引ファイルが壊れています (field sizes do not match)")
        return index


def build_index(
    workbook: FaqWorkbook,
    *,
    checksum: str = "",
    built_at: str | None = None,
    settings: TokenizerSettings | None = None,
    weights: dict[str, float] | None = None,
) -> SearchIndex:
    """Index the workbook's published FAQs."""
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
    faqs = workbook.published_faqs
    corpora: dict[str, list[list[str]]] = {name: [] for name in weights}
    for faq in faqs:
        analyzed: dict[str, list[str]] = {}  # the question is in several fields: analyze it once
        for name, corpus in corpora.items():
            if name == READING_FIELD:
                texts = [text for text in FIELD_TEXTS[name](faq) if text]
                corpus.append([gram for text in texts for gram in analyzer.reading_terms(text)])
                continue
            terms = []
            for text in FIELD_TEXTS[name](faq):
                if text:
                    if text not in analyzed:
                        analyzed[text] = analyzer.terms(text)
                    terms.extend(analyzed[text])
            corpus.append(terms)
    fields = {name: PostingsBM25.build(corpus) for name, corpus in corpora.items()}
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
            "terms": {name: len(b.keys) for name, b in fields.items()},
            "postings": {name: len(b.doc_ids) for name, b in fields.items()},
        },
        "tokenizer": settings.to_dict(),
        "weights": weights,
        "bm25": {"k1": 1.5, "b": 0.75, "epsilon": 0.25},
        "max_query_chars": MAX_QUERY_CHARS,
        "menu_hash": menu_hash(workbook.menu),
        "default_threshold": DEFAULT_THRESHOLD,
    }
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
    )
    meta["build_seconds"] = round(time.perf_counter() - started, 4)
    return index
