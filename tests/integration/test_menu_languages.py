"""Translated rich menus end to end: the indexer's sync deploys one set of tabs per language on
the loopback LINE API, and the webhook links a resident's language menu once, unlinks it when
they write Japanese, and survives LINE refusing (signed events, moto DynamoDB, real SDK calls).
Every language Madoguchi speaks has its own 職員対応中 menu, translated tabs or not, linked while
staff have the conversation."""

from __future__ import annotations

import io
import json
from typing import Any

import pytest
from PIL import Image

from madoguchi.language import texts
from madoguchi.line import postback
from madoguchi.richmenu.spec import STAFF_ALIAS, alias_id, staff_alias
from madoguchi.richmenu.staff_menu import staff_languages
from madoguchi.searchlog import user_ref
from tests.support import line_events as ev
from tests.support.conversation_stack import (
    SALT,
    deliver,
    handover_stack,
    publish,
    say,
    settings_rows,
    tap,
)
from tests.support.webhook_stack import TABLE

MENU: list[list[Any]] = [
    [
        "タブ",
        "ボタン",
        "動作",
        "値",
        "タブ (English)",
        "ボタン (English)",
        "タブ (ベトナム語)",
        "ボタン (Tiếng Việt)",
    ],
    ["くらし", "粗大ごみ", "FAQ", "1", "Living", "Large garbage", "Đời sống", "Rác cồng kềnh"],
    ["くらし", "職員に相談", "職員に相談", None, None, "Ask staff", None, "Hỏi nhân viên"],
    ["子育て", "児童手当", "FAQ", "5", "Children", "Child allowance", None, None],
    ["子育て", "子育ての質問", "カテゴリ", "子育て", None, None, None, None],
    ["子育て", "児童手当の申請", "テキスト", "児童手当の申請", None, None, None, "Xin trợ cấp"],
]
TABS = ("くらし", "子育て")
VIETNAMESE = "Tôi muốn vứt rác cồng kềnh ở đâu?"
ENGLISH = "Where can I throw away large garbage?"
JAPANESE = "粗大ごみの出し方"
VIETNAMESE_CHOICES = "Những câu trả lời này có thể giúp bạn"
ME = user_ref(ev.TEST_USER_ID, SALT)
# The languages with a 職員対応中 menu but no translated tabs in MENU (Korean, Chinese …).
STAFF_ONLY = len(staff_languages()) - 2
ENGLISH_ONLY = [row[:6] for row in MENU]
KOREAN = "대형 쓰레기는 어디에 버려요?"


@pytest.fixture
def stack():
    with handover_stack(settings_rows("毎日 0:00-24:00"), MENU) as stack:
        yield stack


def linked(stack) -> str | None:
    return stack.line.rich_menus.linked.get(ev.TEST_USER_ID)


def menu_of(stack, tab: str, language: str | None = None) -> str:
    return stack.line.rich_menus.aliases[alias_id(tab, language)]


def link_calls(stack) -> list[str]:
    user = f"/v2/bot/user/{ev.TEST_USER_ID}/richmenu"
    return [f"{r.method} {r.path}" for r in stack.line.received if r.path.startswith(user)]


def stored_menu_language(stack) -> str:
    key = {"pk": {"S": f"user#{ME}"}, "sk": {"S": "conversation"}}
    item = stack.dynamodb.get_item(TableName=TABLE, Key=key).get("Item", {})
    return item.get("menu_language", {}).get("S", "")


def test_the_sync_deploys_a_set_of_tabs_per_language_with_their_own_aliases(stack):
    menus = stack.line.rich_menus
    # Japanese (2 tabs) + 職員対応中, then English and Vietnamese (2 tabs + 職員対応中 each),
    # and the other languages' 職員対応中 menus.
    assert len(menus.menus) == 9 + STAFF_ONLY and all(m.image for m in menus.menus.values())
    for language in ("en", "vi"):
        for tab in TABS:
            menu = menus.menus[menu_of(stack, tab, language)].body
            switches = [
                a["action"] for a in menu["areas"] if a["action"]["type"] == "richmenuswitch"
            ]
            # Tabs switch within the language's own menus.
            targets = {s["richMenuAliasId"] for s in switches}
            assert targets == {alias_id(t, language) for t in TABS}
            assert all(menus.aliases[t] in menus.menus for t in targets)
    english = menus.menus[menu_of(stack, "くらし", "en")].body
    labels = [a["action"].get("label") for a in english["areas"]]
    assert labels == ["Living", "Children", "Large garbage", "Ask staff"]
    vietnamese = menus.menus[menu_of(stack, "子育て", "vi")].body
    # Untranslated: the Japanese label stays.
    assert [a["action"].get("label") for a in vietnamese["areas"]][2:] == [
        "児童手当",
        "子育ての質問",
        "Xin trợ cấp",
    ]
    assert menus.default == menu_of(stack, "くらし")  # the Japanese menu is everyone's default


