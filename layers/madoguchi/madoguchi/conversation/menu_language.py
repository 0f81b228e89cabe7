"""Which language's rich menu a resident sees: the one they write in, when the メニュー sheet
translates the menu into it; the Japanese one again when they write Japanese.

A decision on each typed message, made once per change: the language linked is remembered in the
resident's state (UserState.menu_language), and the webhook links the menu after the reply.
While staff have the conversation the 職員対応中 menu (in the hand-over's language) stays; when
the hand-over ends, a resident whose menu was translated gets it back instead of the Japanese one,
and any other resident the Japanese menu everyone sees.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import replace

from madoguchi.conversation.turns import MenuSwitch, Session, Turn
from madoguchi.model import ActionKind, MenuTab, menu_languages

JAPANESE = "ja"
_JAPANESE_LETTERS = re.compile("[\u3041-\u3096\u30a1-\u30fa\u4e00-\u9fff]")


def written_in(text: str | None, foreign: str | None, menu: Sequence[MenuTab]) -> str | None:
    """The language a message tells about: `foreign` (what message_kind read) for a message in
    another language, "ja" for one with Japanese letters, None when it tells nothing (no text,
    digits or emoji, or the words a menu's テキスト button sends, which are Japanese whatever
    the resident's menu)."""
    if text is None:
        return None
    if foreign:
        return foreign
    if _sent_by_a_button(text, menu) or not _JAPANESE_LETTERS.search(text):
        return None
    return JAPANESE


def _sent_by_a_button(text: str, menu: Sequence[MenuTab]) -> bool:
    """Whether `text` is exactly what one of the menu's テキスト buttons sends."""
    sent = text.strip()
    return any(b.action is ActionKind.TEXT and b.value == sent for tab in menu for b in tab.buttons)


def sent_by_menu(text: str | None, session: Session | None, menu: Sequence[MenuTab]) -> str | None:
    """The language of the resident's translated menu when `text` is exactly what one of its
    テキスト buttons sends (None otherwise, and for the Japanese menu)."""
    if text is None or session is None:
        return None
    linked = session.stored.menu_language
    if not linked or linked == JAPANESE or linked not in menu_languages(menu):
        return None
    return linked if _sent_by_a_button(text, menu) else None


def follow(
    answered: Turn, written: str | None, session: Session | None, menu: Sequence[MenuTab]
) -> Turn:
    """The turn with the menu the resident should now see, when that changes."""
    if session is None or answered.menu is MenuSwitch.STAFF:
        return answered  # without a state nothing could be remembered; with staff, theirs
    if session.with_staff and answered.menu is not MenuSwitch.DEFAULT:
        return answered  # still with staff: the 職員対応中 menu stays
    translated = menu_languages(menu)
    linked = session.stored.menu_language
    if written in translated and written != linked:
        return replace(answered, menu=MenuSwitch.LANGUAGE, menu_language=written)
    if written == JAPANESE and translated and linked != JAPANESE:
        # Also when nothing is known ("", a state that expired): removing a link is harmless.
        return replace(answered, menu=MenuSwitch.DEFAULT, menu_language=JAPANESE)
    if answered.menu is MenuSwitch.DEFAULT and linked in translated:
        # A hand-over ended: the resident's own language, not the Japanese menu.
        return replace(answered, menu=MenuSwitch.LANGUAGE, menu_language=linked)
    if answered.menu is MenuSwitch.DEFAULT and linked and linked != JAPANESE:
        # A hand-over in a language without translated tabs ended: the Japanese menu, and it is
        # remembered, so the language's own tabs are linked once the sheet translates them.
        return replace(answered, menu_language=JAPANESE)
    return answered
