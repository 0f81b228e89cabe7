"""The small realistic FAQ set in tests/data/search_dev.json, as a workbook for search tests."""

import json
from pathlib import Path

from madoguchi.model import Faq, FaqWorkbook, TestCase

DEV_SET = Path(__file__).resolve().parents[1] / "data" / "search_dev.json"


def dev_workbook(**changes) -> FaqWorkbook:
    """40 FAQs across several areas with their labelled questions; `changes` go to FaqWorkbook."""
    data = json.loads(DEV_SET.read_text(encoding="utf-8"))
    faqs = tuple(
        Faq(
            id=f["id"],
            question=f["question"],
            answer=f["answer"],
            category=f["category"],
            paraphrases=tuple(f["paraphrases"]),
            keywords=tuple(f["keywords"]),
            url=f"https://example.jp/faq/{f['id']}",
            department="市民課",
        )
        for f in data["faqs"]
    )
    tests = tuple(TestCase(t["query"], tuple(t["relevant_ids"])) for t in data["tests"])
    return FaqWorkbook(faqs=faqs, tests=tests, **changes)