def test_publishing_again_replaces_every_language_and_leaves_nothing_behind(stack):
    before = set(stack.line.rich_menus.menus)
    changed = [
        *MENU,
        ["防災", "避難所", "テキスト", "避難所はどこ", "Disaster", "Shelters", None, None],
    ]
    report = publish(stack, settings_rows("毎日 0:00-24:00"), changed)
    assert "English・Tiếng Việt" in report.rich_menu["message"]
    menus = stack.line.rich_menus
    assert not before & set(menus.menus)  # the old sets were deleted
    assert len(menus.menus) == 3 + 1 + (3 + 1) * 2 + STAFF_ONLY
    assert set(menus.aliases) == {
        *(alias_id(t, lang) for t in (*TABS, "防災") for lang in (None, "en", "vi")),
        *(staff_alias(lang) for lang in (None, *staff_languages())),
    }
    assert set(menus.aliases.values()) == set(menus.menus)


def test_a_language_that_fails_keeps_its_previous_menus_and_the_japanese_one_goes_live(stack):
    old_vietnamese = menu_of(stack, "くらし", "vi")
    old_vietnamese_staff = stack.line.rich_menus.aliases[staff_alias("vi")]
    changed = [row[:] for row in MENU]
    changed[1][5] = "Oversized garbage"
    # Japanese (2 tabs + staff) and English (2 + staff) upload; Vietnamese's first is refused.
    stack.line.rich_menus.fail_on("POST", r"/content$", 500, after=6)
    report = publish(stack, settings_rows("毎日 0:00-24:00"), changed)
    assert report.rich_menu["status"] == "deployed"
    assert "Tiếng Việtのメニューは更新できませんでした" in report.rich_menu["message"]
    menus = stack.line.rich_menus
    assert menu_of(stack, "くらし", "vi") == old_vietnamese and old_vietnamese in menus.menus
    english = menus.menus[menu_of(stack, "くらし", "en")].body
    assert "Oversized garbage" in [a["action"].get("label") for a in english["areas"]]
    assert menus.default == menu_of(stack, "くらし")
    assert len(menus.menus) == 9 + STAFF_ONLY  # the half-made Vietnamese menu was undone
    # Its 職員対応中 menu stays the previous one, too.
    assert menus.aliases[staff_alias("vi")] == old_vietnamese_staff in menus.menus
    # The next publish of the same workbook tries the language again.
    again = publish(stack, settings_rows("毎日 0:00-24:00"), changed)
    assert (
        again.rich_menu["status"] == "deployed"
        and "更新できません" not in again.rich_menu["message"]
    )
    assert menu_of(stack, "くらし", "vi") != old_vietnamese


def test_a_vietnamese_resident_gets_their_menu_once_and_japanese_takes_it_away(stack):
    assert say(stack, VIETNAMESE)  # answered in Vietnamese, as before
    assert linked(stack) == menu_of(stack, "くらし", "vi")
    assert len(link_calls(stack)) == 1 and stored_menu_language(stack) == "vi"
    order = [r.path for r in stack.line.received]
    assert order.index("/v2/bot/message/reply") < order.index(link_calls(stack)[0].split()[1])
    assert say(stack, "Giấy cư trú ở đâu?")
    assert link_calls(stack) == []  # linked once, not on every message
    # The menu's テキスト-free taps change nothing.
    tap(stack, postback.ShowFaq("1", postback.Source.MENU))
    assert link_calls(stack) == [] and linked(stack) == menu_of(stack, "くらし", "vi")
    say(stack, JAPANESE)
    assert linked(stack) is None and link_calls(stack) == [
        f"DELETE /v2/bot/user/{ev.TEST_USER_ID}/richmenu"
    ]
    assert stored_menu_language(stack) == "ja"
    say(stack, "住民票の写しの取り方")
    assert link_calls(stack) == []
    written = stack.log.getvalue()
    assert ev.TEST_USER_ID not in written and "vứt rác" not in written


