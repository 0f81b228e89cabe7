"""The Japanese report staff read, and the sample workbook shipped with Madoguchi."""

from __future__ import annotations

from pathlib import Path

import pytest

from madoguchi.workbook import Problem, Severity, format_report_ja, validate_workbook
from madoguchi.workbook.problems_text import format_problem
from tests.support.workbooks import FAQ_HEADER, faq_row, make_workbook

SAMPLE = Path(__file__).resolve().parents[2] / "faq" / "faq.xlsx"


def test_a_problem_names_sheet_row_column_and_cell():
    line = format_problem(
        Problem(
            Severity.ERROR, "回答が空です。", "回答を入力してください。", "FAQ", 12, "回答", "F12"
        )
    )
    assert (
        line
        == "【エラー】FAQシート 12行目 「回答」列 (F12): 回答が空です。→ 回答を入力してください。"
    )


def test_report_for_a_broken_workbook_lists_each_cell_to_fix():
    rows = [
        FAQ_HEADER,
        faq_row(1, "粗大ごみ", "予約です。"),
        faq_row(2, "住民票", ""),
        [],
        faq_row(3, "q", "a"),
    ]
    report = format_report_ja(validate_workbook(make_workbook({"FAQ": rows})))
    assert report.startswith("【結果】公開できません。次の 1 件を直してください。")
    assert (
        "【エラー】FAQシート 3行目 「回答」列 (F3): 回答が空です。→ 回答を入力してください。"
        in report
    )
    assert "【確認】FAQシート 4行目: 4行目が空行ですが" in report
    assert report.index("■ 直す必要があるところ") < report.index("■ 確認をおすすめするところ")


def test_report_for_a_good_workbook_has_counts():
    rows = [
        FAQ_HEADER,
        faq_row(1, "粗大ごみ", "予約です。", category="ごみ"),
        faq_row(2, "住民票", "窓口です。", category="届出"),
        faq_row(3, "下書き", "まだです。", category="届出", published="×"),
    ]
    data = make_workbook(
        {
            "FAQ": rows,
            "同義語": [["語"], ["ごみ", "ゴミ"]],
            "メニュー": [["タブ", "ボタン", "動作", "値"], ["くらし", "ごみ", "FAQ", "1"]],
            "テスト": [["質問", "正解ID"], ["大きなごみ", "1"], ["写し", "2"]],
        }
    )
    report = format_report_ja(validate_workbook(data))
    assert report.startswith("【結果】公開できます。")
    assert "FAQ: 3 件 (公開 2 件 / 非公開 1 件)" in report
    assert "カテゴリ: 2 個" in report
    assert "同義語グループ: 1 組" in report
    assert "メニュー: タブ 1 個 / ボタン 1 個" in report
    assert "テスト質問: 2 件" in report
    assert "【エラー】" not in report


def test_report_for_an_unreadable_file_is_one_message_without_counts():
    report = format_report_ja(validate_workbook("ID,質問\n1,a\n".encode()))
    assert report.splitlines()[0] == "【結果】公開できません。次の 1 件を直してください。"
    assert "CSVファイルのようです" in report
    assert "FAQ:" not in report and "Traceback" not in report


@pytest.mark.skipif(
    not SAMPLE.exists(), reason="faq/faq.xlsx (the sample workbook) is not in the tree yet"
)
def test_the_sample_workbook_is_publishable():
    result = validate_workbook(SAMPLE.read_bytes(), filename=SAMPLE.name)
    assert result.ok, format_report_ja(result)
    workbook = result.workbook
    assert len(workbook.published_faqs) >= 200
    assert workbook.menu and workbook.tests and workbook.synonyms
    assert not [p for p in result.warnings if p.sheet == "FAQ"], format_report_ja(result)
