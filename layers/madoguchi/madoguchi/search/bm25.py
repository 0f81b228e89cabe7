"""BM25 Okapi over an inverted index: rank_bm25.BM25Okapi's scores, reading only the postings.

`rank_bm25.BM25Okapi.get_scores` walks every document for every query term. Here each term keeps
its postings (document numbers and term frequencies, sorted by document), so a query only reads
the documents that contain its terms. The formula, the parameters (k1=1.5, b=0.75, epsilon=0.25)
and the IDF floor (a negative IDF becomes epsilon × the average IDF over the vocabulary) are those
of BM25Okapi, so scores agree with it to rounding.

Terms are looked up by a 64-bit hash kept in a sorted array: loading needs no dictionary of
strings, only arrays that numpy maps straight from the artifact.
"""

from __future__ import annotations

import hashlib
import threading
from collections import OrderedDict
from collections.abc import Iterable, Sequence

import numpy as np

K1 = 1.5
B = 0.75
EPSILON = 0.25
# Dense rows kept per field (see PostingsBM25.dense_row): at 100,000 FAQs, 400 KB each.
DENSE_ROWS = 48


def term_hash(term: str) -> int:
    """Stable 64-bit key of a term (blake2b), the same on every machine and Python run."""
    return int.from_bytes(hashlib.blake2b(term.encode(), digest_size=8).digest(), "little")


def term_hashes(terms: Iterable[str]) -> np.ndarray:
    """term_hash of each term, as a uint64 array."""
    return np.fromiter((term_hash(t) for t in terms), dtype=np.uint64)


