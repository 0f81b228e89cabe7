"""Draw one PNG per tab with Pillow: big, high-contrast buttons carrying the labels staff wrote."""

from __future__ import annotations

import io
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from PIL import Image, ImageDraw

from madoguchi.model import ActionKind, MenuButton, MenuTab
from madoguchi.richmenu.layout import Box, TabLayout, layout_menu
from madoguchi.richmenu.text import FONT_PATH, FittedText, fit_text, font, font_runs

MAX_IMAGE_BYTES = 1_000_000  # LINE rejects rich menu images above 1 MB
PALETTE_COLORS = 64  # fallback when a plain PNG is too big: flat colours survive quantising

Rgb = tuple[int, int, int]


@dataclass(frozen=True)
class Style:
    """Colours of one kind of element; every text/background pair meets WCAG AA (4.5:1)."""

    fill: Rgb
    text: Rgb
    border: Rgb


PANEL = (0x1D, 0x4E, 0x89)  # deep blue behind the buttons, continuous with the open tab
TAB_BAR = (0xB8, 0xC4, 0xD3)
OPEN_TAB = Style(fill=PANEL, text=(0xFF, 0xFF, 0xFF), border=PANEL)
CLOSED_TAB = Style(fill=(0xE4, 0xE9, 0xEF), text=(0x1A, 0x1A, 0x1A), border=(0x8A, 0x99, 0xAB))
BUTTON = Style(fill=(0xFF, 0xFF, 0xFF), text=(0x14, 0x14, 0x14), border=(0x0E, 0x2F, 0x56))
STAFF_BUTTON = Style(fill=(0xFF, 0xE0, 0x8A), text=(0x14, 0x14, 0x14), border=(0x7A, 0x4F, 0x00))
STYLES = {"open_tab": OPEN_TAB, "closed_tab": CLOSED_TAB, "button": BUTTON, "staff": STAFF_BUTTON}

BUTTON_GAP = 36  # between buttons, and twice the margin to the panel's edge
BUTTON_RADIUS = 44
BUTTON_BORDER = 8
BUTTON_PADDING = 40  # between the button's edge and its label
BUTTON_FONT = (124, 60)  # largest and smallest label size in pixels (124 px ~ 19 pt on a phone)
TAB_FONT = (92, 40)
CLOSED_TAB_DROP = 28  # closed tabs sit lower than the open one, so the open tab stands out


@dataclass(frozen=True)
class RenderedTab:
    """The PNG of one tab and what was drawn on it."""

    name: str
    png: bytes
    layout: TabLayout
    labels: tuple[FittedText, ...]  # one per button, for checking that every label fits


def render_menu(menu: Sequence[MenuTab], language: str | None = None) -> list[RenderedTab]:
    """One image per tab, all the same size, with the labels in `language` where the sheet
    translates them (None: Japanese); raises MenuLayoutError for an impossible menu."""
    layouts = layout_menu(menu)
    return [render_tab(menu, layout, language) for layout in layouts]


def render_tab(
    menu: Sequence[MenuTab], layout: TabLayout, language: str | None = None
) -> RenderedTab:
    """Draw the tab bar with the open tab highlighted, then the open tab's buttons."""
    image = Image.new("RGB", (layout.width, layout.height), PANEL)
    draw = ImageDraw.Draw(image)
    if layout.tab_bar is not None:
        _draw_tab_bar(draw, menu, layout, language)
    tab = menu[layout.open_tab]
    labels = tuple(
        draw_button(draw, button, box, language=language)
        for button, box in zip(tab.buttons, layout.button_boxes, strict=True)
    )
    return RenderedTab(tab.name, encode_png(image), layout, labels)


def encode_png(image: Image.Image, max_bytes: int = MAX_IMAGE_BYTES) -> bytes:
    """PNG under LINE's 1 MB limit: plain first, a 64-colour palette if that is too big."""
    data = _png_bytes(image)
    if len(data) > max_bytes:
        data = _png_bytes(image.quantize(colors=PALETTE_COLORS, dither=Image.Dither.NONE))
    if len(data) > max_bytes:
        raise ValueError(f"rich menu image is {len(data)} bytes, above LINE's limit ({max_bytes})")
    return data


def button_label_box(box: Box) -> Box:
    """Where a button's label may go: inside the border, with padding."""
    visible = button_face(box)
    inner = BUTTON_BORDER + BUTTON_PADDING
    return visible.inset(inner, inner)


