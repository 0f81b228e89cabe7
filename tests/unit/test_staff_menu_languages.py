"""The 職員対応中 menu in each language: its words from the fixed texts (or the city's own), drawn
whole in fonts that have every letter, big and dark on light, with taps that carry the language."""

from __future__ import annotations

import io

import pytest
from PIL import Image

from madoguchi.language import texts
from madoguchi.language.codes import EASY_JAPANESE
from madoguchi.line import postback
from madoguchi.model import ActionKind, BotSettings, MenuButton, MenuTab
from madoguchi.richmenu.layout import HALF_HEIGHT, WIDTH, Box
from madoguchi.richmenu.render import (
    BUTTON,
    BUTTON_FONT,
    STAFF_BUTTON,
    button_label_box,
    contrast_ratio,
    ink_boxes,
)
from madoguchi.richmenu.spec import ALIAS_PATTERN, MAX_ACTION_LABEL, STAFF_ALIAS, staff_alias
from madoguchi.richmenu.staff_menu import (
    BANNER_FONT,
    BANNER_HEIGHT,
    MAX_CHAT_BAR,
    staff_languages,
    staff_menu,
    staff_words,
    with_own_wording,
)
from madoguchi.richmenu.text import font_runs, has_glyph
from madoguchi.workbook.settings_sheet import translated_key

LANGUAGES = texts.LANGUAGE_CODES
MENU = (
    MenuTab(
        "くらし",
        (MenuButton("粗大ごみ", ActionKind.FAQ, "1"),),
        translations=(("en", "Living"), ("vi", "Đời sống")),
    ),
)


@pytest.fixture(scope="module", params=LANGUAGES)
def drawn(request):
    return request.param, staff_menu("abc123", request.param)


def test_the_fixed_texts_fit_lines_limits():
    for code in LANGUAGES:
        said = texts.TEXTS[code]
        assert 0 < len(said[texts.STAFF_MENU_BAR]) <= MAX_CHAT_BAR, code
        assert len(said[texts.STAFF_MENU_LIST]) <= MAX_ACTION_LABEL, code
        assert len(said[texts.BACK]) <= MAX_ACTION_LABEL, code


def test_every_letter_of_each_staff_menu_has_a_glyph():
    for code in LANGUAGES:
        words = staff_words(code)
        for text in (words.banner, words.back, words.listing):
            for run, path in font_runs(text, code):
                for char in run:
                    assert char.isspace() or has_glyph(path, char), (code, char, path.name)


def test_each_label_is_drawn_whole_inside_its_box_and_large(drawn):
    language, menu = drawn
    banner, *buttons = menu.labels
    assert not banner.truncated and banner.size >= BANNER_FONT[1], (language, banner)
    laid_in = Box(0, 0, WIDTH, BANNER_HEIGHT).inset(60, 30)
    # Accents above and descenders below a two-line banner may reach a little past the box it
    # was fitted in; never off the yellow banner nor within 12 px of its edge.
    allowed = Box(0, 0, WIDTH, BANNER_HEIGHT).inset(40, 12)
    for left, top, right, bottom in ink_boxes(banner, laid_in):
        assert allowed.x <= left and right <= allowed.right, language
        assert allowed.y <= top and bottom <= allowed.bottom, language
    for fitted, box in zip(buttons, menu.buttons, strict=True):
        assert not fitted.truncated and fitted.size >= BUTTON_FONT[1], (language, fitted)
        area = button_label_box(box)
        for left, top, right, bottom in ink_boxes(fitted, area):
            assert area.x <= left and right <= area.right, (language, fitted.lines)
            assert area.y <= top and bottom <= area.bottom, (language, fitted.lines)
    words = staff_words(language)
    assert " ".join(buttons[0].lines).split() == words.back.split()
    assert " ".join(buttons[1].lines).split() == words.listing.split()


