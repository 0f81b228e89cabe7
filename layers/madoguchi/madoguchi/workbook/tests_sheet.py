"""The `テスト` sheet: resident-style questions and the FAQ IDs that should answer them."""

from __future__ import annotations

from madoguchi.model import Faq, TestCase
from madoguchi.workbook.cells import id_text, split_list
from madoguchi.workbook.table import SheetSpec, SheetTable

TESTS_SPEC = SheetSpec(
    name="テスト", columns=("質問", "正解ID", "メモ"), required=("質問", "正解ID"), max_rows=5_000
)


def parse_tests(table: SheetTable, faqs: list[Faq]) -> list[TestCase]:
    """Test questions with the IDs that should answer them; rows without an ID are skipped."""
    by_id = {faq.id: faq for faq in faqs}
    cases: list[TestCase] = []
    for row in table.rows:
        n = row.number
        query = table.text(row, "質問")
        ids = [id_text(part) for part in split_list(table.text(row, "正解ID"))]
        if not query:
            if not table.is_broken(row, "質問"):
                table.error(
                    n, "質問", "テストの質問が空です。", "住民が送りそうな質問文を入れてください。"
                )
            continue
        if not ids:
            if not table.is_broken(row, "正解ID"):
                table.warning(
                    n,
                    "正解ID",
                    "正解IDが空なので、このテストは使われません。",
                    "この質問の答えになるFAQのIDを入れてください。",
                )
            continue
        unknown = [i for i in ids if i not in by_id]
        if unknown:
            table.error(
                n,
                "正解ID",
                "FAQシートにないIDがあります: " + "、".join(f"「{i}」" for i in unknown) + "。",
                "FAQシートの「ID」列にあるIDを入れてください(複数あるときは「,」で区切ります)。",
            )
            continue
        hidden = [i for i in ids if not by_id[i].published]
        if hidden:
            table.warning(
                n,
                "正解ID",
                "非公開のFAQのIDがあります: " + "、".join(f"「{i}」" for i in hidden) + "。",
                "非公開のFAQは回答に出ないので、このテストは当たりません。IDを見直してください。",
            )
        cases.append(TestCase(query, tuple(dict.fromkeys(ids)), n))
    return cases
