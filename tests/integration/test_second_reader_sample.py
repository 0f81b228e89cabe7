"""The second reader on the sample workbook with the real models: residents' wordings that e5 and
BM25 put on the wrong FAQ first get the right one first once USE reads the candidates again."""

import pytest

from madoguchi.adapters.use_engine import UseEngine
from madoguchi.search import SearchIndex, build_index
from madoguchi.search.second_reader import SecondReader
from madoguchi_dev.e5 import DiskCachedEmbedder, LocalE5, engine_problem
from tests.support.sample_workbook import sample_workbook

PROBLEM = engine_problem()
pytestmark = pytest.mark.skipif(
    PROBLEM is not None, reason=f"the e5 engine cannot run here: {PROBLEM}"
)
BAGS = "ごみ出す時の決まったビニールってどこで買える?"
PROXY = "親に頼まれて、親の住所の証明をもらいにいきたい。なにがいるの?"


@pytest.fixture(scope="module")
def index() -> SearchIndex:
    built = build_index(sample_workbook(), embedder=DiskCachedEmbedder(LocalE5()))
    # Through the index file, as the webhook gets it.
    return SearchIndex.from_bytes(built.to_bytes(), embedder=LocalE5())


@pytest.fixture(scope="module")
def reader() -> SecondReader:
    return SecondReader(UseEngine().load())


def search(index: SearchIndex, reader: SecondReader | None, question: str):
    index.attach_reader(reader)
    try:
        return index.search(question)
    finally:
        index.attach_reader(None)


def test_the_designated_bags_come_first_not_the_oversized_waste_tickets(index, reader):
    without = search(index, None, BAGS)
    assert without.hits[0].faq.question.startswith("粗大ごみ処理券")
    read = search(index, reader, BAGS)
    assert read.read_again and read.hits[0].faq.question == "ごみの指定袋はどこで買えますか?"
    assert "粗大ごみ処理券の料金と買える場所は?" in [h.faq.question for h in read.hits]


def test_agreement_of_the_two_readers_makes_an_answer_of_a_choice(index, reader):
    without = search(index, None, PROXY)
    read = search(index, reader, PROXY)
    assert not without.answered and without.hits[0].faq.id == "19"
    assert read.answered and read.hits[0].faq.question.startswith("家族や代理の人が住民票")
