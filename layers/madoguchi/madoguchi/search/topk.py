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

# Bounds are compared with this relative slack: sums taken in another order, and dense rows kept
# as float32, differ from the exact scores by rounding (well below 1e-6 of a score).
_SLACK = 1e-5
# Terms in this many documents, and this share of them (common kanji such as 市, and terms whose
# IDF BM25Okapi floors), are added from dense rows of their scores, one vector operation each,
# instead of being bounded: their bounds add up to most of a good score, so no bound would
# exclude many documents.
DENSE_MIN_DOCS = 2048
DENSE_SHARE = 1 / 8
# Questions whose terms have at most this many postings in all are scored whole, in one vector
# operation: below it, bounding them costs more than reading them (an index of a few thousand
# FAQs).
EXHAUSTIVE_POSTINGS = 65_536
# Once the parts left could lift at most this many documents not yet seen, those are checked
# one by one instead of reading more whole postings.
_FEW = 512


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
    parts: list[Part] = []
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
    if sum(part.end - part.start for part in parts) <= EXHAUSTIVE_POSTINGS:
        return _everything(parts, size, k)
    bounds = np.array([part.bound for part in parts])
    if (bounds < 0).any():
        # An IDF floored below zero (tiny corpora) breaks the bounds' arithmetic: score them all.
        every = exhaustive(parts, size)
        candidates = best_of(every, np.arange(size), k)
        candidates.sort()
    else:
        dense = np.array([part.end - part.start >= _dense_from(size) for part in parts])
        base = _base(parts, dense, size) if dense.any() else None
        sparse = [part for part, d in zip(parts, dense, strict=True) if not d]
        candidates = _contenders(sparse, bounds[~dense], size, k, base)
    scores, found = exact_scores(parts, candidates)
    top = best_of(scores, candidates, k)
    at = np.searchsorted(candidates, top)
    return top, scores[at], found[:, at]


def _everything(
    parts: Sequence[Part], size: int, k: int
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """top_k by scoring every posting at once (few postings: cheaper than bounding them)."""
    docs, values, owners = [], [], []
    for field in dict.fromkeys(part.field for part in parts):
        mine = [i for i, part in enumerate(parts) if part.field is field]
        positions = np.array([parts[i].position for i in mine], dtype=np.int64)
        found_docs, scores, which = field.contributions(positions, parts[mine[0]].weight)
        docs.append(found_docs)
        values.append(scores)
        owners.append(np.array(mine, dtype=np.int64)[which])
    every_doc = np.concatenate(docs)
    # bincount adds in array order: field by field, term by term, as `exhaustive` does.
    scores = np.bincount(every_doc, np.concatenate(values), size)
    top = best_of(scores, np.arange(size), k)
    rank = np.full(size, -1)
    rank[top] = np.arange(len(top))
    hit = rank[every_doc] >= 0
    found = np.zeros((len(parts), len(top)), dtype=bool)
    found[np.concatenate(owners)[hit], rank[every_doc[hit]]] = True
    return top, scores[top], found


def _dense_from(size: int) -> int:
    """Postings this long are added as a dense row (see PostingsBM25.dense_row)."""
    return max(DENSE_MIN_DOCS, int(size * DENSE_SHARE))


def _base(parts: Sequence[Part], dense: np.ndarray, size: int) -> np.ndarray:
    """Every document's score from the dense parts, close to exact (summed in float32)."""
    base = np.zeros(size, dtype=np.float32)
    for part, is_dense in zip(parts, dense, strict=True):
        if is_dense:
            coefficient = np.float32(part.weight * part.field.idf[part.position])
            base += coefficient * part.field.dense_row(part.position)
    return base.astype(np.float64)


def _contenders(
    parts: Sequence[Part], bounds: np.ndarray, size: int, k: int, base: np.ndarray | None
) -> np.ndarray:
    """The documents, ascending, that may be among the k best (every one that is, and few more).

    `base` is every document's score from parts left out of `parts` (None: nothing).
    """
    order = np.argsort(-bounds, kind="stable")
    # rest[i]: the most that the parts from the i-th (in falling bound) on can add to a score.
    rest = np.append(np.cumsum(bounds[order][::-1])[::-1], 0.0)
    partial = np.zeros(size) if base is None else base.copy()
    seen = np.zeros(size, dtype=bool)
    candidates = np.zeros(0, dtype=np.int64)
    threshold = 0.0
    # While a document not seen yet could reach the k-th best score, and more than _FEW could,
    # read whole postings; then check the few. Without a base, any unseen document could.
    cut = float("inf")
    # The k documents with the best scores so far: the threshold is the lowest of them.
    leaders = np.zeros(0, dtype=np.int64)
    leading = np.zeros(size, dtype=bool)
    if base is not None:
        ranks = sorted({max(0, size - k), max(0, size - _FEW - 1)})
        ordered = np.argpartition(base, ranks)
        leaders = ordered[max(0, size - k) :]
        leading[leaders] = True
        threshold = float(base[ordered[size - k]]) if size >= k else 0.0
        cut = float(base[ordered[size - _FEW - 1]]) if size > _FEW else -float("inf")
    read = 0
    while read < len(order) and (
        rest[read] * (1 + _SLACK) >= threshold
        if base is None
        else (cut + rest[read]) * (1 + _SLACK) >= threshold
    ):
        docs, values = parts[order[read]].scores()
        partial[docs] += values  # a document is at most once in a part's postings
        fresh = docs[~seen[docs]]
        seen[fresh] = True
        candidates = np.concatenate((candidates, fresh))
        # Scores only grow, and only this part's documents changed: the new leaders are among
        # them and the old leaders.
        contenders = np.concatenate((leaders, docs[~leading[docs]]))
        if len(contenders) > k:
            contenders = contenders[np.argpartition(-partial[contenders], k - 1)[:k]]
        leading[leaders] = False
        leading[contenders] = True
        leaders = contenders
        if len(leaders) >= k:
            threshold = max(threshold, float(partial[leaders].min()))
        read += 1
    if base is not None:
        # The documents without any of the terms read that the others could still lift.
        lifted = (base + rest[read]) * (1 + _SLACK) >= threshold
        candidates = np.concatenate((candidates, np.flatnonzero(lifted & ~seen)))
    candidates.sort()
    # The remaining parts are looked up for the documents still in the running only.
    for i in range(read, len(order)):
        candidates = candidates[(partial[candidates] + rest[i]) * (1 + _SLACK) >= threshold]
        partial[candidates] += parts[order[i]].scores_of(candidates)[1]
        threshold = max(threshold, _kth(partial[candidates], k))
    return candidates[partial[candidates] * (1 + _SLACK) >= threshold]