def test_an_english_residents_link_refused_is_logged_and_tried_again_next_time(stack):
    stack.line.rich_menus.fail_on("POST", r"^/v2/bot/user/U[0-9a-f]+/richmenu/", 500)
    (reply, *_) = say(stack, ENGLISH)
    assert reply  # the answer arrived all the same
    assert linked(stack) is None and stored_menu_language(stack) == ""
    failures = [line for line in stack.log_lines() if line["message"] == "rich menu switch failed"]
    assert len(failures) == 1 and failures[0]["language"] == "en"
    assert ev.TEST_USER_ID not in json.dumps(failures)
    say(stack, ENGLISH)
    assert linked(stack) == menu_of(stack, "くらし", "en")
    assert stored_menu_language(stack) == "en"


def test_a_tap_on_a_translated_menus_text_button_is_answered_in_the_residents_language(stack):
    say(stack, VIETNAMESE)
    assert linked(stack) == menu_of(stack, "くらし", "vi")
    replies = say(stack, "児童手当の申請")  # what the Vietnamese button sends
    # Choices in Vietnamese, found by staff's Japanese words; the menu stays Vietnamese.
    assert VIETNAMESE_CHOICES in json.dumps(replies, ensure_ascii=False)
    assert link_calls(stack) == [] and linked(stack) == menu_of(stack, "くらし", "vi")
    # The same words from a resident on the Japanese menu are a Japanese question.
    say(stack, JAPANESE)
    assert VIETNAMESE_CHOICES not in json.dumps(say(stack, "児童手当の申請"), ensure_ascii=False)


def test_after_a_hand_over_the_resident_gets_their_language_menu_back(stack):
    say(stack, VIETNAMESE)
    tap(stack, postback.AskStaff(postback.Source.MENU, "vi"))
    assert linked(stack) == stack.line.rich_menus.aliases[staff_alias("vi")]
    say(stack, "Cảm ơn bạn nhiều")  # to staff: the staff menu stays
    assert linked(stack) == stack.line.rich_menus.aliases[staff_alias("vi")]
    tap(stack, postback.BackToBot())
    assert linked(stack) == menu_of(stack, "くらし", "vi")


def test_a_workbook_without_translations_never_links_or_unlinks_for_language():
    with handover_stack(settings_rows("毎日 0:00-24:00"), [row[:4] for row in MENU]) as stack:
        # Two tabs and the 職員対応中 menus, one per language.
        assert len(stack.line.rich_menus.menus) == 3 + len(staff_languages())
        say(stack, VIETNAMESE)
        assert link_calls(stack) == []
        say(stack, JAPANESE)
        assert link_calls(stack) == []


def staff_menu_of(stack, language: str | None = None) -> dict:
    menus = stack.line.rich_menus
    return menus.menus[menus.aliases[staff_alias(language)]].body


def area_data(menu: dict) -> list[str]:
    return [area["action"]["data"] for area in menu["areas"]]


@pytest.mark.parametrize("language", ["en", "vi"])
def test_each_language_has_its_staff_menu_in_its_words_and_its_taps_carry_it(stack, language):
    said = texts.TEXTS[language]
    menus = stack.line.rich_menus
    menu = staff_menu_of(stack, language)
    assert menu["chatBarText"] == said[texts.STAFF_MENU_BAR]
    assert menu["name"].startswith("madoguchi:") and f":staff-{language}:" in menu["name"]
    assert [postback.decode(data) for data in area_data(menu)] == [
        postback.BackToBot(language),
        postback.ListCategories(language=language),
    ]
    assert all(data.endswith(f"&l={language}") for data in area_data(menu))
    shown = [said[texts.BACK], said[texts.STAFF_MENU_LIST]]
    assert [a["action"]["label"] for a in menu["areas"]] == shown
    assert [a["action"]["displayText"] for a in menu["areas"]] == shown
    image = Image.open(io.BytesIO(menus.menus[menus.aliases[staff_alias(language)]].image))
    assert image.size == (2500, 843)
    assert image.convert("RGB").getpixel((20, 20)) == (0xFF, 0xE0, 0x8A)  # the yellow banner
    # The Japanese one is unchanged: no language in its taps.
    japanese = staff_menu_of(stack)
    assert japanese["chatBarText"] == "職員対応中"
    assert [postback.decode(data) for data in area_data(japanese)] == [
        postback.BackToBot(),
        postback.ListCategories(),
    ]


