"""The nearest open shelter through the Lambda handler: a location message, 「避難所どこ」 (asked
for a location with LINE's picker), the menu's 避難所 button, a notice naming a hazard, and the
search log that records the search but never the location."""

from __future__ import annotations

import json
from datetime import timedelta

import pytest

from madoguchi.shelters import LOCATION_PICKER_URL
from tests.support import line_events as ev
from tests.support.clock import WEEKDAY_MORNING
from tests.support.conversation_stack import (
    MENU_ROWS,
    deliver,
    handover_stack,
    log_records,
    publish,
    say,
    settings_rows,
)

HEADER: list[object] = ["名前", "住所", "緯度", "経度", "種別", "対象", "開設", "電話", "URL"]
# Around a resident at 35.6000, 138.5000 (north is +latitude; 0.001° of latitude is about 111 m).
SHELTERS: list[list[object]] = [
    HEADER,
    ["北小学校", "星見ヶ丘市北1-1", 35.6050, 138.5000, "指定避難所", "地震・火災", "開設", "", ""],
    ["南中学校", "星見ヶ丘市南2-2", 35.5900, 138.5000, "指定避難所", "洪水・土砂", "開設", "", ""],
    ["中央公民館", "星見ヶ丘市中央3-3", 35.6010, 138.5000, "指定避難所", "地震", "閉鎖", "", ""],
    ["東体育館", "星見ヶ丘市東4-4", 35.6000, 138.5400, "指定避難所", "洪水", "", "", ""],
    ["西公園", "星見ヶ丘市西5-5", 35.6000, 138.4990, "指定緊急避難場所", "地震", "", "", ""],
]
# Staff closed the two open ones again (閉鎖), the others were never opened (blank).
NONE_OPEN = [HEADER, *([*row[:6], "閉鎖" if row[6] else "", *row[7:]] for row in SHELTERS[1:])]
MENU = [*MENU_ROWS, ["防災", "近くの避難所", "避難所", None]]
HERE = {"latitude": 35.6000, "longitude": 138.5000}
FLOOD_NOTICE = [
    ["お知らせ", "大雨による洪水のおそれがあります。避難所を開設しました。"],
    ["お知らせの開始", "2026-12-02 9:00"],
    ["お知らせの終了", "2026-12-02 12:00"],
]


@pytest.fixture
def stack():
    rows = settings_rows("毎日 0:00-24:00")
    with handover_stack(rows, MENU, {"避難所": SHELTERS}) as stack:
        yield stack


def listed(text: str) -> list[str]:
    """The shelter names of a reply, in order."""
    return [line.split(". ", 1)[1].split("(", 1)[0] for line in text.splitlines() if ". " in line]


def test_a_location_gets_the_nearest_open_shelters_a_map_and_the_nearest_as_a_location(stack):
    reply = deliver(stack, ev.location_event(**HERE))
    text, location = reply
    assert text["type"] == "text" and location["type"] == "location"
    # Only the open ones, nearest first: the closed 公民館 and the unopened 西公園 are left out.
    assert listed(text["text"]) == ["北小学校", "南中学校"]
    assert "約560m" in text["text"] and "約1.1km" in text["text"]
    assert "https://www.google.com/maps/search/?api=1&query=35.605000,138.500000" in text["text"]
    assert location["title"] == "北小学校" and location["address"] == "星見ヶ丘市北1-1"
    assert (location["latitude"], location["longitude"]) == (35.605, 138.5)


def test_the_search_log_records_the_count_shown_and_never_the_location(stack):
    deliver(stack, ev.location_event(**HERE))
    [record] = log_records(stack, "shelter_search")
    assert record.detail == {"shown": 2, "open": 2}
    stored = json.dumps([r.__dict__ for r in log_records(stack)], default=str)
    assert "35.6" not in stored and "138.5" not in stored and "市役所" not in stored


def test_a_shelter_question_asks_for_the_location_with_the_picker(stack):
    [asked] = say(stack, "避難所どこ")
    assert "位置情報を送る" in asked["text"]
    [item] = asked["quickReply"]["items"]
    assert item["action"] == {"type": "location", "label": "位置情報を送る"}
    assert say(stack, "近くの避難場所を教えて")[0]["quickReply"]["items"][0]["action"]["type"] == (
        "location"
    )
    # Other questions about shelters are still searched like any question.
    assert "位置情報" not in say(stack, "避難所に持っていくものは何ですか")[-1].get("text", "")
    assert log_records(stack, "shelter_search") == []  # nothing was searched without a place


def test_the_menu_button_opens_lines_location_picker(stack):
    uris = [
        area["action"]["uri"]
        for menu in stack.line.rich_menus.menus.values()
        for area in menu.body["areas"]
        if area["action"].get("label") == "近くの避難所"
    ]
    assert uris and set(uris) == {LOCATION_PICKER_URL}


def test_during_a_flood_notice_flood_shelters_come_first():
    rows = [*settings_rows("毎日 0:00-24:00"), *FLOOD_NOTICE]
    with handover_stack(rows, MENU, {"避難所": SHELTERS}) as stack:
        stack.clock.set(WEEKDAY_MORNING)  # 10:00, inside the notice
        notice, text, location = deliver(stack, ev.location_event(**HERE))
        assert notice["text"].startswith("【お知らせ】")
        assert listed(text["text"]) == ["南中学校", "北小学校"]
        # 大雨 brings floods, landslides and inland flooding.
        assert "いまのお知らせ(洪水・土砂・内水)に対応する避難所を先に" in text["text"]
        assert "※洪水・土砂・内水のときの避難先には指定されていません。" in text["text"]
        assert location["title"] == "南中学校"
        stack.clock.set(WEEKDAY_MORNING + timedelta(hours=3))  # the notice has ended
        text, location = deliver(stack, ev.location_event(**HERE))
        assert listed(text["text"]) == ["北小学校", "南中学校"]


def test_when_none_is_open_it_says_so_and_shows_the_nearest_designated_ones(stack):
    menu = [*MENU, ["防災", "職員に相談", "職員に相談", None]]  # publish() wants a new menu
    publish(stack, settings_rows("毎日 0:00-24:00"), menu, {"避難所": NONE_OPEN})
    stack.clock.advance(60)  # past the webhook's index refresh
    text, location = deliver(stack, ev.location_event(**HERE))
    assert text["text"].startswith("いま開設している避難所はありません。")
    assert listed(text["text"]) == ["西公園", "中央公民館", "北小学校", "南中学校", "東体育館"]
    assert "状態: 閉鎖" in text["text"] and "状態: 開設していません" in text["text"]
    assert location["title"] == "西公園"
    [record] = log_records(stack, "shelter_search")
    assert record.detail == {"shown": 5, "open": 0}


def test_without_a_shelter_sheet_a_location_is_still_not_supported():
    with handover_stack(settings_rows("毎日 0:00-24:00")) as stack:
        [reply] = deliver(stack, ev.location_event(**HERE))
        assert "位置情報" not in reply["text"] and reply["type"] == "text"
        assert "避難所" not in say(stack, "避難所どこ")[0].get("text", "")[:10]
