"""The FAQs inside an index file, decoded only when asked for.

A search needs four FAQs, not a hundred thousand: records are kept as compressed chunks of JSON
lines and a chunk is decoded the first time one of its FAQs is used. IDs and categories sit in
their own small arrays so `faq(id)` and category lists do not decode every record.
"""

from __future__ import annotations

import json
import zlib
from collections import OrderedDict
from collections.abc import Sequence

import numpy as np

from madoguchi.model import Faq, Translation

CHUNK = 64  # records per compressed chunk: small enough to decode in well under a millisecond
# Decompressed chunks kept for later searches: a bound on memory however large the index
# (64 chunks of 64 FAQs of about 500 bytes: about 2 MB), plenty for the FAQs residents ask about.
CACHED_CHUNKS = 64


def _record(faq: Faq) -> bytes:
    fields = [faq.id, faq.question, faq.answer, faq.category, list(faq.paraphrases),
              list(faq.keywords), faq.url, faq.department, faq.published, faq.row]  # fmt: skip
    if faq.translations:  # only then: an index without translations is the same file as before
        fields.append([[t.language, t.question, t.answer] for t in faq.translations])
    # JSON escapes newlines inside strings, so one record is always one line.
    return json.dumps(fields, ensure_ascii=False, separators=(",", ":")).encode()


def _faq(record: bytes) -> Faq:
    values = json.loads(record)
    fid, question, answer, category, paraphrases, keywords, url, department, published, row = (
        values[:10]
    )
    translations = tuple(Translation(*t) for t in values[10]) if len(values) > 10 else ()
    return Faq(fid, question, answer, category, tuple(paraphrases), tuple(keywords), url,
               department, bool(published), int(row), translations)  # fmt: skip


def _json_blob(values: Sequence[str]) -> np.ndarray:
    return np.frombuffer(json.dumps(list(values), ensure_ascii=False).encode(), dtype=np.uint8)


def _json_list(blob: np.ndarray) -> list[str]:
    return [str(v) for v in json.loads(bytes(blob))]


class FaqStore:
    """Published FAQs by position, ID and category, decoded lazily from the index file."""

    def __init__(self, arrays: dict[str, np.ndarray], count: int, loaded: Sequence[Faq] = ()):
        self._arrays = arrays
        self.count = count
        self._chunks: OrderedDict[int, list[bytes]] = OrderedDict()  # least recently used first
        self._all: tuple[Faq, ...] | None = tuple(loaded) if loaded else None
        self._ids: dict[str, int] | None = None
        self._categories: list[str] | None = None

    @classmethod
    def build(cls, faqs: Sequence[Faq]) -> FaqStore:
        """A store from FAQs in memory (already decoded)."""
        blobs, offsets = [], [0]
        for start in range(0, len(faqs), CHUNK):
            blob = zlib.compress(b"\n".join(_record(f) for f in faqs[start : start + CHUNK]), 6)
            blobs.append(blob)
            offsets.append(offsets[-1] + len(blob))
        categories = list(dict.fromkeys(f.category for f in faqs))
        code = {c: i for i, c in enumerate(categories)}
        arrays: dict[str, np.ndarray] = {
            "faqs.chunks": np.frombuffer(b"".join(blobs), dtype=np.uint8),
            "faqs.chunk_offsets": np.array(offsets, dtype=np.int64),
            "faqs.ids": _json_blob([f.id for f in faqs]),
            "faqs.category_names": _json_blob(categories),
            "faqs.category": np.array([code[f.category] for f in faqs], dtype=np.int32),
        }
        return cls(arrays, len(faqs), faqs)

    def arrays(self) -> dict[str, np.ndarray]:
        """What goes into the index file."""
        return self._arrays

    def __len__(self) -> int:
        return self.count

    def get(self, position: int) -> Faq:
        """The FAQ at this position (workbook order)."""
        if self._all is not None:
            return self._all[position]
        if not 0 <= position < self.count:
            raise IndexError(position)
        # Only the asked-for record is parsed: a search shows four FAQs, not four chunks.
        return _faq(self._records(position // CHUNK)[position % CHUNK])

    def _records(self, chunk: int) -> list[bytes]:
        """The records of one chunk, from the bounded cache or decompressed."""
        records = self._chunks.get(chunk)
        if records is None:
            offsets = self._arrays["faqs.chunk_offsets"]
            blob = self._arrays["faqs.chunks"][offsets[chunk] : offsets[chunk + 1]]
            records = zlib.decompress(blob).split(b"\n")
            self._chunks[chunk] = records
            if len(self._chunks) > CACHED_CHUNKS:
                self._chunks.popitem(last=False)
        else:
            self._chunks.move_to_end(chunk)
        return records

    def all(self) -> tuple[Faq, ...]:
        """Every FAQ (decodes them all once)."""
        if self._all is None:
            chunks = range(0, self.count, CHUNK)
            self._all = tuple(_faq(r) for c in chunks for r in self._records(c // CHUNK))
            self._chunks.clear()
        return self._all

    def position(self, faq_id: str) -> int | None:
        """Position of the FAQ with this ID."""
        if self._ids is None:
            self._ids = {fid: i for i, fid in enumerate(_json_list(self._arrays["faqs.ids"]))}
        return self._ids.get(faq_id)

    def categories(self) -> list[str]:
        """Category names in order of first appearance (blank included if used)."""
        if self._categories is None:
            self._categories = _json_list(self._arrays["faqs.category_names"])
        return self._categories

    def positions_in_category(self, name: str) -> np.ndarray:
        """Positions of one category's FAQs, in workbook order (none of them decoded)."""
        names = self.categories()
        if name not in names:
            return np.zeros(0, dtype=np.int64)
        return np.flatnonzero(self._arrays["faqs.category"] == names.index(name))

    def in_category(self, name: str) -> list[Faq]:
        """FAQs of one category, in workbook order."""
        names = self.categories()
        if name not in names:
            return []
        code = names.index(name)
        return [self.get(int(i)) for i in np.flatnonzero(self._arrays["faqs.category"] == code)]
