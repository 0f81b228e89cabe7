"""Rich menu requests: LINE's limits, tab switching by alias, and the webhook's postbacks."""

import json

import pytest
from linebot.v3.messaging import (
    MessageAction,
    PostbackAction,
    RichMenuRequest,
    RichMenuSwitchAction,
    URIAction,
)

from madoguchi.line import postback
from madoguchi.model import ActionKind, MenuButton, MenuTab
from madoguchi.richmenu.layout import MAX_AREAS, MAX_TABS, MenuLayoutError, layout_menu
from madoguchi.richmenu.spec import (
    ALIAS_PATTERN,
    CHAT_BAR_TEXT,
    NAME_PREFIX,
    TAB_SWITCH_DATA,
    alias_id,
    build_requests,
    button_action,
    deploy_id,
    deploy_of,
)

MENU = (
    MenuTab(
        "くらし",
        (
            MenuButton("粗大ごみ", ActionKind.FAQ, "G002"),
            MenuButton("ごみ", ActionKind.CATEGORY, "ごみ・リサイクル"),
            MenuButton("市のホームページ", ActionKind.URL, "https://www.example.jp/"),
            MenuButton("マイナンバー", ActionKind.TEXT, "マイナンバーカードの申請"),
            MenuButton("職員に相談", ActionKind.STAFF, ""),
        ),
    ),
    MenuTab("子育て", (MenuButton("児童手当", ActionKind.FAQ, "K001"),)),
)


def requests_for(menu):
    return build_requests(menu, layout_menu(menu), deploy_id("abc"))


def test_one_request_per_tab_with_lines_limits():
    requests = requests_for(MENU)
    assert len(requests) == 2
    for request in requests:
        assert isinstance(request, RichMenuRequest)
        assert request.chat_bar_text == CHAT_BAR_TEXT and len(CHAT_BAR_TEXT) <= 14
        assert request.selected is True
        assert request.name.startswith(NAME_PREFIX) and len(request.name) <= 300
        assert len(request.areas) <= MAX_AREAS
        for area in request.areas:
            b = area.bounds
            assert b.x >= 0 and b.y >= 0 and b.width > 0 and b.height > 0
            assert b.x + b.width <= request.size.width
            assert b.y + b.height <= request.size.height
        # The SDK serialises it as LINE expects (camelCase, type on every action).
        body = json.loads(request.to_json())
        assert body["chatBarText"] == CHAT_BAR_TEXT
        assert all("type" in area["action"] for area in body["areas"])


def test_tab_areas_switch_by_alias_and_the_webhook_ignores_their_data():
    first, second = requests_for(MENU)
    switches = [a.action for a in first.areas if isinstance(a.action, RichMenuSwitchAction)]
    assert [s.rich_menu_alias_id for s in switches] == [alias_id("くらし"), alias_id("子育て")]
    assert {s.data for s in switches} == {TAB_SWITCH_DATA}
    assert postback.decode(TAB_SWITCH_DATA) is None  # no answer when a resident switches tabs
    assert [a.action for a in second.areas[:2]] == switches  # same tab bar on every tab


def test_alias_ids_match_lines_pattern_and_are_stable_and_distinct():
    names = ["くらし", "子育て・健康", "防災", "a" * 14, "手続き"]
    aliases = [alias_id(n) for n in names]
    assert all(ALIAS_PATTERN.match(a) for a in aliases)
    assert len(set(aliases)) == len(aliases)
    assert alias_id("くらし") == alias_id("くらし")


def test_button_actions_use_the_webhooks_postback_encoding():
    actions = [button_action(b) for b in MENU[0].buttons]
    faq, category, url, text, staff = actions
    assert isinstance(faq, PostbackAction)
    menu = postback.Source.MENU  # every tap on the menu is counted as one
    assert postback.decode(faq.data) == postback.ShowFaq("G002", menu)
    assert faq.display_text == "粗大ごみ"
    assert isinstance(category, PostbackAction)
    assert postback.decode(category.data) == postback.ListCategory("ごみ・リサイクル", source=menu)
    assert isinstance(url, URIAction) and url.uri == "https://www.example.jp/"
    assert isinstance(text, MessageAction) and text.text == "マイナンバーカードの申請"
    assert isinstance(staff, PostbackAction)
    assert postback.decode(staff.data) == postback.AskStaff(menu)
    assert all(len(a.label) <= 20 for a in actions)


def test_button_areas_follow_the_buttons_in_order():
    request = requests_for(MENU)[0]
    kinds = [type(a.action) for a in request.areas[2:]]
    assert kinds == [PostbackAction, PostbackAction, URIAction, MessageAction, PostbackAction]


def test_biggest_menu_stays_within_twenty_areas():
    buttons = tuple(MenuButton(f"ボタン{i}", ActionKind.STAFF) for i in range(6))
    menu = tuple(MenuTab(f"タブ{i}", buttons) for i in range(MAX_TABS))
    for request in requests_for(menu):
        assert len(request.areas) == MAX_TABS + 6 <= MAX_AREAS


def test_single_tab_has_no_switch_areas():
    (request,) = requests_for(MENU[:1])
    assert not any(isinstance(a.action, RichMenuSwitchAction) for a in request.areas)


def test_deploy_id_changes_with_the_menu_and_is_read_back_from_names():
    assert deploy_id("a") != deploy_id("b")
    request = requests_for(MENU)[0]
    assert deploy_of(request.name) == deploy_id("abc")
    assert deploy_of("city summer campaign") is None
    assert deploy_of(None) is None


def test_too_long_values_get_a_japanese_error():
    with pytest.raises(MenuLayoutError, match="長すぎます"):
        button_action(MenuButton("長い", ActionKind.TEXT, "あ" * 301))
    with pytest.raises(MenuLayoutError, match="長すぎます"):
        button_action(MenuButton("長い", ActionKind.CATEGORY, "か" * 300))


def test_a_translated_menus_postbacks_carry_its_language():
    """A Vietnamese resident's tap on their menu is answered in Vietnamese, as their words are."""
    faq, category, _url, text, staff = [button_action(b, "vi") for b in MENU[0].buttons]
    menu = postback.Source.MENU
    assert postback.decode(faq.data) == postback.ShowFaq("G002", menu, "vi")
    assert postback.decode(category.data) == postback.ListCategory(
        "ごみ・リサイクル", source=menu, language="vi"
    )
    assert postback.decode(staff.data) == postback.AskStaff(menu, "vi")
    assert text.text == "マイナンバーカードの申請"  # the search reads staff's own words best
