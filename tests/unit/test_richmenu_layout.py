"""Geometry of the tabbed rich menu: sizes, tab bar, button grid, LINE's bounds."""

import pytest

from madoguchi.model import ActionKind, MenuButton, MenuTab
from madoguchi.richmenu.layout import (
    FULL_HEIGHT,
    HALF_HEIGHT,
    MAX_AREAS,
    MAX_BUTTONS_PER_TAB,
    MAX_TABS,
    WIDTH,
    Box,
    MenuLayoutError,
    layout_menu,
    layout_tab,
    menu_height,
    row_sizes,
)


def tab(name: str, buttons: int) -> MenuTab:
    return MenuTab(
        name, tuple(MenuButton(f"ボタン{i}", ActionKind.TEXT, f"質問{i}") for i in range(buttons))
    )


def covered_pixels(boxes: tuple[Box, ...]) -> int:
    return sum(b.width * b.height for b in boxes)


def overlaps(a: Box, b: Box) -> bool:
    return a.x < b.right and b.x < a.right and a.y < b.bottom and b.y < a.bottom


def test_one_height_for_all_tabs_full_when_any_tab_needs_two_rows():
    menu = (tab("くらし", 6), tab("防災", 2))
    layouts = layout_menu(menu)
    assert {(lay.width, lay.height) for lay in layouts} == {(WIDTH, FULL_HEIGHT)}


def test_half_height_when_every_tab_fits_one_row():
    menu = (tab("くらし", 3), tab("防災", 2))
    assert menu_height(menu) == HALF_HEIGHT
    assert {lay.height for lay in layout_menu(menu)} == {HALF_HEIGHT}


SHAPES = [(FULL_HEIGHT, n) for n in range(1, MAX_BUTTONS_PER_TAB + 1)]
SHAPES += [(HALF_HEIGHT, n) for n in range(1, 4)]  # the half-height image holds one row of three


@pytest.mark.parametrize(("height", "buttons"), SHAPES)
def test_buttons_tile_the_panel_exactly(height, buttons):
    layout = layout_tab(3, 1, buttons, height)
    panel = layout.panel
    assert len(layout.button_boxes) == buttons
    assert covered_pixels(layout.button_boxes) == panel.width * panel.height
    for i, a in enumerate(layout.button_boxes):
        assert panel.x <= a.x and a.right <= panel.right
        assert panel.y <= a.y and a.bottom <= panel.bottom
        for b in layout.button_boxes[i + 1 :]:
            assert not overlaps(a, b)


def test_tab_bar_on_top_one_area_per_tab():
    layout = layout_tab(4, 2, 5, FULL_HEIGHT)
    assert layout.open_tab == 2
    assert len(layout.tab_boxes) == 4
    assert all(b.y == 0 for b in layout.tab_boxes)
    assert covered_pixels(layout.tab_boxes) == WIDTH * layout.tab_boxes[0].height
    assert layout.panel.y == layout.tab_boxes[0].height
    assert layout.panel.bottom == FULL_HEIGHT


def test_a_single_tab_has_no_tab_bar():
    layout = layout_tab(1, 0, 4, FULL_HEIGHT)
    assert layout.tab_boxes == ()
    assert layout.tab_bar is None
    assert layout.panel == Box(0, 0, WIDTH, FULL_HEIGHT)


def test_rows_put_the_extra_button_on_top():
    assert row_sizes(5, two_rows=True) == [3, 2]
    assert row_sizes(6, two_rows=True) == [3, 3]
    assert row_sizes(4, two_rows=True) == [2, 2]
    assert row_sizes(1, two_rows=True) == [1]
    assert row_sizes(3, two_rows=False) == [3]


def test_five_buttons_in_reading_order():
    boxes = layout_tab(2, 0, 5, FULL_HEIGHT).button_boxes
    assert [b.y for b in boxes[:3]] == [boxes[0].y] * 3
    assert boxes[3].y == boxes[4].y > boxes[0].y
    assert boxes[0].x < boxes[1].x < boxes[2].x
    assert boxes[3].x < boxes[4].x
    assert boxes[3].width > boxes[0].width  # the shorter row gets wider buttons


def test_bounds_are_plain_ints_inside_the_image():
    for layout in layout_menu((tab("a", 6), tab("b", 1), tab("c", 4))):
        for box in (*layout.tab_boxes, *layout.button_boxes):
            bounds = box.to_bounds()
            assert all(type(v) is int for v in bounds.values())
            assert bounds["x"] >= 0 and bounds["y"] >= 0
            assert bounds["x"] + bounds["width"] <= layout.width
            assert bounds["y"] + bounds["height"] <= layout.height
            assert len(layout.tab_boxes) + len(layout.button_boxes) <= MAX_AREAS


@pytest.mark.parametrize(
    ("menu", "words"),
    [
        ((), "タブがありません"),
        ((tab("空", 0),), "「空」にボタンがありません"),
        ((tab("多い", MAX_BUTTONS_PER_TAB + 1),), "「多い」のボタンは6つまで"),
        (tuple(tab(f"t{i}", 1) for i in range(MAX_TABS + 1)), "タブは8つまで"),
    ],
)
def test_impossible_menus_get_a_japanese_error(menu, words):
    with pytest.raises(MenuLayoutError, match=words):
        layout_menu(menu)


def test_limits_match_the_menu_sheet_check():
    from madoguchi.workbook import menu_sheet

    assert menu_sheet.MAX_TABS == MAX_TABS
    assert menu_sheet.MAX_BUTTONS_PER_TAB == MAX_BUTTONS_PER_TAB
