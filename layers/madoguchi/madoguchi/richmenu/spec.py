"""Pure translation of the menu into LINE's rich menu requests: sizes, areas and actions."""

from __future__ import annotations

import hashlib
import re
from collections.abc import Sequence

from linebot.v3.messaging import (
    Action,
    MessageAction,
    PostbackAction,
    RichMenuArea,
    RichMenuBounds,
    RichMenuRequest,
    RichMenuSize,
    RichMenuSwitchAction,
    URIAction,
)

from madoguchi.line import postback
from madoguchi.model import ActionKind, MenuButton, MenuTab
from madoguchi.richmenu.layout import Box, MenuLayoutError, TabLayout
from madoguchi.shelters import LOCATION_PICKER_URL

NAME_PREFIX = "madoguchi:"  # every rich menu Madoguchi creates is named so; others are left alone
ALIAS_PREFIX = "madoguchi-"
STAFF_ALIAS = ALIAS_PREFIX + "staff"  # fixed: the webhook finds the staff menu through it
ALIAS_PATTERN = re.compile(r"^[a-z0-9_-]{1,32}$")
CHAT_BAR_TEXT = "メニュー"  # LINE allows 14 characters
# Bump when the drawing or the areas change, so the next publish deploys the menu again even
# though the workbook's menu is the same.
SPEC_VERSION = "5"
# Sent by LINE when a resident switches tabs (the switch itself happens on the phone); the
# webhook's postback decoder does not know it, so the event is ignored without an answer.
TAB_SWITCH_DATA = "a=tab"
MAX_ACTION_LABEL = 20  # LINE's limit; screen readers read the label aloud
MAX_TEXT = 300  # LINE's limit for displayText and a message action's text


def deploy_id(menu_hash: str) -> str:
    """Short id of what gets deployed: the menu plus the version of this code's drawing."""
    return hashlib.sha256(f"{SPEC_VERSION}:{menu_hash}".encode()).hexdigest()[:12]


def alias_id(tab_name: str, language: str | None = None) -> str:
    """Stable alias of a tab, from a hash of its (usually Japanese) name; a translated menu's
    tab has the same alias with the language after it (madoguchi-…-vi: 29 characters, within
    LINE's 32 of a-z, 0-9, _ and -).

    The same tab keeps its alias from one deploy to the next, so a phone still showing the
    previous menu switches tabs straight into the new one.
    """
    alias = ALIAS_PREFIX + hashlib.sha256(tab_name.encode()).hexdigest()[:16]
    return f"{alias}-{language}" if language else alias


def staff_alias(language: str | None = None) -> str:
    """Alias of the 職員対応中 menu; a translated one has the language after it, as the tabs'
    aliases do (madoguchi-staff-vi)."""
    return f"{STAFF_ALIAS}-{language}" if language else STAFF_ALIAS


def menu_name(deploy: str, index: int, tab: MenuTab, language: str | None = None) -> str:
    """Rich menu name: our prefix, the deploy id, then the language of a translated menu and
    the tab, for LINE's console and cleanup."""
    where = f"{language}:{index + 1}" if language else f"{index + 1}"
    return f"{NAME_PREFIX}{deploy}:{where}:{tab.name}"[:300]


def deploy_of(name: str | None) -> str | None:
    """The deploy id in one of our rich menu names, or None for someone else's menu."""
    if not name or not name.startswith(NAME_PREFIX):
        return None
    return name[len(NAME_PREFIX) :].split(":", 1)[0] or None


def build_requests(
    menu: Sequence[MenuTab],
    layouts: Sequence[TabLayout],
    deploy: str,
    language: str | None = None,
) -> list[RichMenuRequest]:
    """One RichMenuRequest per tab: tab areas switch tabs (within the same language's menu),
    button areas do what staff chose, labelled in `language` where translated."""
    # A single tab has no tab bar, so nothing to switch to.
    aliases = [alias_id(tab.name, language) for tab in menu] if len(menu) > 1 else []
    names = [tab.name_in(language) for tab in menu] if aliases else []
    requests = []
    for index, (tab, layout) in enumerate(zip(menu, layouts, strict=True)):
        # Each area has a label: screen readers read it aloud (an area without one is "button").
        areas = [
            _area(
                box,
                RichMenuSwitchAction(
                    label=tab_label(name, language), rich_menu_alias_id=alias, data=TAB_SWITCH_DATA
                ),
            )
            for box, alias, name in zip(layout.tab_boxes, aliases, names, strict=True)
        ]
        areas += [
            _area(box, button_action(button, language))
            for box, button in zip(layout.button_boxes, tab.buttons, strict=True)
        ]
        requests.append(
            RichMenuRequest(
                size=RichMenuSize(width=layout.width, height=layout.height),
                selected=True,  # open when the chat opens: many residents never find the bar
                name=menu_name(deploy, index, tab, language),
                chat_bar_text=CHAT_BAR_TEXT,
                areas=areas,
            )
        )
    return requests


def tab_label(name: str, language: str | None = None) -> str:
    """What a screen reader says for a tab: its name and that it is a tab (「くらし」タブ); a
    translated tab says its name alone."""
    name = name.replace("\n", " ")
    if language:
        return name[:MAX_ACTION_LABEL]
    label = f"「{name}」タブ"
    return label if len(label) <= MAX_ACTION_LABEL else name[:MAX_ACTION_LABEL]


def button_action(button: MenuButton, language: str | None = None) -> Action:
    """The LINE action for one button, using the webhook's own postback encoding; what the
    resident sees and hears is the label in their language, and its postbacks carry that
    language so the reply is in it too. A テキスト button still sends the Japanese words staff
    wrote, which the search reads best."""
    spoken = language or ""
    label = button.label_in(language).replace("\n", " ")[:MAX_ACTION_LABEL]
    shown = button.label_in(language).replace("\n", " ")[:MAX_TEXT]
    try:
        match button.action:
            case ActionKind.FAQ:
                faq = postback.ShowFaq(button.value, postback.Source.MENU, spoken)
                data = postback.encode(faq)
                return PostbackAction(label=label, data=data, display_text=shown)
            case ActionKind.CATEGORY:
                action = postback.ListCategory(
                    button.value, source=postback.Source.MENU, language=spoken
                )
                data = postback.encode(action)
                return PostbackAction(label=label, data=data, display_text=shown)
            case ActionKind.STAFF:
                data = postback.encode(postback.AskStaff(postback.Source.MENU, spoken))
                return PostbackAction(label=label, data=data, display_text=shown)
            case ActionKind.URL:
                return URIAction(label=label, uri=button.value)
            case ActionKind.SHELTER:
                # LINE's location picker; the location it sends back finds the shelters.
                return URIAction(label=label, uri=LOCATION_PICKER_URL)
            case ActionKind.TEXT:
                if len(button.value) > MAX_TEXT:
                    raise MenuLayoutError(
                        f"ボタン「{button.label}」の送る文字が長すぎます"
                        f"({len(button.value)}文字)。{MAX_TEXT}文字までです。"
                    )
                # As if the resident had typed it: the webhook searches it like any question.
                return MessageAction(label=label, text=button.value)
    except postback.PostbackTooLong as error:
        raise MenuLayoutError(f"ボタン「{button.label}」の値が長すぎます。") from error
    raise MenuLayoutError(f"ボタン「{button.label}」の動作「{button.action}」は使えません。")


def _area(box: Box, action: Action) -> RichMenuArea:
    return RichMenuArea(
        bounds=RichMenuBounds(x=box.x, y=box.y, width=box.width, height=box.height),
        action=action,
    )
