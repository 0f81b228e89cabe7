"""The small 職員対応中 menu linked to a resident while staff have the conversation: a banner
saying so, and two large buttons, 「AIに戻る」 and 「質問一覧」, so the way back stays on screen."""

from __future__ import annotations

from dataclasses import dataclass

from linebot.v3.messaging import (
    PostbackAction,
    RichMenuArea,
    RichMenuBounds,
    RichMenuRequest,
    RichMenuSize,
)
from PIL import Image, ImageDraw

from madoguchi.line import postback
from madoguchi.model import ActionKind, MenuButton
from madoguchi.richmenu.layout import HALF_HEIGHT, WIDTH, Box
from madoguchi.richmenu.render import (
    BUTTON,
    PANEL,
    STAFF_BUTTON,
    draw_button,
    draw_label,
    encode_png,
)
from madoguchi.richmenu.spec import NAME_PREFIX

CHAT_BAR_TEXT = "職員対応中"
BANNER_TEXT = "職員対応中 ― 書いたメッセージは職員に届きます"
BANNER_HEIGHT = 230
BANNER_FONT = (96, 48)
BACK_LABEL = "AIに戻る"
LIST_LABEL = "質問一覧"


@dataclass(frozen=True)
class StaffMenu:
    """The request and the image of the 職員対応中 menu."""

    request: RichMenuRequest
    png: bytes
    buttons: tuple[Box, ...]


def staff_menu_name(deploy: str) -> str:
    """Named like the tabs, so a deploy's clean-up knows it as one of Madoguchi's menus."""
    return f"{NAME_PREFIX}{deploy}:staff:{CHAT_BAR_TEXT}"


def button_boxes() -> tuple[Box, Box]:
    """Tap areas of the two buttons: the panel under the banner, halved."""
    half = WIDTH // 2
    height = HALF_HEIGHT - BANNER_HEIGHT
    return Box(0, BANNER_HEIGHT, half, height), Box(half, BANNER_HEIGHT, WIDTH - half, height)


def staff_menu(deploy: str) -> StaffMenu:
    """The 職員対応中 menu of one deploy."""
    back, listing = button_boxes()
    actions = (
        PostbackAction(
            label=BACK_LABEL, data=postback.encode(postback.BackToBot()), display_text=BACK_LABEL
        ),
        PostbackAction(
            label=LIST_LABEL,
            data=postback.encode(postback.ListCategories()),
            display_text=LIST_LABEL,
        ),
    )
    areas = [
        RichMenuArea(
            bounds=RichMenuBounds(x=box.x, y=box.y, width=box.width, height=box.height),
            action=action,
        )
        for box, action in zip((back, listing), actions, strict=True)
    ]
    request = RichMenuRequest(
        size=RichMenuSize(width=WIDTH, height=HALF_HEIGHT),
        selected=True,
        name=staff_menu_name(deploy),
        chat_bar_text=CHAT_BAR_TEXT,
        areas=areas,
    )
    return StaffMenu(request, render_staff_menu(), (back, listing))


def render_staff_menu() -> bytes:
    """The image: a yellow banner (the colour of 職員に相談), then the two buttons."""
    image = Image.new("RGB", (WIDTH, HALF_HEIGHT), PANEL)
    draw = ImageDraw.Draw(image)
    draw.rectangle((0, 0, WIDTH - 1, BANNER_HEIGHT - 1), fill=STAFF_BUTTON.fill)
    label_box = Box(0, 0, WIDTH, BANNER_HEIGHT).inset(60, 30)
    draw_label(draw, BANNER_TEXT, label_box, BANNER_FONT, 1, STAFF_BUTTON.text)
    for label, box in zip((BACK_LABEL, LIST_LABEL), button_boxes(), strict=True):
        draw_button(draw, MenuButton(label, ActionKind.TEXT), box, BUTTON)
    return encode_png(image)
