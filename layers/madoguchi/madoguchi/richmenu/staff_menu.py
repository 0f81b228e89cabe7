"""The small 職員対応中 menu linked to a resident while staff have the conversation: a banner
saying so, and two large buttons, 「AIに戻る」 and 「質問一覧」, so the way back stays on screen.

Every language Madoguchi has fixed texts in (madoguchi.language.texts, やさしい日本語 included)
gets its own 職員対応中 menu, whether or not the メニュー sheet translates the menu into it: its
words are those texts (the city's own wording from 設定 first), not the sheet's; its buttons'
postbacks carry the language, so what the resident taps is answered in it.
"""

from __future__ import annotations

import functools
import hashlib
from collections.abc import Sequence
from dataclasses import dataclass

from linebot.v3.messaging import (
    PostbackAction,
    RichMenuArea,
    RichMenuBounds,
    RichMenuRequest,
    RichMenuSize,
)
from PIL import Image, ImageDraw

from madoguchi.language import texts
from madoguchi.line import postback
from madoguchi.model import ActionKind, BotSettings, MenuButton, MenuTab
from madoguchi.richmenu.layout import HALF_HEIGHT, WIDTH, Box
from madoguchi.richmenu.render import (
    BUTTON,
    PANEL,
    STAFF_BUTTON,
    draw_button,
    draw_label,
    encode_png,
)
from madoguchi.richmenu.spec import MAX_ACTION_LABEL, MAX_TEXT, NAME_PREFIX
from madoguchi.richmenu.text import FittedText

CHAT_BAR_TEXT = "職員対応中"
BANNER_TEXT = "職員対応中 ― 書いたメッセージは職員に届きます"
BANNER_HEIGHT = 230
BANNER_FONT = (96, 48)
BANNER_LINES = 2  # a translated banner is longer than the Japanese one-liner
BACK_LABEL = "AIに戻る"
LIST_LABEL = "質問一覧"
MAX_CHAT_BAR = 14  # LINE's limit for chatBarText
# The fixed texts a translated 職員対応中 menu shows: a city that rewrites one in 設定 gets the
# menu drawn again at the next publish.
TEXT_KEYS = (texts.STAFF_MENU_BAR, texts.STAFF_MENU_BANNER, texts.BACK, texts.STAFF_MENU_LIST)


@dataclass(frozen=True)
class StaffWords:
    """What one 職員対応中 menu says: the chat bar, the banner and the two buttons."""

    chat_bar: str
    banner: str
    back: str
    listing: str


@dataclass(frozen=True)
class StaffMenu:
    """The request and the image of the 職員対応中 menu."""

    request: RichMenuRequest
    png: bytes
    buttons: tuple[Box, ...]
    labels: tuple[FittedText, ...] = ()  # banner, back, list: for checking that each fits


JAPANESE_WORDS = StaffWords(CHAT_BAR_TEXT, BANNER_TEXT, BACK_LABEL, LIST_LABEL)


def staff_words(language: str | None = None, settings: BotSettings | None = None) -> StaffWords:
    """The menu's words in `language` (None: Japanese), as this city says them."""
    if not language:
        return JAPANESE_WORDS
    settings = settings or BotSettings()

    def said(key: str) -> str:
        return " ".join(texts.said(settings, language, key).split())

    return StaffWords(
        said(texts.STAFF_MENU_BAR)[:MAX_CHAT_BAR],
        said(texts.STAFF_MENU_BANNER),
        said(texts.BACK),
        said(texts.STAFF_MENU_LIST),
    )


def staff_languages() -> tuple[str, ...]:
    """The languages that get a 職員対応中 menu of their own: every one with fixed texts."""
    return tuple(code for code in texts.LANGUAGE_CODES if code in texts.TEXTS)


def with_own_wording(menu_hash: str, settings: BotSettings, menu: Sequence[MenuTab]) -> str:
    """The menu's hash, with a digest of the city's own wording of the translated 職員対応中
    menus' texts when it has some: rewording one in 設定 deploys the menus again. An empty
    menu deploys none, so its wording counts for nothing."""
    found = sorted(
        (name, value)
        for language in (staff_languages() if menu else ())
        for key in TEXT_KEYS
        if (value := settings.translated_texts.get(name := texts.override_key(key, language)))
    )
    if not found:
        return menu_hash
    return f"{menu_hash}:{hashlib.sha256(repr(found).encode()).hexdigest()[:12]}"


def staff_menu_name(deploy: str, language: str | None = None) -> str:
    """Named like the tabs, so a deploy's clean-up knows it as one of Madoguchi's menus."""
    where = f"staff-{language}" if language else "staff"
    return f"{NAME_PREFIX}{deploy}:{where}:{staff_words(language).chat_bar}"[:300]


def button_boxes() -> tuple[Box, Box]:
    """Tap areas of the two buttons: the panel under the banner, halved."""
    half = WIDTH // 2
    height = HALF_HEIGHT - BANNER_HEIGHT
    return Box(0, BANNER_HEIGHT, half, height), Box(half, BANNER_HEIGHT, WIDTH - half, height)


def staff_menu(
    deploy: str, language: str | None = None, settings: BotSettings | None = None
) -> StaffMenu:
    """The 職員対応中 menu of one deploy, in `language` (None: Japanese)."""
    words = staff_words(language, settings)
    spoken = language or ""
    back, listing = button_boxes()
    actions = (
        PostbackAction(
            label=words.back[:MAX_ACTION_LABEL],
            data=postback.encode(postback.BackToBot(spoken)),
            display_text=words.back[:MAX_TEXT],
        ),
        PostbackAction(
            label=words.listing[:MAX_ACTION_LABEL],
            data=postback.encode(postback.ListCategories(language=spoken)),
            display_text=words.listing[:MAX_TEXT],
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
        name=staff_menu_name(deploy, language),
        chat_bar_text=words.chat_bar,
        areas=areas,
    )
    png, labels = render_staff_menu(words, language)
    return StaffMenu(request, png, (back, listing), labels)


# Every publish that changes the menu draws each language's menu again with the same words: a
# warm indexer draws each once (about 0.2 s apiece).
@functools.lru_cache(maxsize=32)
def render_staff_menu(
    words: StaffWords = JAPANESE_WORDS, language: str | None = None
) -> tuple[bytes, tuple[FittedText, ...]]:
    """The image: a yellow banner (the colour of 職員に相談), then the two buttons; drawn in
    the language's fonts."""
    image = Image.new("RGB", (WIDTH, HALF_HEIGHT), PANEL)
    draw = ImageDraw.Draw(image)
    draw.rectangle((0, 0, WIDTH - 1, BANNER_HEIGHT - 1), fill=STAFF_BUTTON.fill)
    label_box = Box(0, 0, WIDTH, BANNER_HEIGHT).inset(60, 30)
    lines = BANNER_LINES if language else 1
    banner = draw_label(
        draw, words.banner, label_box, BANNER_FONT, lines, STAFF_BUTTON.text, language
    )
    buttons = tuple(
        draw_button(draw, MenuButton(label, ActionKind.TEXT), box, BUTTON, language=language)
        for label, box in zip((words.back, words.listing), button_boxes(), strict=True)
    )
    return encode_png(image), (banner, *buttons)