class PostingsBM25:
    """One BM25 field: postings, document lengths and IDF, all numpy arrays."""

    def __init__(
        self,
        keys: np.ndarray,
        starts: np.ndarray,
        doc_ids: np.ndarray,
        freqs: np.ndarray,
        doc_len: np.ndarray,
    ):
        self.keys = keys  # uint64, sorted: term hashes
        self.starts = starts  # int64, len(keys)+1: postings of term i are starts[i]:starts[i+1]
        self.doc_ids = doc_ids  # document numbers, ascending within a term
        self.freqs = freqs  # term frequency per posting
        self.doc_len = doc_len
        self.corpus_size = len(doc_len)
        total = float(doc_len.sum())
        self.avgdl = total / self.corpus_size if self.corpus_size else 0.0
        # The per-document part of the BM25 denominator, computed once.
        self.norm = K1 * (1 - B + B * doc_len / self.avgdl) if total else np.ones(len(doc_len))
        self.idf = self._idf(np.diff(starts))
        self._upper_bounds: np.ndarray | None = None
        self._dense_rows: OrderedDict[int, np.ndarray] = OrderedDict()  # least recent first
        self._dense_lock = threading.Lock()  # the preview server searches from several threads

    @classmethod
    def build(cls, corpus: Sequence[Iterable[str]]) -> PostingsBM25:
        """Index tokenized documents (lists of terms, repeats counted)."""
        ids: dict[str, int] = {}  # each distinct term gets a number, and is hashed once
        tokens: list[int] = []
        doc_len = np.zeros(len(corpus), dtype=np.int32)
        for doc, terms in enumerate(corpus):
            numbered = [ids.setdefault(term, len(ids)) for term in terms]
            doc_len[doc] = len(numbered)
            tokens.extend(numbered)
        names = list(ids)
        hashes = term_hashes(names)
        keys, order = np.unique(hashes, return_index=True)
        if len(keys) < len(names):
            collided = hashes[np.setdiff1d(np.arange(len(names)), order)][0]
            pair = [n for n, h in zip(names, hashes, strict=True) if h == collided][:2]
            raise ValueError(f"term hash collision: {pair[0]!r} / {pair[1]!r}")
        # Each term's position in the sorted keys; postings sorted by term, then document.
        rank = np.empty(len(names), dtype=np.int64)
        rank[order] = np.arange(len(names))
        docs = np.repeat(np.arange(len(corpus), dtype=np.int64), doc_len)
        pairs, freqs = np.unique(
            rank[np.array(tokens, dtype=np.int64)] * max(len(corpus), 1) + docs,
            return_counts=True,
        )
        terms_of = pairs // max(len(corpus), 1)
        starts = np.zeros(len(keys) + 1, dtype=np.int64)
        np.cumsum(np.bincount(terms_of, minlength=len(keys)), out=starts[1:])
        id_type = np.uint16 if len(corpus) <= 0xFFFF else np.int32
        max_freq = int(freqs.max()) if len(freqs) else 0
        freq_type = np.uint8 if max_freq <= 0xFF else np.uint16 if max_freq <= 0xFFFF else np.int32
        doc_ids = (pairs % max(len(corpus), 1)).astype(id_type)
        return cls(keys.astype(np.uint64), starts, doc_ids, freqs.astype(freq_type), doc_len)

    def _idf(self, doc_freq: np.ndarray) -> np.ndarray:
        """BM25Okapi's IDF: log((N-df+0.5)/(df+0.5)); negatives become epsilon × mean IDF."""
        if not len(doc_freq):
            return np.zeros(0)
        df = doc_freq.astype(np.float64)
        idf = np.log(self.corpus_size - df + 0.5) - np.log(df + 0.5)
        eps = EPSILON * (idf.sum() / len(idf))
        return np.where(idf < 0, eps, idf)

    @property
    def upper_bounds(self) -> np.ndarray:
        """Per term, the highest tf part of its BM25 score over its postings (computed once).

        A term's score in a document is idf × this part, so idf × the highest bounds it: what
        exact top-k search (madoguchi.search.topk) needs to skip documents that cannot win.
        """
        if self._upper_bounds is None:
            if not len(self.keys):
                self._upper_bounds = np.zeros(0)
            else:
                part = self.tf_part(self.doc_ids, self.freqs)
                self._upper_bounds = np.maximum.reduceat(part, self.starts[:-1])
        return self._upper_bounds

    def dense_row(self, position: int) -> np.ndarray:
        """The tf part of the term's score in every document (0 without it), as float32, kept
        for the DENSE_ROWS most recently used terms (common terms recur in most questions)."""
        with self._dense_lock:
            row = self._dense_rows.get(position)
            if row is not None:
                self._dense_rows.move_to_end(position)
                return row
        start, end = self.starts[position], self.starts[position + 1]
        docs = self.doc_ids[start:end].astype(np.int64)
        row = np.zeros(self.corpus_size, dtype=np.float32)
        row[docs] = self.tf_part(docs, self.freqs[start:end])
        with self._dense_lock:
            self._dense_rows[position] = row
            while len(self._dense_rows) > DENSE_ROWS:
                self._dense_rows.popitem(last=False)
        return row

    def term_scores(
        self, position: int, docs: np.ndarray, freqs: np.ndarray, weight: float = 1.0
    ) -> np.ndarray:
        """Weighted BM25 score of the term at this vocabulary position in these documents."""
        return (weight * self.idf[position]) * self.tf_part(docs, freqs)

    def tf_part(self, docs: np.ndarray, freqs: np.ndarray) -> np.ndarray:
        """The part of a term's BM25 score that depends on its frequency and the document."""
        tf = freqs.astype(np.float64)
        return tf * (K1 + 1) / (tf + self.norm[docs])

    def lookup(self, hashes: np.ndarray) -> np.ndarray:
        """Vocabulary positions of term hashes (see term_hashes), -1 for unseen terms."""
        if not len(self.keys):
            return np.full(len(hashes), -1, dtype=np.int64)
        pos = np.minimum(np.searchsorted(self.keys, hashes), len(self.keys) - 1)
        return np.where(self.keys[pos] == hashes, pos, -1)

    def contributions(
        self, positions: np.ndarray, weight: float
    ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """(document, weighted BM25 term score, query term number) for every posting touched.

        `positions` are the query terms' vocabulary positions (-1 = unseen, skipped).
        """
        terms = np.flatnonzero(positions >= 0)
        positions = positions[terms]
        starts, ends = self.starts[positions], self.starts[positions + 1]
        lengths = ends - starts
        # Indices of every posting of every term, without a Python loop over terms.
        offsets = np.repeat(starts - np.cumsum(lengths) + lengths, lengths) + np.arange(
            lengths.sum()
        )
        docs = self.doc_ids[offsets].astype(np.int64)
        tf = self.freqs[offsets].astype(np.float64)
        idf = np.repeat(self.idf[positions], lengths)
        scores = (weight * idf) * (tf * (K1 + 1) / (tf + self.norm[docs]))
        return docs, scores, np.repeat(terms, lengths)

    def get_scores(self, query: Sequence[str]) -> np.ndarray:
        """Score of every document, as BM25Okapi.get_scores (repeated query terms count again)."""
        docs, scores, _ = self.contributions(self.lookup(term_hashes(query)), 1.0)
        return np.bincount(docs, weights=scores, minlength=self.corpus_size)

    def arrays(self, prefix: str) -> dict[str, np.ndarray]:
        """The arrays that define this field, for the artifact."""
        return {
            f"{prefix}.keys": self.keys,
            f"{prefix}.starts": self.starts,
            f"{prefix}.doc_ids": self.doc_ids,
            f"{prefix}.freqs": self.freqs,
            f"{prefix}.doc_len": self.doc_len,
        }

    @classmethod
    def from_arrays(cls, arrays: dict[str, np.ndarray], prefix: str) -> PostingsBM25:
        """Inverse of arrays()."""
        return cls(
            arrays[f"{prefix}.keys"],
            arrays[f"{prefix}.starts"],
            arrays[f"{prefix}.doc_ids"],
            arrays[f"{prefix}.freqs"],
            arrays[f"{prefix}.doc_len"],
        )
