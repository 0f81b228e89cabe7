"""The next step after "not found" and 「役に立たなかった」: the nearest questions, the categories
and 職員に相談, and outside the office hours the inquiry line as a button that dials it."""

from __future__ import annotations

from dataclasses import replace

import pytest
from linebot.v3.messaging import FlexMessage, TextMessage

from madoguchi.conversation import not_found_reply
from madoguchi.conversation.search_reply import ReplyKind, decide
from madoguchi.line import messages, postback
from madoguchi.model import BotSettings, Faq
from madoguchi.phone_number import phone_digits
from madoguchi.search import Hit, SearchResult

SETTINGS = BotSettings(inquiry_phone="0123-45-6789", inquiry_hours="平日 8:30-17:15")
CATEGORIES = [f"分野{n}" for n in range(20)]
FAQS = [Faq(f"F{n}", f"質問{n}", "答え") for n in range(5)]


@pytest.mark.parametrize(
    ("text", "digits"),
    [
        ("0123-45-6789", "0123456789"),
        ("(0120)27-9338", "0120279338"),
        ("090 1234 5678", "09012345678"),
        ("#7119", "#7119"),
        ("123456789", None),
        ("代表電話", None),
        ("", None),
    ],
)
def test_phone_numbers_are_read_as_a_tel_link_dials_them(text, digits):
    assert phone_digits(text) == digits


def test_not_found_offers_the_nearest_questions_and_in_hours_staff():
    sent = not_found_reply.not_found_messages(SETTINGS, CATEGORIES, FAQS, in_hours=True)
    said, maybe = sent
    assert isinstance(said, TextMessage) and said.text == SETTINGS.no_answer_message
    assert isinstance(maybe, FlexMessage) and maybe.alt_text.startswith(not_found_reply.MAYBE_TITLE)
    rows = [r for r in maybe.contents.body.contents if r.action is not None]
    assert [postback.decode(r.action.data) for r in rows] == [
        postback.ShowFaq(f.id, postback.Source.CHOICE) for f in FAQS[:3]
    ]
    items = maybe.quick_reply.items
    assert len(items) <= messages.MAX_QUICK_REPLY_ITEMS
    assert postback.decode(items[-1].action.data) == postback.AskStaff(postback.Source.BUTTON)
    assert all(len(i.action.label) <= messages.MAX_LABEL_LENGTH for i in items)


def test_after_hours_the_inquiry_line_is_a_button_that_dials_it():
    said, call = not_found_reply.not_found_messages(SETTINGS, CATEGORIES, [], in_hours=False)
    assert said.quick_reply is None and call.quick_reply is not None
    [button] = call.contents.footer.contents
    assert button.action.type == "uri" and button.action.uri == "tel:0123456789"
    assert len(button.action.label) <= messages.MAX_LABEL_LENGTH
    assert "0123-45-6789" in call.alt_text and "平日 8:30-17:15" in call.alt_text
    short = replace(SETTINGS, inquiry_phone="#7119", inquiry_hours="")
    assert not_found_reply.call_uri(short) == "tel:%237119"
    # Without a line in 設定 (or in hours), the quick replies still lead to staff.
    (alone,) = not_found_reply.not_found_messages(BotSettings(), CATEGORIES, [], in_hours=False)
    assert postback.decode(alone.quick_reply.items[-1].action.data) == postback.AskStaff("button")


def test_unhelpful_gets_thanks_and_the_same_next_step_within_lines_limits():
    sent = not_found_reply.unhelpful_messages(SETTINGS, CATEGORIES, FAQS, in_hours=False)
    assert len(sent) == 3 <= messages.MAX_MESSAGES
    thanks, maybe, call = sent
    assert thanks.text.startswith("お知らせいただき")
    assert isinstance(maybe, FlexMessage) and call.contents.footer is not None
    staff = postback.decode(call.quick_reply.items[-1].action.data)
    assert staff == postback.AskStaff(postback.Source.FEEDBACK)


def result(hits: list[Hit], closeness: float) -> SearchResult:
    return SearchResult(query="q", hits=hits, closeness=closeness, choice_threshold=0.5)


def test_nothing_close_carries_only_the_related_hits_as_maybe():
    hits = [
        Hit(FAQS[0], 1.0, 0.1, True),
        Hit(FAQS[1], 0.9, 0.1, False),
        Hit(FAQS[2], 0.8, 0.1, True),
    ]
    reply = decide(result(hits, 0.1))
    assert reply.kind is ReplyKind.NOTHING_CLOSE and reply.faqs == ()
    assert reply.maybe == (FAQS[0], FAQS[2])
    unrelated = decide(result([Hit(FAQS[0], 1.0, 0.1, False)], 0.1))
    assert unrelated.maybe == ()


def test_no_maybe_when_no_hit_is_anchored_in_the_question():
    hits = [Hit(FAQS[0], 1.0, 0.1, True)]
    assert decide(result(hits, 0.0)).maybe == ()
