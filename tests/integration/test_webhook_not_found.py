""" "Not found" that still helps, through the Lambda handler: the kind message, the nearest
questions when any is related, the categories and 職員に相談; outside the office hours the
city's inquiry line from 設定 as a button that dials it; the same after 「役に立たなかった」."""

from __future__ import annotations

from madoguchi.conversation.not_found_reply import MAYBE_TITLE
from madoguchi.line import postback
from madoguchi.searchlog import SEARCH
from tests.support.clock import WEEKDAY_MORNING
from tests.support.conversation_stack import (
    handover_stack,
    log_records,
    quick,
    say,
    settings_rows,
    tap,
)

LINE_ROWS = [["問い合わせ電話", "0123-45-6789"], ["問い合わせ受付時間", "24時間"]]
NOTHING_LIKE_IT = "宇宙旅行の申し込み"


def calls(sent: list[dict]) -> list[str]:
    """The tel: links of the buttons in these messages."""
    return [
        button["action"]["uri"]
        for message in sent
        if message["type"] == "flex" and "footer" in message["contents"]
        for button in message["contents"]["footer"]["contents"]
        if button["action"]["type"] == "uri"
    ]


def test_in_office_hours_not_found_leads_to_staff_and_no_phone():
    with handover_stack([*settings_rows("毎日 0:00-24:00"), *LINE_ROWS]) as stack:
        sent = say(stack, NOTHING_LIKE_IT)
        assert sent[0]["text"] == "ごめんなさい、見つかりませんでした。"
        assert calls(sent) == []
        assert quick(sent[-1])[-1] == postback.AskStaff("button")
        (search,) = log_records(stack, SEARCH)
        assert not search.answered


def test_after_hours_not_found_offers_the_inquiry_line_to_call():
    closed = str(WEEKDAY_MORNING.date())
    with handover_stack([*settings_rows("毎日 9:00-17:00", closed), *LINE_ROWS]) as stack:
        sent = say(stack, NOTHING_LIKE_IT)
        assert calls(sent) == ["tel:0123456789"]
        assert "24時間" in sent[-1]["altText"]
        assert any(isinstance(a, postback.ListCategory) for a in quick(sent[-1]))


def test_a_related_question_gets_maybe_and_unhelpful_gets_the_same_next_step():
    closed = str(WEEKDAY_MORNING.date())
    with handover_stack([*settings_rows("毎日 9:00-17:00", closed), *LINE_ROWS]) as stack:
        sent = say(stack, "粗大ごみの出し方")
        _, unhelpful = quick(sent[-1])
        stack.clock.advance(1)
        after = tap(stack, unhelpful)
        assert after[0]["text"].startswith("お知らせいただき")
        assert calls(after) == ["tel:0123456789"]
        assert quick(after[-1])[-1] == postback.AskStaff("feedback")
        maybe = [m for m in after if m["type"] == "flex" and m["altText"].startswith(MAYBE_TITLE)]
        assert len(maybe) == 1  # the other FAQs that search showed
