"""Rendered rich menu PNGs: real images, LINE's limits, labels that always fit, enough contrast."""

import io

import pytest
from PIL import Image

from madoguchi.model import ActionKind, MenuButton, MenuTab
from madoguchi.richmenu.layout import FULL_HEIGHT, HALF_HEIGHT, WIDTH
from madoguchi.richmenu.render import (
    BUTTON,
    CLOSED_TAB,
    MAX_IMAGE_BYTES,
    OPEN_TAB,
    PANEL,
    STAFF_BUTTON,
    STYLES,
    button_face,
    button_label_box,
    contrast_ratio,
    encode_png,
    ink_boxes,
    render_menu,
    tab_label_box,
)
from madoguchi.richmenu.text import fit_text

LONG_LABEL = "引っ越しの手続きと住所変更について知りたい"  # 20 characters, the sheet's limit


def button(label: str, kind: ActionKind = ActionKind.TEXT) -> MenuButton:
    return MenuButton(label, kind, "" if kind is ActionKind.STAFF else "値")


MENU = (
    MenuTab(
        "くらし",
        (
            button("ごみの出し方"),
            button(LONG_LABEL),
            button("マイナンバーカード"),
            button("ABCDEFGHIJKLMNOPQRST"),
            button("市の\nホームページ"),
            button("職員に相談", ActionKind.STAFF),
        ),
    ),
    MenuTab("子育て・健康", (button("児童手当"), button("予防接種"), button("保育園"))),
    MenuTab("防災", (button("避難所"),)),
)


@pytest.fixture(scope="module")
def rendered():
    return render_menu(MENU)


def open_png(data: bytes) -> Image.Image:
    image = Image.open(io.BytesIO(data))
    image.load()
    return image.convert("RGB")


def test_one_real_png_per_tab_same_size_under_one_megabyte(rendered):
    assert [r.name for r in rendered] == ["くらし", "子育て・健康", "防災"]
    for tab in rendered:
        assert tab.png.startswith(b"\x89PNG\r\n\x1a\n")
        assert len(tab.png) < MAX_IMAGE_BYTES
        image = Image.open(io.BytesIO(tab.png))
        assert image.format == "PNG"
        assert image.size == (WIDTH, FULL_HEIGHT)
        assert image.mode in ("RGB", "P")


def test_half_height_menu_renders_half_height_images():
    small = (MenuTab("A", (button("一"), button("二"))), MenuTab("B", (button("三"),)))
    for tab in render_menu(small):
        assert Image.open(io.BytesIO(tab.png)).size == (WIDTH, HALF_HEIGHT)


def test_long_labels_fit_inside_their_buttons_without_truncation(rendered):
    first = rendered[0]
    for fitted, box in zip(first.labels, first.layout.button_boxes, strict=True):
        assert not fitted.truncated, fitted.lines
        area = button_label_box(box)
        for left, top, right, bottom in ink_boxes(fitted, area):
            assert area.x <= left and right <= area.right, (fitted.lines, area)
            assert area.y <= top and bottom <= area.bottom, (fitted.lines, area)
    long = first.labels[1]
    assert "".join(long.lines) == LONG_LABEL
    assert len(long.lines) >= 2
    assert long.size >= 60  # still readable, not a fallback to tiny text


def test_nothing_is_drawn_between_the_label_and_the_border(rendered):
    """Pixels of the button face outside the label area keep the plain button colour."""
    first = rendered[0]
    image = open_png(first.png)
    styles = [BUTTON] * 5 + [STAFF_BUTTON]
    for button_box, style in zip(first.layout.button_boxes, styles, strict=True):
        face = button_face(button_box).inset(60)  # inside the rounded border
        label = button_label_box(button_box)
        for x in range(face.x, face.right, 7):
            for y in range(face.y, face.bottom, 7):
                inside_label = label.x <= x < label.right and label.y <= y < label.bottom
                if not inside_label:
                    assert image.getpixel((x, y)) == style.fill, (x, y)


def test_labels_are_dark_ink_in_the_middle_of_the_button(rendered):
    image = open_png(rendered[2].png)
    box = button_label_box(rendered[2].layout.button_boxes[0])
    crop = image.crop((box.x, box.y, box.right, box.bottom))
    dark = sum(1 for p in crop.get_flattened_data() if sum(p) < 200)
    assert dark > 5000  # the text 避難所 is really drawn


def test_open_tab_is_highlighted(rendered):
    for index, tab in enumerate(rendered):
        image = open_png(tab.png)
        for other, box in enumerate(tab.layout.tab_boxes):
            # A pixel of the tab face left of the label: dark for the open tab, light otherwise.
            is_open = other == index
            label = tab_label_box(box, is_open=is_open)
            pixel = image.getpixel((box.x + 20, label.y + 4))
            assert pixel == (OPEN_TAB.fill if is_open else CLOSED_TAB.fill), (index, other)


def test_every_text_colour_meets_wcag_aa():
    for name, style in STYLES.items():
        assert contrast_ratio(style.text, style.fill) >= 4.5, name
    assert contrast_ratio(BUTTON.fill, PANEL) >= 3.0  # buttons stand out from the panel


def test_contrast_ratio_matches_wcag_reference_values():
    assert contrast_ratio((0, 0, 0), (255, 255, 255)) == pytest.approx(21.0)
    assert contrast_ratio((0x77, 0x77, 0x77), (255, 255, 255)) == pytest.approx(4.48, abs=0.01)


def test_text_that_cannot_fit_is_cut_with_an_ellipsis_inside_the_box():
    fitted = fit_text("あ" * 200, 400, 150, largest=80, smallest=40, max_lines=2)
    assert fitted.truncated
    assert fitted.lines[-1].endswith("…")
    assert len(fitted.lines) <= 2
    from madoguchi.richmenu.layout import Box

    for left, top, right, bottom in ink_boxes(fitted, Box(0, 0, 400, 150)):
        assert left >= 0 and right <= 400 and top >= 0 and bottom <= 150


def test_lines_break_between_phrases_and_keep_latin_words_whole():
    fitted = fit_text("市のホームページ", 760, 400, largest=124, smallest=60, max_lines=3)
    assert fitted.lines == ("市の", "ホームページ")
    fitted = fit_text("LINEの使い方", 420, 400, largest=124, smallest=60, max_lines=3)
    assert "LINE" in fitted.lines[0]
    fitted = fit_text("ごみ(資源)の出し方", 300, 600, largest=110, smallest=40, max_lines=3)
    assert not any(line.startswith((")", "の")) for line in fitted.lines)


def test_a_png_over_the_limit_is_reduced_to_a_palette(rendered):
    image = open_png(rendered[0].png)
    plain = len(rendered[0].png)
    data = encode_png(image, max_bytes=plain - 1)
    assert len(data) < plain
    assert Image.open(io.BytesIO(data)).mode == "P"


def test_an_image_that_cannot_be_made_small_enough_is_refused(rendered):
    with pytest.raises(ValueError, match="above LINE's limit"):
        encode_png(open_png(rendered[0].png), max_bytes=1000)
