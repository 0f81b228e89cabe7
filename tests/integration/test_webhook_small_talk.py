"""Messages that are not questions, through the Lambda handler: a short kind reply from 設定,
no search, no "not found", nothing counted as an unanswered question."""

from __future__ import annotations

import io
from datetime import timedelta

import openpyxl
import pytest

from madoguchi.handover import replies
from madoguchi.line import postback
from madoguchi.model import BotSettings
from madoguchi.searchlog import SEARCH, SMALL_TALK
from madoguchi.staff_report import build_report
from tests.support.conversation_stack import handover_stack, log_records, quick, say, settings_rows

DEFAULTS = BotSettings()


@pytest.fixture
def stack():
    settings = [*settings_rows("毎日 0:00-24:00"), ["お礼への返事", "どういたしまして!"]]
    with handover_stack(settings) as stack:
        yield stack


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("ありがとう", "どういたしまして!"),  # 設定's own wording
        ("ありがとうございました！", "どういたしまして!"),
        ("こんにちは", DEFAULTS.hello_reply.replace("{city_name}", "星見ヶ丘市")),
        ("すごい", DEFAULTS.nod_reply),
        ("なるほど", DEFAULTS.nod_reply),
        ("？", DEFAULTS.unclear_reply),
        ("?", DEFAULTS.unclear_reply),
        ("👍", DEFAULTS.unclear_reply),
    ],
)
def test_small_talk_gets_a_short_kind_reply_not_a_search(stack, text, expected):
    (reply,) = say(stack, text)
    assert reply["text"] == expected
    assert "見つかりませんでした" not in reply["text"]
    assert log_records(stack, SEARCH) == []
    (record,) = log_records(stack, SMALL_TALK)
    assert record.query == ""  # the words themselves are not kept


def test_a_lone_question_mark_comes_with_the_categories(stack):
    (reply,) = say(stack, "?")
    actions = quick(reply)
    assert postback.ListCategory("ごみ", source=postback.Source.BUTTON) in actions


def test_small_talk_between_misses_neither_counts_nor_resets_the_offer(stack):
    say(stack, "火星の天気")
    say(stack, "ありがとう")
    (second,) = say(stack, "宇宙旅行の予約")
    assert second["text"] == replies.OFFER_TEXT


def test_a_question_that_starts_with_thanks_is_still_searched(stack):
    sent = say(stack, "ありがとう、住民票の写しの取り方も知りたい")
    assert sent[0]["text"].startswith("■ 住民票の写しの取り方")


def test_the_report_counts_small_talk_apart_from_questions(stack):
    for text in ("こんにちは", "粗大ごみの出し方", "ありがとう", "宇宙旅行の予約"):
        say(stack, text)
    today = stack.clock.japan_today()
    records = log_records(stack)
    data = build_report(
        records, None, today - timedelta(days=1), today, generated_at=stack.clock.utc()
    )
    summary = openpyxl.load_workbook(io.BytesIO(data))["概要"]
    figures = {r[0]: r[1] for r in summary.iter_rows(min_row=5, values_only=True) if r[0]}
    assert figures["質問数"] == 2
    assert figures["答えられなかった数"] == 1
    assert figures["あいさつ・お礼など"] == 2
