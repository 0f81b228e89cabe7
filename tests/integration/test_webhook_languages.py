"""Residents who write in another language, through the Lambda handler: the language is read
from the message (or the LINE profile when it is too short), the reply is choices in that
language, a tapped choice opens the city's translation, and a LINE profile API that is down
costs nothing but the language."""

from __future__ import annotations

import pytest

from madoguchi.language import texts
from madoguchi.line import postback
from madoguchi.model import BotSettings
from madoguchi.searchlog import SEARCH
from tests.support import line_events as ev
from tests.support.conversation_stack import (
    REPLY,
    deliver,
    handover_stack,
    log_records,
    quick,
    rows_of,
    say,
    settings_rows,
    tap,
)
from tests.support.webhook_stack import FAQ_ROWS, post
from tests.support.workbooks import FAQ_HEADER

PROFILE = f"/v2/bot/profile/{ev.TEST_USER_ID}"
EN = texts.TEXTS["en"]
# The usual FAQs, two of them translated into English by the city.
TRANSLATED_HEADER = [*FAQ_HEADER, "質問 (English)", "回答 (English)"]
TRANSLATIONS = {
    1: ("How do I put out oversized garbage?", "Apply by phone to the oversized garbage center."),
    6: ("How do I get a copy of my residence certificate?", "At the Citizens Division."),
}
FAQ = [
    TRANSLATED_HEADER,
    *([*row, *TRANSLATIONS.get(int(str(row[0])), ("", ""))] for row in FAQ_ROWS),
]


@pytest.fixture
def stack():
    settings = [
        *settings_rows("毎日 0:00-24:00"),
        ["選択肢の見出し (English)", "Is it one of these?"],
    ]
    with handover_stack(settings, faq=FAQ) as stack:
        yield stack


def profile_requests(stack) -> int:
    return len(stack.line.requests_to(PROFILE))


def test_an_english_question_gets_choices_in_english_and_the_translated_answer(stack):
    (reply,) = say(stack, "How do I get a copy of my residence certificate?")
    assert reply["type"] == "flex"
    body = reply["contents"]["body"]["contents"]
    assert body[0]["text"] == "Is it one of these?"  # the city's wording from 設定
    choices = rows_of(reply)
    assert choices[0] == postback.ShowFaq("6", postback.Source.CHOICE, "en")
    assert body[1]["contents"][0]["text"] == "▶ How do I get a copy of my residence certificate?"
    staff = quick(reply)
    assert staff == [postback.AskStaff(postback.Source.BUTTON, "en")]
    assert reply["quickReply"]["items"][0]["action"]["label"] == EN[texts.STAFF]
    (record,) = log_records(stack, SEARCH)
    assert record.answered is False and record.top_id == "6"

    (answer,) = tap(stack, choices[0])[:1]
    assert answer["text"].startswith("■ How do I get a copy of my residence certificate?")
    assert "At the Citizens Division." in answer["text"]


def test_a_choice_without_a_translation_opens_the_japanese_answer(stack):
    messages = tap(stack, postback.ShowFaq("5", postback.Source.CHOICE, "en"))
    assert messages[0]["text"].startswith("■ 児童手当の申請")


def test_a_japanese_question_is_answered_as_before(stack):
    (reply, *_) = say(stack, "粗大ごみの出し方")
    assert "粗大ごみ受付センター" in reply["text"]
    assert profile_requests(stack) == 0  # Japanese text: the profile is not needed


def test_a_message_too_short_to_tell_follows_the_profile_asked_once(stack):
    stack.line.set_profile(ev.TEST_USER_ID, "en")
    (reply,) = say(stack, "garbage")
    assert profile_requests(stack) == 1
    assert reply["contents"]["body"]["contents"][0]["text"] == "Is it one of these?"
    assert rows_of(reply)[0] == postback.ShowFaq("1", postback.Source.CHOICE, "en")
    say(stack, "residence")
    assert profile_requests(stack) == 0  # kept in the conversation state (cleared per event)


def test_a_japanese_profile_keeps_a_lone_latin_word_in_japanese(stack):
    stack.line.set_profile(ev.TEST_USER_ID, "ja")
    (reply, *_) = say(stack, "PC")
    assert reply["text"] == "ごめんなさい、見つかりませんでした。"
    assert profile_requests(stack) == 1


