"""Answers end with the department's contact, through the Lambda handler: a tap-to-call and a
page button from the 担当課 sheet, under a typed question's answer and a tapped one."""

from __future__ import annotations

import pytest

from madoguchi.line import postback
from tests.support.conversation_stack import handover_stack, say, settings_rows, tap

DEPARTMENTS = [
    ["課名", "電話", "受付時間", "URL", "場所"],
    ["環境課", "0120-000-601", "平日 8:30〜17:15", "https://example.jp/kankyo", "本庁舎3階"],
]


@pytest.fixture
def stack():
    with handover_stack(settings_rows("毎日 0:00-24:00"), sheets={"担当課": DEPARTMENTS}) as stack:
        yield stack


def contact_buttons(message: dict) -> list[dict]:
    return [b["action"] for b in message["contents"]["footer"]["contents"]]


def test_an_answer_ends_with_a_button_that_calls_the_department(stack):
    answer, contact, *_ = say(stack, "粗大ごみの出し方")
    assert "粗大ごみ受付センター" in answer["text"]
    assert contact["type"] == "flex" and "環境課" in contact["altText"]
    call, page = contact_buttons(contact)
    assert call["uri"] == "tel:0120000601" and page["uri"] == "https://example.jp/kankyo"


def test_a_tapped_answer_ends_with_the_contact_too(stack):
    answer, contact = tap(stack, postback.ShowFaq("1", postback.Source.MENU))
    assert answer["text"].startswith("■ 粗大ごみの出し方")
    assert contact_buttons(contact)[0]["uri"] == "tel:0120000601"
    assert contact["quickReply"]["items"]  # the feedback buttons stay under the last message


def test_a_faq_whose_department_has_no_row_is_answered_as_before(stack):
    messages = tap(stack, postback.ShowFaq("5", postback.Source.MENU))
    assert [m["type"] for m in messages] == ["text"]
