"""The optional 多言語 sheet, read from real .xlsx files: rows become the same translations the
FAQ sheet's columns give, and every problem is named at its cell in Japanese."""

from __future__ import annotations

from madoguchi.model import Translation
from madoguchi.search import build_index
from madoguchi.workbook import Severity, validate_workbook
from tests.support.workbooks import FAQ_HEADER, faq_row, make_workbook

HEADER = ["ID", "言語", "質問", "回答"]
FAQS = [
    FAQ_HEADER,
    faq_row(1, "粗大ごみの出し方", "前日までに電話で予約してください。"),
    faq_row(2, "住民票の写しの取り方", "市民課の窓口で請求できます。"),
    faq_row(3, "児童手当の申請", "子育て支援課で申請してください。"),
]


def validated(rows, faqs=FAQS):
    return validate_workbook(make_workbook({"FAQ": faqs, "多言語": [HEADER, *rows]}))


def problems(result, severity=None):
    return [
        (p.sheet, p.cell, p.message)
        for p in result.problems
        if severity is None or p.severity is severity
    ]


def test_rows_become_the_faqs_translations():
    result = validated(
        [
            [1, "English", "How do I put out oversized garbage?", "Book it by phone."],
            ["１", "ベトナム語", "Cách bỏ rác cỡ lớn?", "Hãy đặt trước qua điện thoại."],
            [2, "en", "How do I get a residence certificate?", ""],
        ]
    )
    assert result.workbook is not None and not problems(result, Severity.ERROR)
    first, second, _ = result.workbook.faqs
    assert first.translations == (
        Translation("en", "How do I put out oversized garbage?", "Book it by phone."),
        Translation("vi", "Cách bỏ rác cỡ lớn?", "Hãy đặt trước qua điện thoại."),
    )
    assert second.translations == (Translation("en", "How do I get a residence certificate?", ""),)
    # A question without its answer is used (the answer stays Japanese), and staff are told.
    assert problems(result, Severity.WARNING) == [
        ("多言語", "D4", "回答の翻訳が空です。この言語の住民の方には日本語の回答を表示します。")
    ]


def test_the_sheet_and_the_columns_feed_one_index_alike():
    columns = [[*FAQ_HEADER, "質問 (English)", "回答 (English)"]]
    columns.append([*FAQS[1], "Big garbage", "Book."])
    columns += [[*FAQS[2], "", ""], [*FAQS[3], "", ""]]
    from_columns = validate_workbook(make_workbook({"FAQ": columns}))
    from_sheet = validated([[1, "English", "Big garbage", "Book."]])
    assert from_columns.workbook is not None and from_sheet.workbook is not None
    assert from_sheet.workbook.faqs == from_columns.workbook.faqs
    index = build_index(from_sheet.workbook, built_at="2026-12-01T00:00:00Z")
    assert index.search_across("big garbage", "en").hits[0].faq.id == "1"


def test_an_unknown_id_or_language_is_an_error_at_its_cell():
    result = validated(
        [
            [9, "English", "Where is city hall?", "At the station."],
            [1, "Klingon", "nuqDaq?", "naDev."],
            [1, "", "How?", "Like this."],
            ["", "English", "Where?", "Here."],
        ]
    )
    assert result.workbook is None or not result.ok
    assert problems(result, Severity.ERROR) == [
        ("多言語", "A2", "ID「9」のFAQが、FAQシートにありません。"),
        ("多言語", "B3", "言語「Klingon」は使えません。"),
        ("多言語", "B4", "言語が空です。"),
        ("多言語", "A5", "IDが空です。"),
    ]
    fixes = {p.cell: p.fix for p in result.problems}
    assert "「English」" in fixes["B3"] and "「Tiếng Việt」" in fixes["B3"]


def test_the_same_faq_and_language_twice_is_refused_naming_both_rows():
    result = validated(
        [
            [1, "English", "Oversized garbage", "Book it."],
            [1, "英語", "Big garbage", "Call us."],
        ]
    )
    assert problems(result, Severity.ERROR) == [
        (
            "多言語",
            "B3",
            "ID「1」の「English」の翻訳が 2行目 にもあります。どちらを使うか決められません。",
        )
    ]


def test_a_translation_also_in_the_faq_columns_is_refused_naming_the_column():
    faqs = [[*FAQ_HEADER, "質問 (English)", "回答 (English)"]]
    faqs.append([*faq_row(1, "粗大ごみの出し方", "予約してください。"), "Big garbage", "Book."])
    result = validated([[1, "en", "Oversized garbage", "Book it."]], faqs=faqs)
    ((sheet, cell, message),) = problems(result, Severity.ERROR)
    assert (sheet, cell) == ("多言語", "B2")
    assert message == (
        "ID「1」の「English」の翻訳は、FAQシート 2行目の「質問 (English)」列にもあります。"
        "どちらを使うか決められません。"
    )
    assert not result.ok


def test_a_row_without_a_translated_question_is_not_used():
    result = validated([[1, "English", "", "Book it by phone."]])
    assert result.workbook is not None
    assert result.workbook.faqs[0].translations == ()
    assert problems(result) == [
        ("多言語", "C2", "質問の翻訳が空なので、この行は使われません。"),
    ]


def test_an_answer_too_long_for_line_is_refused():
    result = validated([[1, "English", "Oversized garbage", "x" * 5001]])
    ((_, cell, message),) = problems(result, Severity.ERROR)
    assert cell == "D2" and message.startswith("回答の翻訳が長すぎます(5,001文字)")


def test_a_missing_language_column_is_named():
    book = make_workbook({"FAQ": FAQS, "多言語": [["ID", "質問", "回答"], [1, "Garbage", "Book."]]})
    result = validate_workbook(book)
    assert any(p.sheet == "多言語" and "言語" in p.message for p in result.problems)
    assert result.workbook is not None
    assert all(faq.translations == () for faq in result.workbook.faqs)