def button_face(box: Box) -> Box:
    """The drawn button inside its tap area (the tap area is larger, to forgive shaky fingers)."""
    return box.inset(BUTTON_GAP // 2)


def tab_label_box(box: Box, *, is_open: bool) -> Box:
    """Where a tab's name may go."""
    top = 0 if is_open else CLOSED_TAB_DROP
    face = Box(box.x, box.y + top, box.width, box.height - top)
    return face.inset(28, 18)


def _draw_tab_bar(
    draw: ImageDraw.ImageDraw,
    menu: Sequence[MenuTab],
    layout: TabLayout,
    language: str | None = None,
) -> None:
    """Closed tabs light and slightly lower; the open tab dark and joined to the panel below."""
    bar = layout.tab_bar
    assert bar is not None
    draw.rectangle(_corners(bar), fill=TAB_BAR)
    for index, (tab, box) in enumerate(zip(menu, layout.tab_boxes, strict=True)):
        is_open = index == layout.open_tab
        style = OPEN_TAB if is_open else CLOSED_TAB
        top = box.y + (0 if is_open else CLOSED_TAB_DROP)
        face = Box(box.x + 6, top + 6, box.width - 12, box.bottom - top)
        draw.rounded_rectangle(
            _corners(face),
            radius=36,
            fill=style.fill,
            outline=None if is_open else style.border,
            width=0 if is_open else 4,
            corners=(True, True, False, False),
        )
        name = tab.name_in(language)
        label_box = tab_label_box(box, is_open=is_open)
        draw_label(draw, name, label_box, TAB_FONT, 2, style.text, language)
    # A strip of the panel colour under the tabs makes the open tab read as part of the panel.
    draw.rectangle((0, bar.bottom - 10, bar.right - 1, bar.bottom - 1), fill=PANEL)


def draw_button(
    draw: ImageDraw.ImageDraw,
    button: MenuButton,
    box: Box,
    style: Style | None = None,
    *,
    language: str | None = None,
) -> FittedText:
    """A rounded button with its label centred; the staff button is yellow so it is easy to find."""
    if style is None:
        style = STAFF_BUTTON if button.action is ActionKind.STAFF else BUTTON
    face = button_face(box)
    draw.rounded_rectangle(
        _corners(face),
        radius=BUTTON_RADIUS,
        fill=style.fill,
        outline=style.border,
        width=BUTTON_BORDER,
    )
    label = button.label_in(language)
    return draw_label(draw, label, button_label_box(box), BUTTON_FONT, 3, style.text, language)


def draw_label(
    draw: ImageDraw.ImageDraw,
    text: str,
    box: Box,
    font: tuple[int, int],
    max_lines: int,
    color: Rgb,
    language: str | None = None,
) -> FittedText:
    """Text fitted into a box (font sizes largest to smallest, at most `max_lines`) and drawn
    with the language's fonts."""
    fitted = fit_text(
        text,
        box.width,
        box.height,
        largest=font[0],
        smallest=font[1],
        max_lines=max_lines,
        language=language,
    )
    draw_lines(draw, fitted, box, color)
    return fitted


def draw_lines(draw: ImageDraw.ImageDraw, fitted: FittedText, box: Box, color: Rgb) -> None:
    """Centre the block of lines in the box, each line centred horizontally; a line is drawn run
    by run, each run in the font that has its characters, on one baseline."""
    for (x, y), line in zip(line_anchors(fitted, box), fitted.lines, strict=True):
        for left, baseline, run, path in _placed_runs(fitted, line, x, y):
            draw.text((left, baseline), run, font=font(fitted.size, path), fill=color, anchor="ls")


def _placed_runs(
    fitted: FittedText, line: str, center_x: float, center_y: float
) -> list[tuple[float, float, str, Path]]:
    """(left, baseline, text, font) of each run of a line centred at (center_x, center_y)."""
    runs = font_runs(line, fitted.language)
    widths = [font(fitted.size, path).getlength(run) for run, path in runs]
    # The baseline that puts the middle of the first font's ascent and descent on the centre,
    # as Pillow's "mm" anchor does for a single font.
    first = runs[0][1] if runs else FONT_PATH
    ascent, descent = font(fitted.size, first).getmetrics()
    baseline = center_y + (ascent - descent) / 2
    left = center_x - sum(widths) / 2
    placed = []
    for (run, path), width in zip(runs, widths, strict=True):
        placed.append((left, baseline, run, path))
        left += width
    return placed


def line_anchors(fitted: FittedText, box: Box) -> list[tuple[float, float]]:
    """Centre point of each line when the block is centred in the box."""
    block = fitted.line_height * (len(fitted.lines) - 1) + fitted.size
    top = box.y + (box.height - block) / 2
    center_x = box.x + box.width / 2
    return [
        (center_x, top + number * fitted.line_height + fitted.size / 2)
        for number in range(len(fitted.lines))
    ]


def ink_boxes(fitted: FittedText, box: Box) -> list[tuple[float, float, float, float]]:
    """Bounding box of the ink of each line, as drawn (for checking that labels stay inside)."""
    boxes = []
    for (x, y), line in zip(line_anchors(fitted, box), fitted.lines, strict=True):
        inks = [
            font(fitted.size, path).getbbox(run, anchor="ls")
            for _, _, run, path in _placed_runs(fitted, line, x, y)
        ]
        placed = _placed_runs(fitted, line, x, y)
        if not placed:
            continue
        boxes.append(
            (
                min(left + ink[0] for (left, _, _, _), ink in zip(placed, inks, strict=True)),
                min(base + ink[1] for (_, base, _, _), ink in zip(placed, inks, strict=True)),
                max(left + ink[2] for (left, _, _, _), ink in zip(placed, inks, strict=True)),
                max(base + ink[3] for (_, base, _, _), ink in zip(placed, inks, strict=True)),
            )
        )
    return boxes


def _corners(box: Box) -> tuple[int, int, int, int]:
    """Pillow's inclusive (x0, y0, x1, y1)."""
    return (box.x, box.y, box.right - 1, box.bottom - 1)


def _png_bytes(image: Image.Image) -> bytes:
    """PNG at zlib level 6: within 3% of the smallest, three times faster than `optimize`."""
    buffer = io.BytesIO()
    image.save(buffer, format="PNG", compress_level=6)
    return buffer.getvalue()


def contrast_ratio(foreground: Rgb, background: Rgb) -> float:
    """WCAG 2 contrast ratio between two sRGB colours (1 to 21)."""
    lighter, darker = sorted((_luminance(foreground), _luminance(background)), reverse=True)
    return (lighter + 0.05) / (darker + 0.05)


def _luminance(color: Rgb) -> float:
    """WCAG relative luminance."""

    def channel(value: int) -> float:
        c = value / 255
        return c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4

    r, g, b = (channel(v) for v in color)
    return 0.2126 * r + 0.7152 * g + 0.0722 * b
