"""The FAQ sheet: what is read from each column and every rule, with the cell it points at."""

from __future__ import annotations

import dataclasses
import io
import zipfile

from madoguchi.workbook import Severity, validate_workbook
from tests.support.hostile_workbooks import far_header, inline_row, raw_workbook, sheet_xml
from tests.support.workbooks import FAQ_HEADER, faq_row, make_workbook


def check(rows, **sheets):
    return validate_workbook(make_workbook({"FAQ": rows, **sheets}))


def at(result, cell):
    """Problems reported at one cell (or merged range)."""
    return [p for p in result.problems if p.cell == cell]


def only_at(result, cell, severity=Severity.ERROR):
    found = at(result, cell)
    assert len(found) == 1, result.problems
    assert found[0].severity is severity
    return found[0]


def test_columns_are_read_into_faqs():
    result = check(
        [
            FAQ_HEADER,
            faq_row(
                "Q1",
                "粗大ごみの出し方",
                "電話で予約してください。\n処理券を貼って出します。",
                category="ごみ",
                paraphrases="大きなごみを捨てたい\n\n家具を捨てたい",
                keywords="粗大ごみ、家具,ソファ，ベッド\nたんす",
                url="https://www.city.example.jp/gomi",
                department="環境課",
                published="○",
            ),
        ]
    )
    assert result.ok, result.problems
    faq = result.workbook.faqs[0]
    assert faq.id == "Q1"
    assert faq.answer == "電話で予約してください。\n処理券を貼って出します。"
    assert faq.paraphrases == ("大きなごみを捨てたい", "家具を捨てたい")
    assert faq.keywords == ("粗大ごみ", "家具", "ソファ", "ベッド", "たんす")
    assert (faq.category, faq.department, faq.url) == (
        "ごみ",
        "環境課",
        "https://www.city.example.jp/gomi",
    )
    assert faq.published and faq.row == 2
    assert result.problems == []


def test_headers_are_found_by_name_in_any_order_with_full_width_and_spaces():
    header = ["  回答 ", "ＩＤ", "質問", "公開"]
    result = check([header, ["答え", 7, "問い", "×"], ["答え2", 8, "問い2", "〇"]])
    assert result.ok, result.problems
    assert [(f.id, f.answer, f.published) for f in result.workbook.faqs] == [
        ("7", "答え", False),
        ("8", "答え2", True),
    ]


def test_numeric_ids_compare_as_text():
    result = check([FAQ_HEADER, faq_row(12.0, "a", "b"), faq_row("１２", "c", "d")])
    problem = only_at(result, "A3")
    assert "2行目 と 3行目" in problem.message
    assert problem.sheet == "FAQ" and problem.row == 3 and problem.column == "ID"
    assert [f.id for f in result.workbook.faqs] == ["12"]


def test_missing_faq_sheet():
    result = validate_workbook(make_workbook({"Sheet1": [FAQ_HEADER]}))
    assert not result.ok
    assert result.workbook is not None and result.workbook.faqs == ()
    assert any("「FAQ」シートが見つかりません" in p.message for p in result.errors)


def test_missing_required_header_names_the_existing_ones():
    result = check([["ID", "質問"], [1, "q"]])
    [problem] = [p for p in result.errors if p.column == "回答"]
    assert problem.row == 1
    assert "「回答」" in problem.message
    assert "「ID」" in problem.fix and "「質問」" in problem.fix


def test_empty_required_cells():
    result = check([FAQ_HEADER, faq_row(None, "", "", category="ごみ")])
    assert "IDが空です" in only_at(result, "A2").message
    assert "質問が空です" in only_at(result, "C2").message
    assert "回答が空です" in only_at(result, "F2").message


def test_unpublished_draft_without_answer_is_only_a_warning():
    result = check([FAQ_HEADER, faq_row(1, "q", "a"), faq_row(2, "下書き", "", published="×")])
    assert result.ok
    assert only_at(result, "F3", Severity.WARNING)
    assert [f.published for f in result.workbook.faqs] == [True, False]


