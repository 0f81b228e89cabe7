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
    plain = scan(data, "使い方")
    assert plain == sheet_xml.SheetScan((), False)
