"""Translated rich menus: each language drawn in fonts that have its letters, never a tofu box."""

from __future__ import annotations

import io

import pytest
from fontTools.ttLib import TTFont
from PIL import Image, ImageChops, ImageDraw

from madoguchi.language.codes import LANGUAGES
from madoguchi.model import ActionKind, MenuButton, MenuTab
from madoguchi.richmenu.layout import layout_menu
from madoguchi.richmenu.render import button_label_box, ink_boxes, render_menu
from madoguchi.richmenu.spec import ALIAS_PATTERN, alias_id, build_requests
from madoguchi.richmenu.text import (
    CJK_FONT,
    DEVANAGARI_FONT,
    FALLBACK,
    FONT_PATH,
    FONTS,
    LATIN_FONT,
    font,
    font_runs,
    fonts_for,
    has_glyph,
)

# Labels a city would write in each language (the sample's and the staff guide's examples).
SAMPLE_LABELS = {
    "en": "Large garbage · Residence certificate · Ask staff · Shelters",
    "zh": "大件垃圾怎么扔 住民票 咨询工作人员 避难所 防灾 生活 育儿",
    "ko": "대형 쓰레기 버리기 주민표 직원에게 상담 대피소 방재 생활 육아",
    "vi": "Vứt rác cồng kềnh · Giấy cư trú · Hỏi nhân viên · Nơi sơ tán · Đời sống",
    "pt": "Lixo grande · Atestado de residência · Falar com funcionário · Abrigos",
    "es": "Basura grande · Certificado de residencia · Hablar con el personal",
    "tl": "Malaking basura · Sertipiko ng paninirahan · Magtanong sa kawani",
    "ne": "ठूलो फोहोर फाल्ने · बसोबास प्रमाणपत्र · कर्मचारीसँग सोध्नुहोस् · आश्रयस्थल",
    "id": "Sampah besar · Surat keterangan domisili · Tanya petugas · Tempat evakuasi",
}


def test_every_language_has_sample_labels():
    assert set(SAMPLE_LABELS) == {language.code for language in LANGUAGES}


@pytest.mark.parametrize(("language", "label"), sorted(SAMPLE_LABELS.items()))
def test_every_character_of_each_languages_labels_has_a_glyph(language, label):
    for run, path in font_runs(label, language):
        for char in run:
            assert char.isspace() or has_glyph(path, char), (language, char, path.name)


@pytest.mark.parametrize("path", FALLBACK)
def test_the_coverage_table_is_the_fonts_own_character_map(path):
    cmap = set(TTFont(path).getBestCmap())
    probes = sorted(cmap)[:: max(1, len(cmap) // 500)]
    assert all(has_glyph(path, chr(code)) for code in probes)
    assert not has_glyph(path, "\ue000")  # private use: in none of them


def test_each_language_is_drawn_in_its_own_font_first():
    assert fonts_for(None)[0] == FONT_PATH
    assert fonts_for("ko")[0] == fonts_for("zh")[0] == CJK_FONT
    assert fonts_for("vi")[0] == fonts_for("en")[0] == LATIN_FONT
    assert fonts_for("ne")[0] == DEVANAGARI_FONT
    # BIZ UDPGothic has no Hangul nor Vietnamese tone letters: the fallbacks draw them.
    assert not has_glyph(FONT_PATH, "쓰") and not has_glyph(FONT_PATH, "ồ")
    assert font_runs("Giấy cư trú", "vi") == (("Giấy cư trú", LATIN_FONT),)
    # A Japanese word in an English label falls back per character, to the Japanese font.
    assert font_runs("Get 住民票", "en") == (("Get ", LATIN_FONT), ("住民票", FONT_PATH))


def _drawn(char: str, path) -> bytes:
    image = Image.new("L", (200, 200), 0)
    ImageDraw.Draw(image).text((100, 100), char, font=font(120, path), fill=255, anchor="mm")
    return image.tobytes()


@pytest.mark.parametrize("char", ["쓰", "垃", "ồ", "फ"])
def test_a_drawn_letter_is_not_the_missing_glyph_box(char):
    ((_, path),) = font_runs(char, None)
    assert _drawn(char, path) != _drawn("\ue000", path)


def test_the_added_fonts_stay_within_the_package_budget():
    added = [p for p in FONTS.iterdir() if p.name != FONT_PATH.name and p.suffix != ".txt"]
    assert sum(p.stat().st_size for p in added) <= 6_000_000
    assert (FONTS / "OFL-Noto.txt").read_text().count("SIL Open Font License") >= 1


MENU = (
    MenuTab(
        "くらし",
        (
            MenuButton(
                "粗大ごみ", ActionKind.FAQ, "1", translations=(("vi", "Vứt rác cồng kềnh"),)
            ),
            MenuButton("住民票", ActionKind.FAQ, "2"),
        ),
        (("vi", "Đời sống"),),
    ),
    MenuTab("防災", (MenuButton("避難所", ActionKind.SHELTER),)),
)


def test_a_translated_menu_draws_its_labels_inside_the_buttons_and_differs_from_japanese():
    japanese = render_menu(MENU)
    vietnamese = render_menu(MENU, "vi")
    assert [t.png for t in japanese] != [t.png for t in vietnamese]
    first = vietnamese[0]
    assert first.labels[0].language == "vi" and "".join(first.labels[0].lines).startswith("Vứt")
    for fitted, box in zip(first.labels, first.layout.button_boxes, strict=True):
        inner = button_label_box(box)
        for left, top, right, bottom in ink_boxes(fitted, inner):
            assert inner.x <= left and right <= inner.right
            assert inner.y <= top and bottom <= inner.bottom
    # The untranslated button keeps its Japanese label; the image is a real PNG.
    assert first.labels[1].lines == ("住民票",)
    assert Image.open(io.BytesIO(first.png)).size == (2500, 843)
    # Untranslated tabs render the same in both (only the tab bar's translated name differs).
    diff = ImageChops.difference(
        Image.open(io.BytesIO(japanese[1].png)).convert("RGB").crop((0, 300, 2500, 843)),
        Image.open(io.BytesIO(vietnamese[1].png)).convert("RGB").crop((0, 300, 2500, 843)),
    )
    assert diff.getbbox() is None


def test_a_translated_menus_tabs_switch_within_its_own_aliases():
    layouts = layout_menu(MENU)
    requests = build_requests(MENU, layouts, "abc", "vi")
    switches = [a.action for a in requests[0].areas if a.action.type == "richmenuswitch"]
    assert [s.rich_menu_alias_id for s in switches] == [
        alias_id("くらし", "vi"),
        alias_id("防災", "vi"),
    ]
    assert all(ALIAS_PATTERN.match(s.rich_menu_alias_id) for s in switches)
    assert alias_id("くらし", "vi") != alias_id("くらし")
    assert [s.label for s in switches] == ["Đời sống", "防災"]
    buttons = [a.action for a in requests[0].areas if a.action.type != "richmenuswitch"]
    assert (
        buttons[0].label == "Vứt rác cồng kềnh" and buttons[0].display_text == "Vứt rác cồng kềnh"
    )
    assert requests[0].name.startswith("madoguchi:abc:vi:1:")