def test_unknown_published_mark_is_an_error_naming_allowed_values():
    result = check([FAQ_HEADER, faq_row(1, "q", "a", published="はい")])
    problem = only_at(result, "I2")
    assert "「はい」" in problem.message
    assert "○" in problem.fix and "×" in problem.fix


def test_all_published_marks():
    marks = ["", "○", "〇", "◯", "o", "O", "ｏ", "×", "x", "X", "✕"]
    rows = [FAQ_HEADER] + [faq_row(i, f"q{i}", "a", published=m) for i, m in enumerate(marks)]
    result = check(rows)
    assert result.ok, result.problems
    assert [f.published for f in result.workbook.faqs] == [True] * 7 + [False] * 4


def test_answer_length_limits():
    rows = [
        FAQ_HEADER,
        faq_row(1, "q", "あ" * 5001),
        faq_row(2, "q2", "い" * 1001),
        faq_row(3, "q3", "う" * 1000),
    ]
    result = check(rows)
    assert "5,000文字" in only_at(result, "F2").message
    assert only_at(result, "F3", Severity.WARNING)
    assert at(result, "F4") == []


def test_urls_must_be_http_and_without_spaces():
    rows = [
        FAQ_HEADER,
        faq_row(1, "a", "b", url="www.city.example.jp"),
        faq_row(2, "c", "d", url="https://www.city.example.jp/a b"),
        faq_row(3, "e", "f", url="ｈｔｔｐｓ：／／ｗｗｗ.example.jp"),
        faq_row(4, "g", "h", url="http://www.city.example.jp/ok?x=1"),
    ]
    result = check(rows)
    assert "http://" in only_at(result, "G2").message
    assert "空白" in only_at(result, "G3").message
    assert "全角" in only_at(result, "G4").message
    assert at(result, "G5") == []


def test_formula_without_cached_value_is_an_error():
    result = check([FAQ_HEADER, faq_row(1, "q", '=CONCAT("a","b")')])
    problem = only_at(result, "F2")
    assert "数式の結果が保存されていません" in problem.message
    assert "Excelで開いて保存し直して" in problem.fix


def test_formula_with_cached_value_is_read():
    data = make_workbook({"FAQ": [FAQ_HEADER, faq_row(1, "q", '=CONCAT("a","b")')]})
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as source, zipfile.ZipFile(out, "w") as target:
        for info in source.infolist():
            content = source.read(info.filename)
            if info.filename == "xl/worksheets/sheet1.xml":
                # What Excel writes after calculating: the formula plus its cached string result.
                content = content.replace(b'<c r="F2">', b'<c r="F2" t="str">').replace(
                    b"<v />", b"<v>\xe8\xa8\x88\xe7\xae\x97\xe6\xb8\x88\xe3\x81\xbf</v>"
                )
            target.writestr(info, content)
    result = validate_workbook(out.getvalue())
    assert result.ok, result.problems
    assert result.workbook.faqs[0].answer == "計算済み"


def test_excel_error_values_are_reported():
    result = check([FAQ_HEADER, faq_row(1, "q", "#N/A")])
    assert "#N/A" in only_at(result, "F2").message


def test_merged_cells_over_data_rows_name_the_range():
    rows = [FAQ_HEADER, faq_row(1, "q", "a", category="ごみ"), faq_row(2, "q2", "a2")]
    result = validate_workbook(make_workbook({"FAQ": rows}, merged={"FAQ": ["B2:B3"]}))
    problem = only_at(result, "B2:B3")
    assert "結合" in problem.message and "B2:B3" in problem.message
    assert problem.row == 2


def test_empty_rows_in_the_middle_warn_but_trailing_ones_do_not():
    rows = [FAQ_HEADER, faq_row(1, "a", "b"), [], [None, "  "], faq_row(2, "c", "d"), [], []]
    result = check(rows)
    assert result.ok
    gaps = [p for p in result.warnings if "空行" in p.message]
    assert len(gaps) == 1
    assert gaps[0].row == 3 and "3〜4行目" in gaps[0].message
    assert [f.row for f in result.workbook.faqs] == [2, 5]


