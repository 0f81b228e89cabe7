"""The k best BM25 documents over several fields, exactly, without scoring every posting (MaxScore).

A question's score for a document is a sum of (field, term) parts. Each part has an upper bound:
the best score its term gives any document (PostingsBM25.upper_bounds). Parts are read in order of
falling bound, each over all its postings, until the bounds of the parts not yet read add up to
less than the k-th best score so far: then no document outside those already found can reach the
top k, and the remaining parts (usually common words such as 市 with long postings) are only looked
up for the documents still in the running, by binary search in their postings, dropping documents
whose score plus the remaining bounds cannot reach the k-th best any more.

The documents and scores are exactly those of exhaustive scoring: final scores are summed in the
same order as `exhaustive` sums them (field by field, term by term), so even equal scores break
ties the same way (by workbook order).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from madoguchi.search.bm25 import PostingsBM25

# Bounds are compared with this relative slack: sums taken in another order differ by rounding.
_SLACK = 1e-9


@dataclass(frozen=True)
class Part:
    """One query term in one field: where its postings are, its weight and the most it adds."""

    name: str  # the field's name
    field: PostingsBM25
    position: int  # vocabulary position of the term in the field
    term: int  # number of the term in the question
    weight: float  # the field's weight
    start: int  # its postings are field.doc_ids[start:end]
    end: int
    bound: float  # the highest score it gives any document

    def scores(self) -> tuple[np.ndarray, np.ndarray]:
        """(documents, scores) of all its postings."""
        docs = self.field.doc_ids[self.start : self.end].astype(np.int64)
        freqs = self.field.freqs[self.start : self.end]
        return docs, self.field.term_scores(self.position, docs, freqs, self.weight)

    def scores_of(self, docs: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """(whether each of these documents, ascending, has the term; its score or 0)."""
        ids = self.field.doc_ids[self.start : self.end]
        # Same dtype as the postings, or searchsorted would convert the whole postings list.
        at = np.minimum(np.searchsorted(ids, docs.astype(ids.dtype)), len(ids) - 1)
        found = ids[at] == docs
        freqs = self.field.freqs[self.start : self.end][at]
        scores = self.field.term_scores(self.position, docs, freqs, self.weight)
        return found, np.where(found, scores, 0.0)


def parts_of(
    fields: dict[str, PostingsBM25], positions: dict[str, np.ndarray], weights: dict[str, float]
) -> list[Part]:
    """Every term found in every field, field by field, in question order."""
    parts = []
    for name, bm25 in fields.items():
        terms = np.flatnonzero(positions[name] >= 0)
        found = positions[name][terms]
        weight = weights[name]
        bounds = (weight * bm25.idf[found]) * bm25.upper_bounds[found]
        rows = zip(
            terms.tolist(),
            found.tolist(),
            bm25.starts[found].tolist(),
            bm25.starts[found + 1].tolist(),
            bounds.tolist(),
            strict=True,
        )
        parts.extend(Part(name, bm25, p, t, weight, s, e, b) for t, p, s, e, b in rows)
    return parts


def exhaustive(parts: Sequence[Part], size: int) -> np.ndarray:
    """Every document's score (summing every posting of every part, in the order given)."""
    scores = np.zeros(size)
    for part in parts:
        docs, values = part.scores()
        scores[docs] += values  # a document is at most once in a part's postings
    return scores


def exact_scores(parts: Sequence[Part], docs: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """(scores of these documents, ascending, summed in the same order as `exhaustive`; which
    part is found in which document: a parts × documents matrix)."""
    scores = np.zeros(len(docs))
    found = np.zeros((len(parts), len(docs)), dtype=bool)
    for i, part in enumerate(parts):
        found[i], values = part.scores_of(docs)
        scores += values
    return scores, found


def best_of(scores: np.ndarray, docs: np.ndarray, k: int) -> np.ndarray:
    """The k documents with the highest positive scores, best first, ties in workbook order."""
    keep = scores > 0
    docs, scores = docs[keep], scores[keep]
    if len(docs) > k:
        # Keep every document tied with the k-th, so the tie-break below sees them all.
        kth = np.partition(scores, len(scores) - k)[len(scores) - k]
        keep = scores >= kth
        docs, scores = docs[keep], scores[keep]
    return docs[np.lexsort((docs, -scores))][:k]


def _kth(values: np.ndarray, k: int) -> float:
    """The k-th highest value (0 when there are fewer than k)."""
    if len(values) < k:
        return 0.0
    return float(np.partition(values, len(values) - k)[len(values) - k])


def top_k(parts: Sequence[Part], size: int, k: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(documents, scores) of the k best documents, best first, as exhaustive scoring ranks
    them, and which part is found in which of them (a parts × documents matrix)."""
    if k <= 0 or not parts:
        return np.zeros(0, dtype=np.int64), np.zeros(0), np.zeros((len(parts), 0), dtype=bool)
    bounds = np.array([part.bound for part in parts])
    if (bounds < 0).any():
        # An IDF floored below zero (tiny corpora) breaks the bounds' arithmetic: score them all.
        every = exhaustive(parts, size)
        candidates = best_of(every, np.arange(size), k)
        candidates.sort()
    else:
        candidates = _contenders(parts, bounds, size, k)
    scores, found = exact_scores(parts, candidates)
    top = best_of(scores, candidates, k)
    at = np.searchsorted(candidates, top)
    return top, scores[at], found[:, at]


def _contenders(parts: Sequence[Part], bounds: np.ndarray, size: int, k: int) -> np.ndarray:
    """The documents, ascending, that may be among the k best (every one that is, and few more)."""
    order = np.argsort(-bounds, kind="stable")
    # rest[i]: the most that the parts from the i-th (in falling bound) on can add to a score.
    rest = np.append(np.cumsum(bounds[order][::-1])[::-1], 0.0)
    partial = np.zeros(size)
    seen = np.zeros(size, dtype=bool)
    candidates = np.zeros(0, dtype=np.int64)
    threshold = 0.0
    read = 0
    # Read whole postings while a document not yet seen could still make the top k.
    while read < len(order) and rest[read] * (1 + _SLACK) >= threshold:
        docs, values = parts[order[read]].scores()
        partial[docs] += values  # a document is at most once in a part's postings
        fresh = docs[~seen[docs]]
        seen[fresh] = True
        candidates = np.concatenate((candidates, fresh))
        threshold = _kth(partial[candidates], k)
        read += 1
    candidates.sort()
    # The remaining parts are looked up for the documents still in the running only.
    for i in range(read, len(order)):
        candidates = candidates[(partial[candidates] + rest[i]) * (1 + _SLACK) >= threshold]
        partial[candidates] += parts[order[i]].scores_of(candidates)[1]
        threshold = max(threshold, _kth(partial[candidates], k))
    return candidates[partial[candidates] * (1 + _SLACK) >= threshold]
