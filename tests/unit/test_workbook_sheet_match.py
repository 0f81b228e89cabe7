"""Which sheet is read when names repeat or sheets are hidden, and what staff are told about it."""

from __future__ import annotations

from madoguchi.workbook import Severity, validate_workbook
from madoguchi.workbook.sheet_match import match_sheets
from tests.support.hostile_workbooks import (
    chartsheet_named_faq,
    hidden_faq_with_visible_copy,
    openpyxl_book,
    rezip,
)
from tests.support.workbooks import FAQ_HEADER, faq_row

NAMES = ["FAQ", "同義語", "設定", "メニュー", "テスト"]


def matched(sheets):
    problems = []
    return match_sheets(sheets, NAMES, problems), problems


def test_a_hidden_faq_sheet_is_read_and_its_visible_copy_is_named():
    result = validate_workbook(hidden_faq_with_visible_copy())
    assert result.ok
    assert [f.id for f in result.workbook.faqs] == ["1", "2"]  # the hidden sheet's rows
    [warning] = result.warnings
    assert warning.sheet == "FAQ"
    assert "「FAQ」シートは非表示になっていますが、公開されるのはこの非表示のシートの内容です" in (
        warning.message
    )
    assert "表示されている「FAQ (2)」シートは読みません" in warning.message
    assert "非表示の「FAQ」シートを削除してください" in warning.fix
    assert "「FAQ (2)」の名前を「FAQ」に変えてください" in warning.fix


def test_a_very_hidden_sheet_gets_a_fix_that_works_without_unhiding():
    result = validate_workbook(hidden_faq_with_visible_copy("veryHidden", "ＦＡＱ"))
    [warning] = result.warnings
    assert "Excelの画面からは再表示できない方法" in warning.message
    assert "表示されている「ＦＡＱ」シートは読みません" in warning.message
    assert "新しいブックにコピー" in warning.fix and "再表示" not in warning.fix


def test_a_hidden_sheet_without_a_copy_is_still_mentioned():
    found, problems = matched([("使い方", "visible"), ("設定", "hidden"), ("FAQ", "visible")])
    assert found == {"使い方": "使い方", "設定": "設定", "FAQ": "FAQ"}
    [warning] = problems
    assert warning.sheet == "設定" and "表示されている" not in warning.message
    assert "「再表示」で表示して、内容を確かめてください" in warning.fix


def test_hidden_guide_and_memo_sheets_are_nobody_s_business():
    found, problems = matched([("FAQ", "visible"), ("使い方", "hidden")])
    assert found == {"FAQ": "FAQ", "使い方": "使い方"} and problems == []


def test_doubled_and_unknown_visible_sheets_keep_their_own_warnings():
    found, problems = matched([("FAQ", "visible"), ("ＦＡＱ", "visible"), ("メモ", "visible")])
    assert found == {"FAQ": "FAQ"}
    assert [p.severity for p in problems] == [Severity.WARNING, Severity.WARNING]
    assert "「FAQ」シートが2つあります" in problems[0].message
    assert "「メモ」シートは使われません" in problems[1].message


def test_a_chart_sheet_named_faq_is_named_not_called_missing():
    result = validate_workbook(chartsheet_named_faq())
    [error] = result.errors
    assert error.sheet == "FAQ"
    assert "グラフのシートなので、表として読み取れません" in error.message


def without_part(titles: list[str], lost: str) -> bytes:
    """A workbook listing `titles` whose part for sheet `lost` is gone from the file."""

    def build(book):
        for title in titles:
            sheet = book.create_sheet(title)
            sheet.append(FAQ_HEADER)
            sheet.append(faq_row(1, "q", "a"))

    part = f"xl/worksheets/sheet{titles.index(lost) + 1}.xml"
    return rezip(openpyxl_book(build), lambda name, content: None if name == part else content)


def test_a_faq_sheet_whose_content_is_missing_is_called_broken_not_absent():
    result = validate_workbook(without_part(["FAQ"], "FAQ"))
    [error] = result.errors
    assert error.sheet == "FAQ"
    assert "「FAQ」シートはありますが、その中身がファイルの中に見つかりません" in error.message


def test_a_memo_sheet_whose_content_is_missing_is_not_needed():
    assert validate_workbook(without_part(["FAQ", "メモ"], "メモ")).ok
