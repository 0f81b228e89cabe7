"""What residents taught shows to the next resident (the sample workbook, the real e5 engine):
two residents asked 「はんこのカード失くしちゃった」, were shown マイナンバーカードをなくしました
first, and both opened 印鑑登録証をなくしました (3rd); after the nightly build the next resident
asking it gets 印鑑登録証 first. One resident, or residents who disagree, change nothing."""

from datetime import UTC, datetime, timedelta

import pytest

from madoguchi.learning import learn_for
from madoguchi.search import SearchIndex, build_index
from madoguchi_dev.e5 import DiskCachedEmbedder, LocalE5, engine_problem
from tests.support.learning_log import tap, user
from tests.support.sample_workbook import sample_workbook

PROBLEM = engine_problem()
pytestmark = pytest.mark.skipif(
    PROBLEM is not None, reason=f"the e5 engine cannot run here: {PROBLEM}"
)
QUESTION = "はんこのカード失くしちゃった"
SEAL_CARD = "9"  # 印鑑登録証をなくしました。どうすればいいですか?
MY_NUMBER_CARD = "26"  # マイナンバーカードをなくしました
START = datetime(2026, 12, 1, 9, tzinfo=UTC)


@pytest.fixture(scope="module")
def embedder() -> DiskCachedEmbedder:
    return DiskCachedEmbedder(LocalE5())


def nightly_index(embedder, chosen: list[str]) -> SearchIndex:
    """The index the nightly build makes after residents 1, 2 … opened `chosen` FAQs."""
    workbook = sample_workbook()
    shown = [MY_NUMBER_CARD, "27", SEAL_CARD, "74"]
    records = []
    for n, faq_id in enumerate(chosen, start=1):
        at = START + timedelta(hours=n)
        records += tap(user(n), QUESTION, shown, at=at, opened=(faq_id,))
    learned = learn_for(workbook, records)
    built = build_index(workbook, embedder=embedder, learned=learned.phrasings)
    # Through the index file, as the webhook gets it.
    return SearchIndex.from_bytes(built.to_bytes(), embedder=LocalE5())


def first(index: SearchIndex, question: str) -> str:
    return index.search(question).hits[0].faq.id


def test_before_learning_the_seal_card_question_gets_the_my_number_card_first(embedder):
    index = nightly_index(embedder, [])
    ranked = [hit.faq.id for hit in index.search(QUESTION).hits]
    assert ranked[0] == MY_NUMBER_CARD and SEAL_CARD in ranked[1:]


def test_two_residents_who_chose_the_same_faq_put_it_first_for_the_next(embedder):
    index = nightly_index(embedder, [SEAL_CARD, SEAL_CARD])
    assert [p.faq_id for p in index.learned] == [SEAL_CARD]
    assert first(index, QUESTION) == SEAL_CARD
    # Typed a little differently, it is the same question.
    assert first(index, "ハンコのカード 失くしちゃった!") == SEAL_CARD
    # What residents taught does not take over the My Number card's own question.
    assert first(index, "マイナンバーカードをなくしました") == MY_NUMBER_CARD


@pytest.mark.parametrize(
    "chosen",
    [[SEAL_CARD], [SEAL_CARD, MY_NUMBER_CARD], [SEAL_CARD, SEAL_CARD, MY_NUMBER_CARD, "27"][1:]],
    ids=["one resident", "two disagree", "the others chose others"],
)
def test_one_resident_or_disagreeing_residents_change_nothing(embedder, chosen):
    index = nightly_index(embedder, chosen)
    assert index.learned == ()
    assert first(index, QUESTION) == MY_NUMBER_CARD
