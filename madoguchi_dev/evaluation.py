"""Tools for measuring search quality from the command line: reading a workbook, a stripped
workbook, and a naive tinysegmenter + BM25Okapi baseline to compare with (needs rank-bm25)."""

from __future__ import annotations

import sys
from dataclasses import replace
from pathlib import Path

import numpy as np
import tinysegmenter
from rank_bm25 import BM25Okapi

from madoguchi.model import FaqWorkbook
from madoguchi.search.index import Hit, SearchResult


class WorkbookUnreadable(Exception):
    """The workbook file could not be read at all."""


def read_workbook(path: Path) -> tuple[FaqWorkbook, str]:
    """Validate and read a workbook file; problems go to stderr, only unreadable files stop."""
    from madoguchi.workbook import format_report_ja, validate_workbook

    result = validate_workbook(path.read_bytes(), filename=path.name)
    if result.workbook is None:
        raise WorkbookUnreadable(format_report_ja(result))
    if result.problems:
        print(format_report_ja(result), file=sys.stderr)
    return result.workbook, result.checksum


def strip_to_question_and_answer(workbook: FaqWorkbook) -> FaqWorkbook:
    """The workbook as many cities have it: no 言い換え, キーワード, カテゴリ or 同義語."""
    faqs = tuple(replace(f, paraphrases=(), keywords=(), category="") for f in workbook.faqs)
    return replace(workbook, faqs=faqs, synonyms=())


class NaiveBaseline:
    """tinysegmenter + BM25Okapi over question and answer, nothing else: the figure to beat."""

    def __init__(self, workbook: FaqWorkbook):
        self._segmenter = tinysegmenter.TinySegmenter()
        self.faqs = workbook.published_faqs
        corpus = [self._segmenter.tokenize(f"{f.question}\n{f.answer}") for f in self.faqs]
        self._bm25 = BM25Okapi(corpus)

    def search(self, query: str, k: int = 4) -> SearchResult:
        """Top k by BM25; it always answers."""
        scores = self._bm25.get_scores(self._segmenter.tokenize(query))
        top = np.argsort(-scores, kind="stable")[:k]
        hits = [Hit(self.faqs[i], float(scores[i])) for i in top if scores[i] > 0]
        return SearchResult(query=query, hits=hits, answered=bool(hits), threshold=0.0)
