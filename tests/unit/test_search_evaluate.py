"""evaluate() figures on a tiny case checked by hand."""

from madoguchi.model import Faq, FaqWorkbook, TestCase
from madoguchi.search import build_index, evaluate

FAQS = (
    Faq(id="A", question="粗大ごみの出し方", answer="申し込んでください。"),
    Faq(id="B", question="ごみの収集日", answer="カレンダーをご覧ください。"),
    Faq(id="C", question="住民票の写し", answer="市民課で取れます。"),
)


def test_metrics_on_a_hand_checked_case():
    index = build_index(FaqWorkbook(faqs=FAQS))
    cases = [
        TestCase("粗大ごみの出し方", ("A",)),  # rank 1
        TestCase("住民票の写し", ("X", "C")),  # rank 1 through the second relevant ID
        TestCase("粗大ごみの出し方", ("B",)),  # B is second: "ごみ" only
        TestCase("今日の天気", ("A",)),  # nothing found, not answered
    ]
    figures = evaluate(index, cases)
    ranks = [c["rank"] for c in figures["cases"]]
    assert ranks == [1, 1, 2, None]
    assert figures["n"] == 4
    assert figures["hit@1"] == 0.5
    assert figures["hit@4"] == 0.75
    assert figures["mrr@10"] == round((1 + 1 + 0.5 + 0) / 4, 4)
    assert figures["no_answer_rate"] == 0.25
    assert 0 < figures["p50_ms"] <= figures["p99_ms"]
    assert figures["cases"][3]["answered"] is False


def test_no_cases_gives_zeros():
    figures = evaluate(build_index(FaqWorkbook(faqs=FAQS)), [])
    assert figures["n"] == 0 and figures["hit@4"] == 0.0 and figures["cases"] == []
