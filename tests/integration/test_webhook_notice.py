"""An お知らせ through the Lambda handler: shown above the greeting, every answer and the
not-found message while it is active, and its menu tab made the default at its start and given
back at its end without anybody uploading anything (the webhook notices), with the indexer's own
rich menu deployed on the loopback LINE API."""

from __future__ import annotations

from datetime import timedelta

import pytest

from madoguchi.line import postback
from madoguchi.richmenu.live import RETRY_SECONDS
from madoguchi.richmenu.spec import alias_id
from tests.support import line_events as ev
from tests.support.clock import WEEKDAY_MORNING
from tests.support.conversation_stack import (
    MENU_ROWS,
    deliver,
    handover_stack,
    publish,
    say,
    settings_rows,
    tap,
)

START = WEEKDAY_MORNING + timedelta(hours=1)
END = WEEKDAY_MORNING + timedelta(hours=3)
NOTICE = "台風10号の接近にともない、市役所の窓口は午後3時で閉まります。"
URL = "https://www.city.example.jp/bousai/"
SHOWN = f"【お知らせ】\n{NOTICE}\n{URL}"
MENU = [*MENU_ROWS, ["防災", "避難所", "テキスト", "避難所はどこ"]]
NOTICE_ROWS = [
    ["お知らせ", NOTICE],
    ["お知らせのURL", URL],
    ["お知らせの開始", "2026-12-02 11:00"],  # WEEKDAY_MORNING is 2 December, 10:00 in Japan
    ["お知らせの終了", "2026年12月2日 13時"],
    ["お知らせ中のメニュー", "防災"],
]


@pytest.fixture
def stack():
    with handover_stack([*settings_rows("毎日 0:00-24:00"), *NOTICE_ROWS], MENU) as stack:
        yield stack


def default_tab(stack) -> str:
    """The tab LINE shows everyone by default, through the aliases the indexer made."""
    store = stack.line.rich_menus
    return next(
        t for t in ("くらし", "子育て", "防災") if store.aliases[alias_id(t)] == store.default
    )


def default_switches(stack) -> int:
    return len([r for r in stack.line.received if r.path.startswith("/v2/bot/user/all/richmenu/")])


def test_the_notice_is_above_greeting_answers_and_not_found_only_while_active(stack):
    assert say(stack, "粗大ごみの出し方")[0]["text"].startswith("■ 粗大ごみの出し方")
    stack.clock.set(START)
    greeting = deliver(stack, ev.follow_event())
    assert [m["text"] for m in greeting[:1]] == [SHOWN]
    answer = say(stack, "粗大ごみの出し方")
    assert answer[0]["text"] == SHOWN and answer[1]["text"].startswith("■ 粗大ごみの出し方")
    assert "quickReply" in answer[-1]  # the feedback buttons stay on the last message
    tapped = tap(stack, postback.ShowFaq("5", postback.Source.MENU))
    assert tapped[0]["text"] == SHOWN and tapped[1]["text"].startswith("■ 児童手当の申請")
    not_found = say(stack, "火星の天気")
    assert not_found[0]["text"] == SHOWN
    assert not_found[-1]["text"] == "ごめんなさい、見つかりませんでした。"
    assert say(stack, "ありがとう")[0]["text"] != SHOWN  # small talk is not an answer
    stack.clock.set(END)
    assert say(stack, "粗大ごみの出し方")[0]["text"].startswith("■ 粗大ごみの出し方")


def test_the_default_tab_switches_at_the_start_and_back_at_the_end_by_itself(stack):
    assert default_tab(stack) == "くらし"  # published before the start
    say(stack, "粗大ごみの出し方")
    assert default_tab(stack) == "くらし" and default_switches(stack) == 0
    stack.clock.set(START + timedelta(minutes=1))
    say(stack, "粗大ごみの出し方")  # the first request after the start switches it
    assert default_tab(stack) == "防災"
    stack.line.received.clear()
    for _ in range(3):
        stack.clock.advance(10)
        say(stack, "住民票の写しの取り方")
    # Made sure of once: no more calls about the default while nothing changes.
    assert not [r for r in stack.line.received if "richmenu" in r.path]
    stack.clock.set(END)
    say(stack, "住民票の写しの取り方")
    assert default_tab(stack) == "くらし"


def test_a_publish_during_the_notice_deploys_with_its_tab_as_the_default(stack):
    stack.clock.set(START + timedelta(minutes=30))
    changed = [*MENU, ["防災", "避難情報", "テキスト", "避難情報"]]
    publish(stack, [*settings_rows("毎日 0:00-24:00"), *NOTICE_ROWS], changed)
    assert default_tab(stack) == "防災"


def test_when_line_refuses_the_default_the_answer_still_arrives_and_it_is_tried_again(stack):
    stack.clock.set(START)
    stack.line.rich_menus.fail_on("POST", r"^/v2/bot/user/all/richmenu/", 500)
    answer = say(stack, "粗大ごみの出し方")
    assert answer[0]["text"] == SHOWN
    assert default_tab(stack) == "くらし"
    assert any(line["message"] == "default rich menu check failed" for line in stack.log_lines())
    stack.clock.advance(RETRY_SECONDS - 1)
    say(stack, "粗大ごみの出し方")
    assert default_tab(stack) == "くらし"  # not every request: LINE gets a minute
    stack.clock.advance(1)
    say(stack, "粗大ごみの出し方")
    assert default_tab(stack) == "防災"
