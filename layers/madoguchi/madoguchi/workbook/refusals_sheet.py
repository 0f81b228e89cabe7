"""The `学習しない言葉` sheet: words residents used that must never become learned phrasings."""

from __future__ import annotations

from madoguchi.model import Faq, Refusal
from madoguchi.workbook.cells import id_text
from madoguchi.workbook.table import SheetSpec, SheetTable

REFUSALS_SPEC = SheetSpec(
    name="学習しない言葉",
    columns=("言葉", "ID", "メモ"),
    required=("言葉",),
    max_rows=5_000,
)


def parse_refusals(table: SheetTable, faqs: list[Faq]) -> list[Refusal]:
    """One refusal per row; an ID limits it to that FAQ, an empty one refuses it for all."""
    known = {faq.id for faq in faqs}
    refusals: list[Refusal] = []
    for row in table.rows:
        words = table.text(row, "言葉")
        faq_id = id_text(table.raw(row, "ID")) if table.raw(row, "ID") is not None else ""
        if not words:
            if faq_id and not table.is_broken(row, "言葉"):
                table.warning(
                    row.number,
                    "言葉",
                    "言葉が空なので、この行は使われません。",
                    "学習させたくない言葉(「学習した言い換え」の一覧からコピー)を入れてください。",
                )
            continue
        if faq_id and faq_id not in known:
            table.warning(
                row.number,
                "ID",
                f"FAQシートにないID「{faq_id}」です。この言葉はどのFAQにも学習しません。",
                "FAQシートの「ID」列にあるIDを入れるか、空欄にしてください。",
            )
            faq_id = ""
        refusals.append(Refusal(words, faq_id, row.number))
    return refusals
