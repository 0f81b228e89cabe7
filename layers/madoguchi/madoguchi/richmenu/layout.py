"""Pure geometry of a tabbed rich menu: image size, tab bar and button grid (LINE bounds)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from madoguchi.model import MenuTab

WIDTH = 2500
FULL_HEIGHT = 1686
HALF_HEIGHT = 843
MAX_BUTTONS_PER_TAB = 6  # 2 rows x 3 columns: bigger grids make buttons too small to read
MAX_TABS = 8  # the メニュー sheet check allows 8; names shrink to fit 312 px per tab
MAX_AREAS = 20  # LINE's limit per rich menu
TAB_BAR_HEIGHT = {FULL_HEIGHT: 250, HALF_HEIGHT: 190}
HALF_HEIGHT_MAX_BUTTONS = 3  # one row fits in the half-height image


class MenuLayoutError(ValueError):
    """The menu cannot be laid out; the message is Japanese, for the staff who wrote the sheet."""


@dataclass(frozen=True)
class Box:
    """A rectangle in image pixels, the same shape as LINE's area bounds."""

    x: int
    y: int
    width: int
    height: int

    @property
    def right(self) -> int:
        """First column to the right of the box."""
        return self.x + self.width

    @property
    def bottom(self) -> int:
        """First row below the box."""
        return self.y + self.height

    def inset(self, dx: int, dy: int | None = None) -> Box:
        """The same box shrunk by dx on the left and right and dy on the top and bottom."""
        dy = dx if dy is None else dy
        return Box(self.x + dx, self.y + dy, self.width - 2 * dx, self.height - 2 * dy)

    def to_bounds(self) -> dict[str, int]:
        """LINE's bounds object."""
        return {"x": self.x, "y": self.y, "width": self.width, "height": self.height}


@dataclass(frozen=True)
class TabLayout:
    """Where everything goes on the image of one tab."""

    width: int
    height: int
    open_tab: int
    tab_boxes: tuple[Box, ...]  # empty when the menu has a single tab: nothing to switch to
    panel: Box  # everything below the tab bar
    button_boxes: tuple[Box, ...]  # tap areas; together they cover the whole panel

    @property
    def tab_bar(self) -> Box | None:
        """The strip holding the tabs, or None without tabs."""
        if not self.tab_boxes:
            return None
        return Box(0, 0, self.width, self.tab_boxes[0].height)


def menu_height(menu: Sequence[MenuTab]) -> int:
    """One height for every tab, so the chat area never jumps when a resident switches tabs.

    The half-height image leaves more of the conversation visible, so it is used when every tab
    fits in one row; otherwise every tab gets the full height.
    """
    most = max((len(tab.buttons) for tab in menu), default=0)
    return HALF_HEIGHT if most <= HALF_HEIGHT_MAX_BUTTONS else FULL_HEIGHT


def check_menu(menu: Sequence[MenuTab]) -> None:
    """Raise MenuLayoutError naming the first thing that cannot be drawn."""
    if not menu:
        raise MenuLayoutError("メニューシートにタブがありません。")
    if len(menu) > MAX_TABS:
        raise MenuLayoutError(f"タブは{MAX_TABS}つまでです(いま{len(menu)}つ)。")
    for tab in menu:
        if not tab.buttons:
            raise MenuLayoutError(f"タブ「{tab.name}」にボタンがありません。")
        if len(tab.buttons) > MAX_BUTTONS_PER_TAB:
            raise MenuLayoutError(
                f"タブ「{tab.name}」のボタンは{MAX_BUTTONS_PER_TAB}つまでです"
                f"(いま{len(tab.buttons)}つ)。"
            )
    tab_areas = len(menu) if len(menu) > 1 else 0
    most = max(len(tab.buttons) for tab in menu)
    if tab_areas + most > MAX_AREAS:
        raise MenuLayoutError(f"タブとボタンを合わせて{MAX_AREAS}個までです。")


def layout_menu(menu: Sequence[MenuTab]) -> list[TabLayout]:
    """One layout per tab, all the same size; raises MenuLayoutError for a menu LINE cannot show."""
    check_menu(menu)
    height = menu_height(menu)
    return [
        layout_tab(len(menu), index, len(tab.buttons), height) for index, tab in enumerate(menu)
    ]


def layout_tab(tab_count: int, open_tab: int, button_count: int, height: int) -> TabLayout:
    """Geometry of one tab's image: the tab bar on top, the buttons in rows below it."""
    bar_height = TAB_BAR_HEIGHT[height] if tab_count > 1 else 0
    tab_boxes = tuple(
        Box(x, 0, w, bar_height) for x, w in _split(WIDTH, tab_count if bar_height else 0)
    )
    panel = Box(0, bar_height, WIDTH, height - bar_height)
    return TabLayout(
        width=WIDTH,
        height=height,
        open_tab=open_tab,
        tab_boxes=tab_boxes,
        panel=panel,
        button_boxes=_grid(panel, button_count, two_rows=height == FULL_HEIGHT),
    )


def row_sizes(button_count: int, *, two_rows: bool) -> list[int]:
    """How many buttons go in each row: the top row takes the extra one (5 -> 3 + 2)."""
    if button_count <= 0:
        return []
    if not two_rows or button_count == 1:
        return [button_count]
    top = (button_count + 1) // 2
    return [top, button_count - top]


def _grid(panel: Box, button_count: int, *, two_rows: bool) -> tuple[Box, ...]:
    """Tap areas that tile the panel exactly, row by row, left to right."""
    rows = row_sizes(button_count, two_rows=two_rows)
    boxes: list[Box] = []
    for (y, h), columns in zip(_split(panel.height, len(rows)), rows, strict=True):
        for x, w in _split(panel.width, columns):
            boxes.append(Box(panel.x + x, panel.y + y, w, h))
    return tuple(boxes)


def _split(length: int, parts: int) -> list[tuple[int, int]]:
    """(offset, size) of `parts` nearly equal pieces that add up to exactly `length`."""
    edges = [round(i * length / parts) for i in range(parts + 1)] if parts else []
    return [(edges[i], edges[i + 1] - edges[i]) for i in range(parts)]
