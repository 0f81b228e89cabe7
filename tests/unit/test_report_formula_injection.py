"""Residents' text in the staff report is text: no payload becomes a live formula."""

from __future__ import annotations

import io
from datetime import date, datetime

import openpyxl
import pytest
from openpyxl import Workbook

from madoguchi.clock import JST
from madoguchi.learning.personal import mask_personal
from madoguchi.model import Faq, FaqWorkbook, LearnedPhrasing
from madoguchi.search import build_index
from madoguchi.searchlog import FEEDBACK, TopHit, new_event, new_search
from madoguchi.staff_report import build_report
from madoguchi.workbook.text_cells import write_cell

MADE = datetime(2026, 3, 4, 0, 0, tzinfo=JST)
PAYLOADS = (
    '=HYPERLINK("https://evil.example/login","【至急】住民税の還付手続きはこちら")',
    "=cmd|' /C calc'!A0",
    "+1+1 住民票",
    "-2+3 粗大ごみ",
    "@SUM(1+1) 児童手当",
    "\t=1+1 ごみ",
    "\r=1+1 税金",
    "＝1+1 国保",
    " =1+1 保育園",
)
FAQS = (Faq("F001", "粗大ごみの出し方", "申込制です。"), Faq("F002", "住民票の写し", "窓口です。"))


def jst(hour: int, minute: int) -> datetime:
    return datetime(2026, 3, 2, hour, minute, tzinfo=JST)


@pytest.fixture(scope="module")
def book():
    records = []
    for n, payload in enumerate(PAYLOADS):
        for user in ("u1", "u2"):
            unanswered = new_search(
                now=jst(10, n), user=user, query=payload, top=[], answered=False, retention_days=90
            )
            rated = new_search(
                now=jst(11, n),
                user=user,
                query=payload,
                top=[TopHit("F001", 5.0)],
                answered=True,
                retention_days=90,
            )
            records += [
                unanswered,
                rated,
                new_event(
                    FEEDBACK,
                    now=jst(11, n),
                    user=user,
                    retention_days=90,
                    faq_id="F001",
                    helpful=False,
                    search_id=rated.id,
                ),
            ]
    learned = [
        LearnedPhrasing(p, "F002", 2, 2, "2026-03-01T00:00:00Z", "2026-03-02T00:00:00Z")
        for p in PAYLOADS[:2]
    ]
    index = build_index(FaqWorkbook(faqs=FAQS), learned=learned)
    data = build_report(records, index, date(2026, 3, 2), date(2026, 3, 2), generated_at=MADE)
    return openpyxl.load_workbook(io.BytesIO(data))


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
    return {folded(line) for text in texts(sheet) for line in text.split("\n")}


def test_residents_text_is_kept_as_typed(book):
    assert folded(PAYLOADS[0]).startswith('=HYPERLINK("＊＊＊"')
    assert {folded(p) for p in PAYLOADS} <= lines(book["答えられなかった質問"])
    assert {folded(p) for p in PAYLOADS[:2]} <= lines(book["学習した言い換え"])
    quoted = lines(book["評価の低い回答"]) & {folded(p) for p in PAYLOADS}
    assert len(quoted) == 5  # the five most frequent questions behind the low rating


def test_text_that_could_start_a_formula_is_quoted_for_excel(book):
    sheet = book["学習した言い換え"]
    cell = next(c for row in sheet.iter_rows() for c in row if c.value == PAYLOADS[1])
    assert cell.data_type == "s" and cell.quotePrefix


def test_write_cell_keeps_every_payload_as_text_and_drops_unwritable_characters():
    book = Workbook()
    sheet = book.active
    for row, payload in enumerate((*PAYLOADS, "=1+1\x1b\x00"), start=1):
        write_cell(sheet, row, 1, payload)
    write_cell(sheet, 20, 1, 3)
    out = io.BytesIO()
    book.save(out)
    loaded = openpyxl.load_workbook(io.BytesIO(out.getvalue())).active
    assert [loaded.cell(row=r, column=1).data_type for r in range(1, 11)] == ["s"] * 10
    assert loaded.cell(row=1, column=1).value == PAYLOADS[0]
    assert loaded.cell(row=10, column=1).value == "=1+1"
    assert loaded.cell(row=20, column=1).value == 3