def test_an_english_resident_asking_for_staff_gets_the_english_staff_menu_and_its_way_back(stack):
    en = texts.TEXTS["en"]
    (reply, *_) = say(stack, "I want to talk to staff")
    assert reply["text"].startswith(en[texts.HANDOVER])
    assert linked(stack) == stack.line.rich_menus.aliases[staff_alias("en")]
    assert stored_menu_language(stack) == "en"
    back, listing = area_data(staff_menu_of(stack, "en"))
    # 「List of questions」 answers in English, and the hand-over goes on.
    (topics, *_) = deliver(stack, ev.postback_event(listing))
    assert topics["text"] == en[texts.CHOOSE_CATEGORY]
    assert linked(stack) == stack.line.rich_menus.aliases[staff_alias("en")]
    # Its back button ends the hand-over in English and gives the English menu back.
    (ended, *_) = deliver(stack, ev.postback_event(back))
    assert ended["text"].startswith(en[texts.HANDOVER_END])
    assert linked(stack) == menu_of(stack, "くらし", "en")
    written = stack.log.getvalue()
    assert ev.TEST_USER_ID not in written and "talk to staff" not in written


def test_a_korean_resident_where_the_menu_is_only_in_english_gets_the_korean_staff_menu():
    ko = texts.TEXTS["ko"]
    with handover_stack(settings_rows("毎日 0:00-24:00"), ENGLISH_ONLY) as stack:
        menus = stack.line.rich_menus
        # Japanese and English (2 tabs + 職員対応中 each), every other language's 職員対応中.
        assert len(menus.menus) == 3 + 3 + len(staff_languages()) - 1
        assert say(stack, KOREAN) and link_calls(stack) == []  # no Korean tabs to link
        (reply, *_) = say(stack, "직원과 상담하고 싶어요")
        assert reply["text"].startswith(ko[texts.HANDOVER])
        assert linked(stack) == menus.aliases[staff_alias("ko")]
        menu = staff_menu_of(stack, "ko")
        assert menu["chatBarText"] == ko[texts.STAFF_MENU_BAR]
        back, listing = area_data(menu)
        # Its 「질문 목록」 answers in Korean and the hand-over goes on ...
        (topics, *_) = deliver(stack, ev.postback_event(listing))
        assert topics["text"] == ko[texts.CHOOSE_CATEGORY]
        assert linked(stack) == menus.aliases[staff_alias("ko")]
        # ... its back button ends it in Korean and gives back the menu everyone sees: the
        # resident's own link is removed, not replaced by another menu.
        (ended, *_) = deliver(stack, ev.postback_event(back))
        assert ended["text"].startswith(ko[texts.HANDOVER_END])
        assert linked(stack) is None
        assert link_calls(stack) == [f"DELETE /v2/bot/user/{ev.TEST_USER_ID}/richmenu"]
        assert stored_menu_language(stack) == "ja"  # the Japanese menu, as it is
        assert say(stack, KOREAN) and link_calls(stack) == []
        written = stack.log.getvalue()
        assert ev.TEST_USER_ID not in written and "상담" not in written


def test_a_korean_hand_over_that_ended_lets_korean_tabs_be_linked_once_translated():
    with handover_stack(settings_rows("毎日 0:00-24:00"), ENGLISH_ONLY) as stack:
        say(stack, "직원과 상담하고 싶어요")
        tap(stack, postback.BackToBot("ko"))
        korean = [
            [*row, "탭" if i else "タブ (韓国語)", "분류" if i else "ボタン (韓国語)"]
            for i, row in enumerate(ENGLISH_ONLY)
        ]
        korean[0][-2:] = ["タブ (韓国語)", "ボタン (韓国語)"]
        korean[1][-2:] = ["생활", "대형 쓰레기"]
        report = publish(stack, settings_rows("毎日 0:00-24:00"), korean)
        assert "한국어" in report.rich_menu["message"]
        stack.app.DEPS.index.expire()  # the webhook reads the new index now
        say(stack, KOREAN)
        assert linked(stack) == menu_of(stack, "くらし", "ko")