def test_the_image_is_the_staff_menus_colours_with_dark_ink(drawn):
    language, menu = drawn
    image = Image.open(io.BytesIO(menu.png)).convert("RGB")
    assert image.size == (WIDTH, HALF_HEIGHT)
    assert image.getpixel((20, 20)) == STAFF_BUTTON.fill
    assert contrast_ratio(STAFF_BUTTON.text, STAFF_BUTTON.fill) >= 4.5
    assert contrast_ratio(BUTTON.text, BUTTON.fill) >= 4.5
    for box in menu.buttons:
        area = button_label_box(box)
        crop = image.crop((area.x, area.y, area.right, area.bottom))
        dark = sum(1 for pixel in crop.get_flattened_data() if sum(pixel) < 200)
        assert dark > 2000, language  # the label is really drawn
    assert all(box.y == BANNER_HEIGHT for box in menu.buttons)


def test_the_taps_carry_the_language_and_say_what_they_do(drawn):
    language, menu = drawn
    words = staff_words(language)
    back, listing = (area.action for area in menu.request.areas)
    assert postback.decode(back.data) == postback.BackToBot(language)
    assert postback.decode(listing.data) == postback.ListCategories(language=language)
    assert (back.label, back.display_text) == (words.back, words.back)
    assert (listing.label, listing.display_text) == (words.listing, words.listing)
    assert (
        menu.request.chat_bar_text == words.chat_bar == texts.TEXTS[language][texts.STAFF_MENU_BAR]
    )
    assert f":staff-{language}:" in menu.request.name


def test_the_japanese_staff_menu_is_as_before():
    menu = staff_menu("abc123")
    back, listing = (area.action for area in menu.request.areas)
    assert (back.data, listing.data) == ("a=bot", "a=cats")
    assert (back.label, listing.label, menu.request.chat_bar_text) == (
        "AIに戻る",
        "質問一覧",
        "職員対応中",
    )


def test_each_languages_staff_alias_is_one_line_accepts():
    assert staff_alias() == STAFF_ALIAS
    for code in LANGUAGES:
        assert ALIAS_PATTERN.fullmatch(staff_alias(code)) and staff_alias(code) != STAFF_ALIAS


def test_the_citys_own_wording_is_drawn_and_redeploys_the_menus():
    own = BotSettings(
        translated_texts={
            texts.override_key(texts.STAFF_MENU_LIST, "en"): "Topics",
            texts.override_key(texts.STAFF_MENU_BAR, "en"): "Talking with our staff team",
        }
    )
    words = staff_words("en", own)
    assert words.listing == "Topics" and words.chat_bar == "Talking with o"  # LINE's 14
    assert staff_menu("abc123", "en", own).request.areas[1].action.label == "Topics"
    assert with_own_wording("hash", BotSettings(), MENU) == "hash"
    reworded = with_own_wording("hash", own, MENU)
    assert reworded.startswith("hash:") and reworded != with_own_wording(
        "hash", BotSettings(translated_texts={texts.override_key(texts.BACK, "en"): "Back"}), MENU
    )
    # Every language has its 職員対応中 menu, translated tabs or not: Korean wording redeploys
    # too; without a menu there are no 職員対応中 menus to reword.
    korean = BotSettings(translated_texts={texts.override_key(texts.STAFF_MENU_LIST, "ko"): "목록"})
    assert with_own_wording("hash", korean, MENU).startswith("hash:")
    assert with_own_wording("hash", korean, ()) == "hash"


def test_every_language_with_fixed_texts_gets_a_staff_menu_and_japanese_stays_the_base():
    assert staff_languages() == texts.LANGUAGE_CODES
    assert "ja" not in staff_languages() and EASY_JAPANESE in staff_languages()


def test_each_language_is_drawn_once_for_the_same_words():
    first, again = staff_menu("abc123", "ko"), staff_menu("def456", "ko")
    assert again.png is first.png and again.request.name != first.request.name
    own = BotSettings(translated_texts={texts.override_key(texts.STAFF_MENU_LIST, "ko"): "목록"})
    assert staff_menu("abc123", "ko", own).png != first.png


def test_the_settings_sheet_names_the_new_texts():
    assert translated_key("質問一覧ボタン (English)") == texts.override_key(
        texts.STAFF_MENU_LIST, "en"
    )
    assert translated_key("職員対応中メニューの名前 (ベトナム語)") == texts.override_key(
        texts.STAFF_MENU_BAR, "vi"
    )
    assert translated_key("職員対応中メニューの見出し (やさしい日本語)") == texts.override_key(
        texts.STAFF_MENU_BANNER, "ja-easy"
    )
