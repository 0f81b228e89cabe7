"""Translated menu labels: the `メニュー` sheet's 「タブ (English)」「ボタン (English)」 columns,
read from real .xlsx files, checked at their cells, and carried through the index."""

from __future__ import annotations

from madoguchi.model import (
    ActionKind,
    MenuButton,
    MenuTab,
    menu_languages,
    menu_tab_from_dict,
    menu_tab_to_dict,
)
from madoguchi.search.index import menu_hash
from madoguchi.workbook import Severity, format_report_ja, validate_workbook
from tests.support.workbooks import FAQ_HEADER, faq_row, make_workbook

FAQS: list[list[object]] = [
    list(FAQ_HEADER),
    faq_row(1, "粗大ごみの出し方", "予約してください。", category="ごみ"),
    faq_row(2, "住民票の取り方", "窓口でどうぞ。", category="届出"),
]


def menu_workbook(header: list[str], *rows: list[object]) -> bytes:
    menu: list[list[object]] = [list(header), *rows]
    return make_workbook({"FAQ": FAQS, "メニュー": menu})


def test_translated_tab_names_and_labels_are_read_with_japanese_fallback():
    header = [
        "タブ",
        "ボタン",
        "動作",
        "値",
        "タブ (English)",
        "ボタン (English)",
        "ボタン(ベトナム語)",
    ]
    result = validate_workbook(
        menu_workbook(
            header,
            ["くらし", "粗大ごみ", "FAQ", "1", "Living", "Large garbage", "Rác cồng kềnh"],
            ["", "住民票", "FAQ", "2", "", "", "Phiếu cư trú"],
            ["相談", "職員に相談", "職員に相談", "", "", "Ask staff", ""],
        )
    )
    assert result.ok, format_report_ja(result)
    living, talk = result.workbook.menu
    assert living.translations == (("en", "Living"),)
    assert [b.translations for b in living.buttons] == [
        (("en", "Large garbage"), ("vi", "Rác cồng kềnh")),
        (("vi", "Phiếu cư trú"),),
    ]
    # A tab or button without a translation keeps its Japanese words in that language's menu.
    assert talk.name_in("en") == "相談" and talk.buttons[0].label_in("en") == "Ask staff"
    assert living.buttons[1].label_in("en") == "住民票"
    assert living.name_in(None) == "くらし" and living.name_in("vi") == "くらし"
    assert menu_languages(result.workbook.menu) == ("en", "vi")


def test_an_unknown_language_in_a_header_is_a_check_naming_the_cell():
    header = ["タブ", "ボタン", "動作", "値", "ボタン (Klingon)"]
    result = validate_workbook(
        menu_workbook(header, ["くらし", "粗大ごみ", "FAQ", "1", "tlhIngan"])
    )
    assert result.ok
    (problem,) = [p for p in result.problems if p.cell == "E1"]
    assert problem.severity is Severity.WARNING
    assert "「Klingon」という言語がわかりません" in problem.message
    assert "English" in problem.fix and "Tiếng Việt" in problem.fix
    assert "【確認】" in format_report_ja(result)
    assert menu_languages(result.workbook.menu) == ()


def test_too_long_and_long_translated_labels_are_reported_at_their_cells():
    header = ["タブ", "ボタン", "動作", "値", "タブ (English)", "ボタン (English)"]
    result = validate_workbook(
        menu_workbook(
            header,
            ["くらし", "粗大ごみ", "FAQ", "1", "L" * 29, "G" * 41],
            ["", "住民票", "FAQ", "2", "", "Residence certificate copy"],
        )
    )
    errors = {p.cell: p for p in result.problems if p.severity is Severity.ERROR}
    assert set(errors) == {"E2", "F2"}
    assert "「タブ (English)」が長すぎます(29文字)" in errors["E2"].message
    assert "「ボタン (English)」が長すぎます(41文字)" in errors["F2"].message
    (long,) = [p for p in result.problems if p.cell == "F3"]
    assert long.severity is Severity.WARNING and "長め" in long.message


def test_a_tab_translated_twice_differently_and_a_label_without_a_button_are_checks():
    header = ["タブ", "ボタン", "動作", "値", "タブ (English)", "ボタン (English)"]
    result = validate_workbook(
        menu_workbook(
            header,
            ["くらし", "粗大ごみ", "FAQ", "1", "Living", ""],
            ["くらし", "住民票", "FAQ", "2", "Life", ""],
            ["手続き", "", "", "", "", "Forms"],
            ["", "住民票", "FAQ", "2", "", ""],
        )
    )
    assert result.ok, format_report_ja(result)
    twice = next(p for p in result.problems if p.cell == "E3")
    assert "3行目" not in twice.message and "2行目" in twice.message
    assert result.workbook.menu[0].translations == (("en", "Living"),)
    orphan = next(p for p in result.problems if p.cell == "F4")
    assert "ボタンがありません" in orphan.message


def test_translations_travel_through_json_and_leave_an_untranslated_hash_alone():
    plain = MenuTab("くらし", (MenuButton("ごみ", ActionKind.FAQ, "1", 2),))
    assert "translations" not in str(menu_tab_to_dict(plain))
    translated = MenuTab(
        "くらし",
        (MenuButton("ごみ", ActionKind.FAQ, "1", 2, (("en", "Garbage"),)),),
        (("en", "Living"),),
    )
    assert menu_tab_from_dict(menu_tab_to_dict(translated)) == translated
    assert menu_tab_from_dict(menu_tab_to_dict(plain)) == plain
    assert menu_hash((plain,)) != menu_hash((translated,))


def test_the_report_for_staff_names_the_languages_the_menu_is_translated_into():
    header = ["タブ", "ボタン", "動作", "値", "ボタン (English)", "ボタン (한국어)"]
    result = validate_workbook(
        menu_workbook(header, ["くらし", "粗大ごみ", "FAQ", "1", "Garbage", "쓰레기"])
    )
    assert "メニュー: タブ 1 個 / ボタン 1 個 (翻訳: English・한국어)" in format_report_ja(result)