@pytest.mark.parametrize("language", ["zh", "ne", "ja-easy"])
def test_each_language_without_translated_tabs_has_its_staff_menu_and_its_way_back(stack, language):
    said = texts.TEXTS[language]
    (reply, *_) = tap(stack, postback.AskStaff(postback.Source.OFFER, language))
    assert reply["text"].startswith(said[texts.HANDOVER])
    assert linked(stack) == stack.line.rich_menus.aliases[staff_alias(language)]
    back, _ = area_data(staff_menu_of(stack, language))
    assert postback.decode(back) == postback.BackToBot(language)
    (ended, *_) = deliver(stack, ev.postback_event(back))
    assert ended["text"].startswith(said[texts.HANDOVER_END]) and linked(stack) is None


def test_a_language_whose_staff_menu_is_not_deployed_gets_the_japanese_one(stack):
    # As after a publish before every language had one, or when LINE refused Korean's.
    stack.line.rich_menus.aliases.pop(staff_alias("ko"))
    ko = texts.TEXTS["ko"]
    (reply, *_) = tap(stack, postback.AskStaff(postback.Source.MENU, "ko"))
    assert reply["text"].startswith(ko[texts.HANDOVER])  # the words are still Korean
    assert linked(stack) == stack.line.rich_menus.aliases[STAFF_ALIAS]
    # Its back button (the Japanese menu's) still ends the hand-over; the reply is Japanese.
    back, _ = area_data(staff_menu_of(stack))
    (ended, *_) = deliver(stack, ev.postback_event(back))
    assert "自動応答" in ended["text"] and linked(stack) is None


def test_an_english_staff_menu_that_fails_keeps_the_previous_english_set_and_vietnamese_goes_on(
    stack,
):
    menus = stack.line.rich_menus
    before = {
        lang: (menu_of(stack, "くらし", lang), menus.aliases[staff_alias(lang)])
        for lang in ("en", "vi")
    }
    changed = [row[:] for row in MENU]
    changed[1][5] = "Oversized garbage"
    changed[1][7] = "Rác rất lớn"
    # Japanese (2 tabs + staff) and English's 2 tabs upload; English's 職員対応中 is refused.
    menus.fail_on("POST", r"/content$", 500, after=5)
    report = publish(stack, settings_rows("毎日 0:00-24:00"), changed)
    assert report.rich_menu["status"] == "deployed"
    assert "Englishのメニューは更新できませんでした" in report.rich_menu["message"]
    assert (menu_of(stack, "くらし", "en"), menus.aliases[staff_alias("en")]) == before["en"]
    assert all(menu in menus.menus for menu in before["en"])
    assert menu_of(stack, "くらし", "vi") != before["vi"][0]
    assert menus.aliases[staff_alias("vi")] != before["vi"][1]
    assert before["vi"][1] not in menus.menus  # replaced and cleaned up
    assert len(menus.menus) == 9 + STAFF_ONLY
    say(stack, "I want to talk to staff")
    assert linked(stack) == before["en"][1]  # the previous English staff menu still works


def test_a_korean_staff_menu_that_fails_keeps_the_previous_one_and_the_others_go_on(stack):
    menus = stack.line.rich_menus
    before = {code: menus.aliases[staff_alias(code)] for code in ("zh", "ko", "pt")}
    changed = [row[:] for row in MENU]
    changed[1][5] = "Oversized garbage"
    # Japanese, English and Vietnamese (3 uploads each), Chinese's 職員対応中, then Korean's.
    menus.fail_on("POST", r"/content$", 500, after=10)
    report = publish(stack, settings_rows("毎日 0:00-24:00"), changed)
    assert report.rich_menu["status"] == "deployed"
    assert "한국어の職員対応中メニューは更新できませんでした" in report.rich_menu["message"]
    assert menus.aliases[staff_alias("ko")] == before["ko"] in menus.menus
    assert all(menus.aliases[staff_alias(c)] not in (before[c], None) for c in ("zh", "pt"))
    assert before["zh"] not in menus.menus and len(menus.menus) == 9 + STAFF_ONLY
    (reply, *_) = say(stack, "직원과 상담하고 싶어요")
    assert reply["text"].startswith(texts.TEXTS["ko"][texts.HANDOVER])
    assert linked(stack) == before["ko"]  # the previous Korean one still works
    # The next publish of the same workbook tries Korean again.
    again = publish(stack, settings_rows("毎日 0:00-24:00"), changed)
    assert "更新できません" not in again.rich_menu["message"]
    assert menus.aliases[staff_alias("ko")] != before["ko"]
