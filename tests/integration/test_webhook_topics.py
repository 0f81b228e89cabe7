"""A message that is only a topic, through the Lambda handler: 「ごみ」 gets the ごみ questions to
choose from and a request to say more, never one answer; a tap on one is logged as a topic tap;
a real question about ごみ is still answered."""

from __future__ import annotations

import pytest

from madoguchi.conversation.topic_reply import ASK_MORE_TEXT
from madoguchi.line import postback
from madoguchi.searchlog import FAQ_VIEW, SEARCH
from madoguchi.searchlog.model import TOPIC_LIST
from tests.support.conversation_stack import (
    handover_stack,
    log_records,
    quick,
    rows_of,
    say,
    settings_rows,
    tap,
)


@pytest.fixture
def stack():
    with handover_stack(settings_rows("毎日 0:00-24:00")) as stack:
        yield stack


@pytest.mark.parametrize("typed", ["ごみ", "ゴミについて教えて", "ごみのこと"])
def test_a_topic_word_gets_its_questions_and_a_request_for_more(stack, typed):
    listing, ask = say(stack, typed)
    assert listing["type"] == "flex" and "「ごみ」のよくあるご質問" in listing["altText"]
    rows = rows_of(listing)
    assert [r.faq_id for r in rows] == ["1", "2", "3", "4"]  # the category's list, in its order
    assert {r.source for r in rows} == {postback.Source.TOPIC}
    assert ask["type"] == "text" and ask["text"].startswith(
        ASK_MORE_TEXT.split("\n")[0].format(name="ごみ")
    )
    assert "くわしく教えてください" in ask["text"]
    assert any(isinstance(a, postback.AskStaff) for a in quick(ask))
    (record,) = log_records(stack, SEARCH)
    assert [hit.faq_id for hit in record.top] == ["1", "2", "3", "4"] and not record.answered
    assert record.detail == {"reply": TOPIC_LIST}  # no miss: the report proposes no new FAQ


def test_a_tap_on_a_topic_question_shows_it_and_is_logged_as_from_the_topic(stack):
    listing, _ = say(stack, "ごみ")
    stack.clock.advance(1)
    (answer,) = tap(stack, rows_of(listing)[1])
    assert answer["text"].startswith("■ 粗大ごみの手数料")
    (view,) = log_records(stack, FAQ_VIEW)
    assert view.faq_id == "2" and view.detail["source"] == "topic"
    assert view.search_id == ""  # a topic is not a question: nothing is learned from the tap


def test_a_question_about_the_topic_is_answered_as_before(stack):
    answer = say(stack, "粗大ごみの出し方")[0]
    assert answer["text"].startswith("■ 粗大ごみの出し方")
