"""Build real .xlsx files in tests from plain rows, so every test states its workbook inline.

    from tests.support.workbooks import FAQ_HEADER, faq_row, make_workbook
    data = make_workbook({"FAQ": [FAQ_HEADER, faq_row(1, "粗大ごみの出し方", "予約します。")]})
    result = validate_workbook(data)

Values are written as given: a str starting with "=" becomes a formula without a cached result
(exactly what openpyxl saves), numbers stay numbers, None leaves the cell empty.
"""

from __future__ import annotations

import io
from collections.abc import Sequence

from openpyxl import Workbook

FAQ_HEADER = ["ID", "カテゴリ", "質問", "言い換え", "キーワード", "回答", "URL", "担当課", "公開"]


def make_workbook(
    sheets: dict[str, Sequence[Sequence[object]]],
    *,
    merged: dict[str, Sequence[str]] | None = None,
) -> bytes:
    """Return the bytes of an .xlsx with one sheet per key (in order), rows from row 1.

    `merged` maps a sheet name to ranges to merge, e.g. {"FAQ": ["F2:F3"]}.
    """
    book = Workbook()
    book.remove(book.active)
    for name, rows in sheets.items():
        sheet = book.create_sheet(name)
        for row in rows:
            sheet.append(list(row))
        for cell_range in (merged or {}).get(name, ()):
            sheet.merge_cells(cell_range)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def faq_row(
    faq_id: object,
    question: str,
    answer: str,
    *,
    category: str = "",
    paraphrases: str = "",
    keywords: str = "",
    url: str = "",
    department: str = "",
    published: str = "",
) -> list[object]:
    """One `FAQ` sheet row in FAQ_HEADER order."""
    return [faq_id, category, question, paraphrases, keywords, answer, url, department, published]
