"""Residents' text in the staff report is text: no payload becomes a live formula."""

from __future__ import annotations

import io

import openpyxl
import pytest
from openpyxl import Workbook

from madoguchi.learning.personal import mask_personal
from madoguchi.workbook.text_cells import write_cell
from tests.support.formula_payloads import LEARNED, PAYLOADS, report_of


@pytest.fixture(scope="module")
def book():
    return openpyxl.load_workbook(io.BytesIO(report_of()))


def texts(sheet) -> list[str]:
    return [str(c.value) for row in sheet.iter_rows() for c in row if c.value is not None]


def test_no_cell_of_the_report_is_a_formula(book):
    formulas = [
        (sheet.title, cell.coordinate, cell.value)
        for sheet in book.worksheets
        for row in sheet.iter_rows()
        for cell in row
        if cell.data_type == "f"
    ]
    assert formulas == []


def folded(text: str) -> str:
    """As the report shows a question: trimmed, spaces joined as in the search log, and a link
    (personal data may hide in one) masked as ＊＊＊."""
    return " ".join(mask_personal(text).split())


def lines(sheet) -> set[str]:
    """Each cell, and each line of a cell (the examples of a group are one per line), folded."""
    cells = texts(sheet)
    return {folded(text) for text in cells} | {
        folded(line) for text in cells for line in text.split("\n")
    }


def test_residents_text_is_kept_as_typed(book):
    assert folded(PAYLOADS[0]).startswith('=HYPERLINK("＊＊＊"')
    assert {folded(p) for p in PAYLOADS} <= lines(book["答えられなかった質問"])
    assert {folded(p) for p in LEARNED} <= lines(book["学習した言い換え"])
    quoted = lines(book["評価の低い回答"]) & {folded(p) for p in PAYLOADS}
    assert len(quoted) == 5  # the five most frequent questions behind the low rating


def test_text_that_could_start_a_formula_is_quoted_for_excel(book):
    sheet = book["学習した言い換え"]
    cell = next(c for row in sheet.iter_rows() for c in row if c.value == PAYLOADS[1])
    assert cell.data_type == "s" and cell.quotePrefix


def test_write_cell_keeps_every_payload_as_text_and_drops_unwritable_characters():
    book = Workbook()
    sheet = book.active
    written = (*PAYLOADS, "=1+1\x1b\x00")
    for row, payload in enumerate(written, start=1):
        write_cell(sheet, row, 1, payload)
    write_cell(sheet, 100, 1, 3)
    out = io.BytesIO()
    book.save(out)
    loaded = openpyxl.load_workbook(io.BytesIO(out.getvalue())).active
    cells = [loaded.cell(row=r, column=1) for r in range(1, len(written) + 1)]
    assert [c.data_type for c in cells] == ["s"] * len(written)
    # As typed; an .xlsx keeps a lone CR only as a line break, and cannot hold ESC or NUL.
    assert [c.value for c in cells[:-1]] == [p.replace("\r", "\n") for p in PAYLOADS]
    assert cells[-1].value == "=1+1"
    assert loaded.cell(row=100, column=1).value == 3
