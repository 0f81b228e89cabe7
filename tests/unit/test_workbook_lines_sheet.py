"""The optional 相談窓口 sheet: the city's own lines, each problem named at its cell in Japanese."""

from __future__ import annotations

from madoguchi.model import ConsultationLine
from madoguchi.search import SearchIndex, artifact, build_index
from madoguchi.workbook import Severity, validate_workbook
from tests.support.workbooks import FAQ_HEADER, faq_row, make_workbook

FAQ_ROWS = [FAQ_HEADER, faq_row(1, "粗大ごみの出し方", "予約してください。", category="ごみ")]
HEADER = ["種類", "名前", "電話", "受付時間", "URL"]


def check(*rows):
    return validate_workbook(make_workbook({"FAQ": FAQ_ROWS, "相談窓口": [HEADER, *rows]}))


def problem_at(result, cell):
    found = [p for p in result.problems if p.sheet == "相談窓口" and p.cell == cell]
    assert len(found) == 1, result.problems
    return found[0]


def test_no_sheet_means_the_national_defaults_only():
    result = validate_workbook(make_workbook({"FAQ": FAQ_ROWS}))
    assert result.ok and result.workbook.consultation_lines == ()


def test_rows_become_lines_with_their_kinds():
    result = check(
        ["食事・住まい", "市の生活相談", "0120-111-222", "平日9時〜17時", "https://example.jp/"],
        ["DV、ストーカー・監禁", "市の女性相談", "０３－１２３４－５６７８", "平日", None],
        ["すべて", "市の総合相談", "#7000", "24時間", None],
        ["ストーカー・監禁", "警察相談", "110", "24時間", None],
    )
    assert result.ok, result.problems
    lines = result.workbook.consultation_lines
    assert lines[0] == ConsultationLine(
        ("basic_needs",), "市の生活相談", "0120-111-222", "平日9時〜17時", "https://example.jp/", 2
    )
    assert lines[1].kinds == ("dv", "stalking")
    assert len(lines[2].kinds) == 7
    assert lines[3].kinds == ("stalking",)


def test_each_problem_is_named_at_its_cell():
    result = check(
        ["こころ", "", "0120-111-222", "24時間", None],
        ["悩み", "相談", "0120-111-222", "24時間", None],
        ["DV", "相談", "03-1234-5678(代表)", "24時間", None],
        ["DV", "相談", 120111222, "24時間", None],  # Excel dropped the leading 0
        ["DV", "相談", "", "24時間", None],
        ["DV", "相談", "0120-111-222", "", "www.example.jp"],
    )
    assert not result.ok
    assert "名前が空" in problem_at(result, "B2").message
    assert "「悩み」" in problem_at(result, "A3").message
    assert "数字とハイフン以外" in problem_at(result, "C4").message
    assert "先頭の0が消えて" in problem_at(result, "C5").message
    assert "電話番号が空" in problem_at(result, "C6").message
    assert problem_at(result, "D7").severity is Severity.WARNING  # hours missing: still usable
    assert problem_at(result, "E7").severity is Severity.WARNING  # a bad page: left out
    assert [line.row for line in result.workbook.consultation_lines] == [7]
    assert result.workbook.consultation_lines[0].url == ""


def test_the_lines_travel_in_the_index_file():
    result = check(["いじめ", "市の教育相談", "0120-333-444", "平日", None])
    index = SearchIndex.from_bytes(build_index(result.workbook).to_bytes())
    assert index.consultation_lines == result.workbook.consultation_lines


def test_an_index_file_without_lines_still_loads():
    """Files written before the sheet existed have no section for it."""
    result = check(["いじめ", "市の教育相談", "0120-333-444", "平日", None])
    meta, documents, arrays = artifact.decode(build_index(result.workbook).to_bytes())
    del documents["consultation_lines"]
    older = artifact.encode(meta, documents, arrays)
    assert SearchIndex.from_bytes(older).consultation_lines == ()