def test_unknown_columns_and_headerless_data_warn():
    rows = [[*FAQ_HEADER, "備考", None], [*faq_row(1, "a", "b"), "メモ", "ずれた値"]]
    result = check(rows)
    assert result.ok
    assert "「備考」" in only_at(result, "J1", Severity.WARNING).message
    assert "見出しのない列" in only_at(result, "K2", Severity.WARNING).message


def test_duplicate_header_is_an_error():
    result = check([["ID", "質問", "回答", "回答"], [1, "q", "a", "b"]])
    assert "2つあります" in only_at(result, "D1").message


def test_no_faq_or_nothing_published():
    assert any("1件もありません" in p.message for p in check([FAQ_HEADER]).errors)
    hidden = check([FAQ_HEADER, faq_row(1, "q", "a", published="×")])
    assert any("公開するFAQが1件もありません" in p.message for p in hidden.errors)


def test_the_same_question_twice_warns():
    result = check([FAQ_HEADER, faq_row(1, "ごみの日", "a"), faq_row(2, "ごみの日", "b")])
    assert result.ok
    assert "2行目" in only_at(result, "C3", Severity.WARNING).message


def test_too_many_rows_is_an_error(monkeypatch):
    from madoguchi.workbook import faq_sheet, validate

    small = dataclasses.replace(faq_sheet.FAQ_SPEC, max_rows=3)
    monkeypatch.setattr(validate, "SPECS", (small, *validate.SPECS[1:]))
    rows = [FAQ_HEADER] + [faq_row(i, f"q{i}", "a") for i in range(1, 6)]
    result = check(rows)
    problem = [p for p in result.errors if "行が多すぎます" in p.message]
    assert len(problem) == 1 and problem[0].row == 5
    assert len(result.workbook.faqs) == 3


def test_unknown_sheet_warns_and_guide_sheet_is_ignored():
    result = validate_workbook(
        make_workbook(
            {
                "FAQ": [FAQ_HEADER, faq_row(1, "q", "a")],
                "使い方": [["自由に書けます"]],
                "下書き": [["x"]],
            }
        )
    )
    assert result.ok
    assert [(p.sheet, p.severity) for p in result.problems] == [("下書き", Severity.WARNING)]


def test_every_problem_is_reported_at_once_in_sheet_then_row_order():
    rows = [FAQ_HEADER, faq_row(1, "", "a"), faq_row(2, "q", ""), faq_row(1, "q3", "a")]
    data = make_workbook(
        {
            "テスト": [["質問", "正解ID"], ["x", "99"]],
            "FAQ": rows,
        }
    )
    result = validate_workbook(data)
    places = [(p.sheet, p.row) for p in result.errors]
    assert places == [("テスト", 2), ("FAQ", 2), ("FAQ", 3), ("FAQ", 4)]


def test_a_required_header_beyond_column_40_is_reported_where_it_is():
    result = validate_workbook(far_header("回答", column=45))
    [error] = result.errors
    assert error.cell == "AS1" and error.column == "回答"
    assert "見出し「回答」が AS1(45列目)にありますが、読み取るのは AN列(40列目)までです" in (
        error.message
    )
    assert "AN列より左に移してください" in error.fix
    assert not any("見つかりません" in p.message for p in result.problems)


def test_an_optional_header_beyond_column_40_is_a_warning_and_not_read():
    result = validate_workbook(far_header("公開", column=41))
    assert result.ok
    warning = only_at(result, "AO1", Severity.WARNING)
    assert "この列は読みません" in warning.message
    assert all(f.published for f in result.workbook.faqs)  # the "×" out there was not read


def test_a_header_beyond_column_40_is_found_when_the_sheet_records_no_range():
    header = ["ID", "質問", *([None] * 42), "回答"]
    rows = inline_row(1, header) + inline_row(2, [1, "q", *([None] * 42), "a"])
    result = validate_workbook(raw_workbook({"FAQ": sheet_xml(rows, dimension=None)}))
    assert [p.cell for p in result.errors] == ["AS1"]