def test_profile_api_down_still_answers_and_asks_again_next_time(stack):
    stack.line.set_profile(ev.TEST_USER_ID, "en")
    stack.line.fail_next(500, path=PROFILE)
    (reply, *_) = say(stack, "garbage")
    assert reply["text"] == "ごめんなさい、見つかりませんでした。"  # answered, in Japanese
    assert stack.line.requests_to(PROFILE)[0].status == 500
    (again,) = say(stack, "garbage")
    assert profile_requests(stack) == 1  # not cached after the failure: asked again
    assert quick(again) == [postback.AskStaff(postback.Source.BUTTON, "en")]


def test_a_profile_that_is_slow_costs_only_the_language(stack):
    stack.line.set_profile(ev.TEST_USER_ID, "en")
    stack.line.delay_next(1.0, path=PROFILE)  # longer than the profile's own timeout
    stack.line.received.clear()
    event = ev.text_event("garbage")
    event["replyToken"] = stack.line.issue_reply_token()
    assert post(stack.app, event)["statusCode"] == 200
    (sent,) = [r for r in stack.line.requests_to(REPLY) if r.status == 200]
    assert sent.body["messages"][0]["text"] == "ごめんなさい、見つかりませんでした。"


def test_a_new_friend_is_greeted_in_the_profile_language_too(stack):
    stack.line.set_profile(ev.TEST_USER_ID, "vi")
    messages = deliver(stack, ev.follow_event())
    assert len(messages) == 2
    assert messages[0]["text"] == BotSettings().greeting.replace("{city_name}", "星見ヶ丘市")
    assert messages[1]["text"] == texts.TEXTS["vi"][texts.GREETING].replace(
        "{city_name}", "星見ヶ丘市"
    )


def test_asking_staff_from_english_choices_says_it_in_english(stack):
    (message,) = tap(stack, postback.AskStaff(postback.Source.BUTTON, "en"))
    assert message["text"].startswith(EN[texts.HANDOVER] + "\n")


def test_without_e5_the_glossary_finds_a_korean_questions_faq_by_its_japanese_words(monkeypatch):
    monkeypatch.setenv("MADOGUCHI_SEMANTIC", "off")  # BM25 alone: it cannot read Korean itself
    with handover_stack(settings_rows("毎日 0:00-24:00"), faq=FAQ) as stack:
        (reply,) = say(stack, "주민표는 어디서 발급받나요?")  # 주민표: 住民票
        assert reply["contents"]["body"]["contents"][0]["text"] == texts.TEXTS["ko"][texts.CHOICES]
        assert rows_of(reply)[0] == postback.ShowFaq("6", postback.Source.CHOICE, "ko")
        # A Korean question without a word of the glossary or the FAQ: "not found", in Korean.
        (reply,) = say(stack, "맛있는 냉면집 추천해 주세요")
    assert reply["text"] == texts.TEXTS["ko"][texts.NOT_FOUND]
    assert quick(reply) == [postback.AskStaff(postback.Source.BUTTON, "ko")]


def test_a_workbook_with_a_translations_sheet_publishes_and_answers_in_its_language():
    sheet = [
        ["ID", "言語", "質問", "回答"],
        [2, "Português", "Quanto custa o lixo grande?", "De 200 a 1.000 ienes por item."],
        [1, "ポルトガル語", "Como jogar fora lixo grande?", "Reserve por telefone."],
    ]
    with handover_stack(settings_rows("毎日 0:00-24:00"), sheets={"多言語": sheet}) as stack:
        (reply,) = say(stack, "Quanto custa o lixo grande?")
        assert reply["contents"]["body"]["contents"][0]["text"] == texts.TEXTS["pt"][texts.CHOICES]
        rows = rows_of(reply)
        assert rows[0] == postback.ShowFaq("2", postback.Source.CHOICE, "pt")
        # The translated FAQs first; other garbage FAQs after (the glossary: lixo grande, 粗大ごみ).
        assert [row.faq_id for row in rows[:2]] == ["2", "1"]
        assert {row.faq_id for row in rows} <= {"1", "2", "3", "4"}
        (answer, *_) = tap(stack, rows[0])
    assert answer["text"].startswith("■ Quanto custa o lixo grande?\n\nDe 200 a 1.000 ienes")
