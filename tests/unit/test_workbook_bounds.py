"""Work openpyxl would do is counted before it starts, and too much is refused with the cause."""

from __future__ import annotations

import pytest

from madoguchi.workbook import Severity, bounds, validate_workbook
from tests.support.hostile_workbooks import (
    EXTERNAL_ENTITY,
    cells_bomb,
    faq_sheet_xml,
    names_bomb,
    raw_workbook,
    rich_text_bomb,
    shared_strings,
    strings_bomb,
    styles_bomb,
    with_doctype,
    with_shared,
)


def refusal(data: bytes):
    result = validate_workbook(data)
    assert result.workbook is None and not result.ok
    [problem] = result.problems
    assert problem.severity is Severity.ERROR and problem.fix
    return problem


def test_millions_of_shared_strings_are_refused_before_openpyxl_reads_them(monkeypatch):
    # openpyxl would read every string on opening; with the loader unusable, only the count ran.
    monkeypatch.setattr("madoguchi.workbook.validate.load_workbook", None)
    problem = refusal(strings_bomb(300_000))
    assert "文字列(セルの文章)が多すぎます" in problem.message
    assert f"{bounds.MAX_STRINGS:,}種類を超えています" in problem.message
    assert "新しいブックにコピー" in problem.fix


def test_strings_up_to_the_limit_are_read(monkeypatch):
    monkeypatch.setattr(bounds, "MAX_STRINGS", 9)
    texts = ["1", "質問1", "回答1", "2", "質問2", "回答2"]  # plus three headers: nine
    assert validate_workbook(with_shared(texts)).ok
    assert "文字列" in refusal(with_shared([*texts, "3", "質問3", "回答3"])).message


def test_formatted_runs_and_phonetic_guides_are_bounded_too(monkeypatch):
    monkeypatch.setattr(bounds, "MAX_STRING_TAGS", 10_000)
    problem = refusal(rich_text_bomb(strings=100, runs=100))
    assert "文字の書式(色・太字・ふりがな など)の情報が多すぎます" in problem.message
    assert "書式のクリア" in problem.fix


def test_cells_are_counted_across_sheets_and_the_biggest_sheet_is_named(monkeypatch):
    monkeypatch.setattr(bounds, "MAX_CELLS", 5_000)
    problem = refusal(cells_bomb(100, 60, title="メモ", dimension=False))
    assert problem.sheet == "メモ"
    assert "5,000個を超えています" in problem.message
    assert "「メモ」シートの、使っていない行・列" in problem.fix


def test_a_sheet_of_other_elements_is_bounded_by_its_tags(monkeypatch):
    monkeypatch.setattr(bounds, "MAX_SHEET_TAGS", 1_000)
    rows = "".join(f'<row r="{n}" spans="1:3"/>' for n in range(5, 2_000))
    sheet = faq_sheet_xml().replace(b"</sheetData>", rows.encode() + b"</sheetData>")
    problem = refusal(raw_workbook({"FAQ": sheet}))
    assert problem.sheet == "FAQ" and "シートの中身(行・セルの情報)が多すぎます" in problem.message


@pytest.mark.parametrize(
    ("build", "what", "fix"),
    [
        (lambda: styles_bomb(2_000), "セルの書式(セルのスタイル)", "移動またはコピー"),
        (lambda: names_bomb(2_000), "「名前の定義」などのブック全体の情報", "名前の管理"),
    ],
)
def test_styles_and_defined_names_are_bounded_with_their_own_cause(monkeypatch, build, what, fix):
    monkeypatch.setattr(bounds, "MAX_PART_TAGS", 1_000)
    problem = refusal(build())
    assert f"{what}が多すぎます" in problem.message and fix in problem.fix


def test_a_dtd_is_refused_before_any_parser_sees_it():
    problem = refusal(with_doctype("xl/workbook.xml", EXTERNAL_ENTITY))
    assert "部品「xl/workbook.xml」に、Excelでは作られない特殊な記述(DTD)" in problem.message
    sheet = refusal(with_doctype("xl/worksheets/sheet1.xml", EXTERNAL_ENTITY))
    assert "「FAQ」シートに" in sheet.message


def test_a_dtd_in_the_shared_strings_names_them():
    table = shared_strings(["ID"]).replace(b"<sst", b'<!DOCTYPE sst [<!ENTITY a "b">]><sst', 1)
    problem = refusal(raw_workbook({"FAQ": faq_sheet_xml()}, shared=table))
    assert "文字列の一覧に、Excelでは作られない特殊な記述(DTD)" in problem.message
