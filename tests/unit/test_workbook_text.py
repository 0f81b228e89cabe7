"""Text is read as staff see it in Excel: escapes decoded, invisible characters taken out."""

from __future__ import annotations

import sys
import unicodedata

from madoguchi.workbook import validate_workbook
from madoguchi.workbook.cells import _INVISIBLE, clean_text, needs_cleaning
from tests.support.hostile_workbooks import (
    emoji_answer,
    inline_row,
    raw_workbook,
    sheet_xml,
    with_shared,
)
from tests.support.workbooks import FAQ_HEADER, faq_row, make_workbook


def faq(result, faq_id="1"):
    assert result.workbook is not None, result.problems
    return {f.id: f for f in result.workbook.faqs}[faq_id]


def test_excel_escapes_in_shared_strings_become_the_characters_they_stand_for():
    result = validate_workbook(
        with_shared(["1", "改行_x000D_\nのある質問", "一行目_x000D_\n二行目_x0009_タブ"])
    )
    assert result.ok and result.warnings == []
    assert faq(result).question == "改行\nのある質問"
    assert faq(result).answer == "一行目\n二行目\tタブ"


def test_an_escaped_underscore_keeps_what_follows_as_written():
    rows = inline_row(1, ["ID", "質問", "回答"]) + inline_row(2, [1, "q", "A_x005F_x0041_B"])
    assert faq(validate_workbook(raw_workbook({"FAQ": sheet_xml(rows)}))).answer == "A_x0041_B"


def test_a_character_beyond_the_basic_plane_escaped_as_two_halves_is_joined():
    assert clean_text("晴れ_xD83C__xDF1E_です") == ("晴れ🌞です", "")
    assert clean_text("壊れ_xD83C_た") == ("壊れた", "\ud83c")


def test_bidi_controls_are_removed_with_a_warning_at_the_cell():
    answer = "受付は\u202e日曜\u202cです。\u200b"
    result = validate_workbook(make_workbook({"FAQ": [FAQ_HEADER, faq_row(1, "q", answer)]}))
    assert result.ok
    assert faq(result).answer == "受付は日曜です。"
    [warning] = result.warnings
    assert (warning.sheet, warning.row, warning.column, warning.cell) == ("FAQ", 2, "回答", "F2")
    assert "見えない文字が 3個" in warning.message
    assert "U+202E 文字の向きを変える制御文字" in warning.message
    assert "U+200B 幅のない文字" in warning.message
    assert "\u202e" not in warning.message + warning.fix  # the report itself stays readable


def test_an_id_with_a_zero_width_space_still_matches_the_menu():
    rows = [FAQ_HEADER, faq_row("A\u200b1", "q", "a")]
    menu = [["タブ", "ボタン", "動作", "値"], ["ごみ", "粗大ごみ", "FAQ", "A1"]]
    result = validate_workbook(make_workbook({"FAQ": rows, "メニュー": menu}))
    assert result.ok, result.errors
    assert result.workbook.menu[0].buttons[0].value == "A1"
    assert [w.cell for w in result.warnings] == ["A2"]


def test_a_header_with_an_invisible_character_is_found_and_mentioned():
    result = validate_workbook(
        make_workbook({"FAQ": [["ID", "質問", "\ufeff回答"], [1, "q", "a"]]})
    )
    assert result.ok
    [warning] = result.warnings
    assert warning.cell == "C1" and "U+FEFF" in warning.message


def test_a_row_of_nothing_but_invisible_characters_is_an_empty_row():
    rows = [FAQ_HEADER, faq_row(1, "q", "a"), ["\u200b", None, "\u200e"]]
    result = validate_workbook(make_workbook({"FAQ": rows}))
    assert result.ok and result.warnings == []
    assert len(result.workbook.faqs) == 1


def test_emoji_sequences_and_flags_are_kept_whole():
    text = emoji_answer()
    assert clean_text(text) == (text, "")
    assert clean_text("a\u200db") == ("ab", "\u200d")  # a joiner between letters joins nothing


def test_control_characters_are_removed_but_tabs_and_line_breaks_stay():
    assert clean_text("a\x01b\x7fc\u0085d\te\nf") == ("abcd\te\nf", "\x01\x7f\u0085")


def test_the_invisible_list_is_every_format_control_and_surrogate_character():
    # Unassigned code points may be listed too (a newer Unicode may assign format characters).
    expected = {"Cf", "Cc", "Cs"}
    for code in range(sys.maxunicode + 1):
        ch = chr(code)
        category = unicodedata.category(ch)
        listed = _INVISIBLE.match(ch) is not None
        if ch in "\t\n\r":
            assert not listed
        elif category in expected:
            assert listed, f"U+{code:04X} {category}"
        elif listed:
            assert category == "Cn", f"U+{code:04X} {category}"


def test_the_quick_test_never_misses_what_cleaning_would_change():
    plain = "普通の文です。\n二行目\u3000全角空白"
    for text in [plain, "a\u00a0b", "x_x0041_y", "z\u2066w", "\ue000"]:
        assert needs_cleaning(text) or clean_text(text) == (text, ""), text
    assert not needs_cleaning(plain)
    assert needs_cleaning("z\u2066w") and needs_cleaning("x_x0041_y")
