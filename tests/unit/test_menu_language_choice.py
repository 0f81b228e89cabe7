"""Which language's rich menu a resident sees after a turn (conversation.menu_language)."""

from __future__ import annotations

import pytest

from madoguchi.adapters.conversation_state import UserState
from madoguchi.conversation.menu_language import JAPANESE, follow, written_in
from madoguchi.conversation.turns import MenuSwitch, Session, Turn, TurnKind
from madoguchi.model import ActionKind, BotSettings, MenuButton, MenuTab

NOW = 1_800_000_000.0
TRANSLATED = (
    MenuTab(
        "ごみ",
        (
            MenuButton("粗大ごみ", ActionKind.FAQ, "1", translations=(("vi", "Rác cồng kềnh"),)),
            MenuButton("引っ越し", ActionKind.TEXT, "引っ越しでごみが出るときは"),
        ),
        (("en", "Garbage"),),
    ),
)
PLAIN = (MenuTab("ごみ", (MenuButton("粗大ごみ", ActionKind.FAQ, "1"),)),)
ANSWER = Turn(TurnKind.ANSWER)


def session(menu_language: str = "", *, with_staff: bool = False) -> Session:
    until = int(NOW) + 600 if with_staff else 0
    since = int(NOW) - 60 if with_staff else 0
    stored = UserState(mode_since=since, mode_until=until, menu_language=menu_language)
    return Session("ref", NOW, BotSettings(), stored)


@pytest.mark.parametrize(
    ("text", "foreign", "expected"),
    [
        ("Giấy cư trú ở đâu?", "vi", "vi"),
        ("粗大ごみの出し方", None, JAPANESE),
        ("住民票", None, JAPANESE),
        ("引っ越しでごみが出るときは", None, None),  # what a テキスト button sends
        ("123", None, None),
        ("👍", None, None),
        (None, None, None),
    ],
)
def test_what_a_message_tells_about_the_residents_language(text, foreign, expected):
    assert written_in(text, foreign, TRANSLATED) == expected


def test_a_language_with_a_menu_is_linked_once():
    switched = follow(ANSWER, "vi", session(), TRANSLATED)
    assert (switched.menu, switched.menu_language) == (MenuSwitch.LANGUAGE, "vi")
    assert follow(ANSWER, "vi", session("vi"), TRANSLATED) == ANSWER
    # Another language with a menu replaces it; one without a menu changes nothing.
    assert follow(ANSWER, "en", session("vi"), TRANSLATED).menu_language == "en"
    assert follow(ANSWER, "pt", session("vi"), TRANSLATED) == ANSWER


def test_japanese_again_removes_the_link_and_is_remembered():
    back = follow(ANSWER, JAPANESE, session("vi"), TRANSLATED)
    assert (back.menu, back.menu_language) == (MenuSwitch.DEFAULT, JAPANESE)
    # Nothing known (a state that expired): removed all the same, which is harmless.
    assert follow(ANSWER, JAPANESE, session(""), TRANSLATED).menu is MenuSwitch.DEFAULT
    assert follow(ANSWER, JAPANESE, session(JAPANESE), TRANSLATED) == ANSWER
    # A city without translated menus never switches for language.
    assert follow(ANSWER, JAPANESE, session(""), PLAIN) == ANSWER
    assert follow(ANSWER, "vi", session(""), PLAIN) == ANSWER


def test_staff_keep_their_menu_and_the_end_of_a_hand_over_gives_the_language_back():
    assert follow(ANSWER, "vi", session(with_staff=True), TRANSLATED) == ANSWER
    to_staff = Turn(TurnKind.STAFF, menu=MenuSwitch.STAFF)
    assert follow(to_staff, "vi", session("vi"), TRANSLATED) == to_staff
    ended = Turn(TurnKind.HANDOVER_END, menu=MenuSwitch.DEFAULT)
    back = follow(ended, None, session("vi", with_staff=True), TRANSLATED)
    assert (back.menu, back.menu_language) == (MenuSwitch.LANGUAGE, "vi")
    assert follow(ended, None, session(JAPANESE, with_staff=True), TRANSLATED) == ended


def test_a_hand_over_in_a_language_without_tabs_ends_on_the_japanese_menu_remembered():
    ended = Turn(TurnKind.HANDOVER_END, menu=MenuSwitch.DEFAULT)
    for menu in (TRANSLATED, PLAIN):
        back = follow(ended, None, session("ko", with_staff=True), menu)
        assert (back.menu, back.menu_language) == (MenuSwitch.DEFAULT, JAPANESE)
    # Nothing remembered, or Japanese already: the link is removed, nothing more.
    assert follow(ended, None, session("", with_staff=True), TRANSLATED) == ended
    # Korean tabs translated later are linked at the next Korean message.
    later = follow(ANSWER, "ko", session(JAPANESE), (_with_korean(),))
    assert (later.menu, later.menu_language) == (MenuSwitch.LANGUAGE, "ko")


def _with_korean() -> MenuTab:
    tab = TRANSLATED[0]
    return MenuTab(tab.name, tab.buttons, (*tab.translations, ("ko", "쓰레기")))


def test_without_a_state_nothing_is_switched():
    assert follow(ANSWER, "vi", None, TRANSLATED) == ANSWER
