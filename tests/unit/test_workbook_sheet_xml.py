"""Merged ranges and formula presence are found by streaming the sheet XML in bounded chunks."""

from __future__ import annotations

import io
import zipfile

import pytest

from madoguchi.workbook import sheet_xml
from tests.support.workbooks import FAQ_HEADER, faq_row, make_workbook


def scan(data: bytes, title: str) -> sheet_xml.SheetScan:
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        return sheet_xml.scan_sheet(archive, sheet_xml.sheet_paths(archive)[title])


@pytest.mark.parametrize("chunk", [7, 64, 1024 * 1024])
def test_merges_and_formulas_survive_any_chunk_size(monkeypatch, chunk):
    monkeypatch.setattr(sheet_xml, "_CHUNK", chunk)
    rows = [FAQ_HEADER] + [faq_row(i, f"q{i}", f"a{i}") for i in range(1, 40)]
    rows.append(faq_row(99, "q", "=1+1"))
    data = make_workbook(
        {"使い方": [["x"]], "FAQ": rows, "メモ": [["y"]]},
        merged={"FAQ": ["B2:B3", "H10:I12"], "メモ": ["A1:C1"]},
    )
    found = scan(data, "FAQ")
    assert sorted(found.merged) == ["B2:B3", "H10:I12"]
    assert found.has_formulas
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        xml = archive.read(sheet_xml.sheet_paths(archive)["FAQ"])
    assert found.cells == xml.count(b"<c ")  # openpyxl writes every cell as <c r="...">
    assert found.complete and not found.doctype
    plain = scan(data, "使い方")
    assert (plain.merged, plain.has_formulas, plain.cells, plain.complete) == ((), False, 1, True)


def sheet_part(body: bytes) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("s.xml", body)
    return out.getvalue()


def scan_part(body: bytes, **limits) -> sheet_xml.SheetScan:
    with zipfile.ZipFile(io.BytesIO(sheet_part(body))) as archive:
        return sheet_xml.scan_sheet(archive, "s.xml", **limits)


def test_cells_are_counted_in_every_spelling_and_nothing_else():
    body = (
        b'<worksheet><cols><col min="1"/></cols><sheetData><row r="1">'
        b'<c r="A1"><v>1</v></c><c/><c><v>2</v></c></row>'
        b'<row r="2" xmlns:x="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
        b'<x:c r="A2"><x:f>1+1</x:f></x:c></row></sheetData>'
        b"<conditionalFormatting><cfRule/></conditionalFormatting></worksheet>"
    )
    found = scan_part(body)
    assert found.cells == 4
    assert found.has_formulas
    assert found.tags == body.count(b"<")


def test_scanning_stops_at_the_cell_limit_and_at_a_dtd(monkeypatch):
    monkeypatch.setattr(sheet_xml, "_CHUNK", 64)
    cells = b"".join(b'<c r="A%d"><v>1</v></c>' % n for n in range(1, 1001))
    stopped = scan_part(
        b"<worksheet><sheetData>" + cells + b"</sheetData></worksheet>", cell_limit=10
    )
    assert not stopped.complete
    assert 10 < stopped.cells < 40  # stopped within a chunk or two, not after 1,000
    dtd = scan_part(b'<!DOCTYPE x [<!ENTITY a "b">]><worksheet/>')
    assert dtd.doctype and not dtd.complete
