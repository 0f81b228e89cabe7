"""FAQs come back from the index file one at a time, with a bounded cache of decoded chunks."""

import pytest

from madoguchi.model import Faq
from madoguchi.search import faq_store
from madoguchi.search.faq_store import FaqStore


def faqs(count: int) -> list[Faq]:
    return [
        Faq(id=f"Q{i}", question=f"質問{i}", answer=f"回答{i}\n二行目", category=f"分類{i % 3}",
            paraphrases=(f"言い換え{i}",), keywords=("鍵",), row=i + 2)
        for i in range(count)
    ]  # fmt: skip


def loaded(items: list[Faq]) -> FaqStore:
    built = FaqStore.build(items)
    return FaqStore(built.arrays(), len(items))


def test_every_faq_comes_back_as_it_was_built():
    items = faqs(3 * faq_store.CHUNK + 5)
    store = loaded(items)
    assert [store.get(i) for i in reversed(range(len(items)))] == items[::-1]
    assert store.all() == tuple(items)
    assert store.position("Q70") == 70 and store.position("nope") is None
    assert [f.id for f in store.in_category("分類1")] == [
        f.id for f in items if f.category == "分類1"
    ]


def test_decoded_chunks_are_bounded(monkeypatch):
    monkeypatch.setattr(faq_store, "CACHED_CHUNKS", 3)
    items = faqs(10 * faq_store.CHUNK)
    store = loaded(items)
    for position in range(0, len(items), 7):
        assert store.get(position) == items[position]
        assert len(store._chunks) <= 3


def test_positions_outside_the_store_are_refused():
    store = loaded(faqs(3))
    with pytest.raises(IndexError):
        store.get(3)
