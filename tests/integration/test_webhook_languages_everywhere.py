"""Every reply a resident writing in another language can get, through the Lambda handler with
signed events: small talk, the hand-over and its way back (in and out of hours), feedback and
its next step, an answer tapped from the choices (translated, or Japanese with a note), category
lists, shelters, stickers and the crisis reply's opening all speak the resident's language; the
city's own wording in 設定 wins."""

from __future__ import annotations

from datetime import datetime, time, timedelta

import pytest

from madoguchi.clock import JST
from madoguchi.conversation.crisis_reply import OPENINGS
from madoguchi.crisis import CrisisKind
from madoguchi.crisis.lines import tel_uri
from madoguchi.language import texts
from madoguchi.line import postback
from madoguchi.model import BotSettings
from madoguchi.searchlog import CRISIS, FEEDBACK, HANDOVER, SEARCH
from tests.integration.test_webhook_languages import FAQ
from tests.integration.test_webhook_shelters import HERE, SHELTERS
from tests.support import line_events as ev
from tests.support.clock import WEEKDAY_MORNING
from tests.support.conversation_stack import (
    deliver,
    handover_stack,
    log_records,
    quick,
    rows_of,
    say,
    settings_rows,
    tap,
)

CITY = BotSettings().city_name


def said(language: str, key: str, **values: str) -> str:
    """The default fixed text, as the stack's city says it."""
    return texts.text_for(key, language, {}, CITY, **values)


def labels(message: dict) -> list[str]:
    return [item["action"]["label"] for item in message["quickReply"]["items"]]


@pytest.fixture
def stack():
    settings = [
        *settings_rows("毎日 0:00-24:00"),
        ["お礼への返事 (Tiếng Việt)", "Không có gì ạ! Hỏi thêm bất cứ lúc nào nhé."],
    ]
    with handover_stack(settings, sheets={"避難所": SHELTERS}, faq=FAQ) as stack:
        yield stack


@pytest.mark.parametrize(
    ("words", "language", "key"),
    [
        ("Thank you!", "en", texts.THANKS),
        ("감사합니다", "ko", texts.THANKS),
        ("谢谢", "zh", texts.THANKS),
        ("Hello", "en", texts.HELLO),
        ("xin chào", "vi", texts.HELLO),
        ("muchas gracias", "es", texts.THANKS),
        ("terima kasih", "id", texts.THANKS),
    ],
)
def test_small_talk_is_answered_in_the_residents_language(stack, words, language, key):
    (reply,) = say(stack, words)
    assert reply["text"] == said(language, key)


def test_the_citys_own_wording_from_settings_wins(stack):
    (reply,) = say(stack, "cảm ơn")
    assert reply["text"] == "Không có gì ạ! Hỏi thêm bất cứ lúc nào nhé."


def test_a_lone_thanks_follows_the_profile_language(stack):
    stack.line.set_profile(ev.TEST_USER_ID, "pt")
    (reply,) = say(stack, "obrigado")
    assert reply["text"] == said("pt", texts.THANKS)


def test_thanks_in_japanese_stays_japanese(stack):
    (reply,) = say(stack, "ありがとう")
    assert reply["text"] == BotSettings().thanks_reply


def test_the_hand_over_its_acknowledgement_and_the_way_back_speak_english(stack):
    (started,) = tap(stack, postback.AskStaff(postback.Source.BUTTON, "en"))
    back = said("en", texts.BACK)
    assert started["text"] == (
        said("en", texts.HANDOVER) + "\n" + said("en", texts.HOW_TO_GO_BACK, back=back)
    )
    assert quick(started) == [postback.BackToBot("en")]
    assert labels(started) == [back]
    (handover,) = log_records(stack, HANDOVER)
    assert handover.detail["source"] == "button"

    (received,) = say(stack, "My garbage was not collected this week.")
    assert received["text"].startswith(said("en", texts.RECEIVED) + "\n")
    assert quick(received) == [postback.BackToBot("en")]

    (ended,) = tap(stack, quick(received)[0])
    assert ended["text"] == said("en", texts.HANDOVER_END) + "\n" + said("en", texts.SENT_TO_STAFF)


def test_back_to_bot_without_a_hand_over_says_so_in_korean(stack):
    (reply,) = tap(stack, postback.BackToBot("ko"))
    assert reply["text"] == said("ko", texts.HANDOVER_END)


def test_out_of_hours_the_hand_over_says_when_staff_are_back_in_vietnamese():
    today = WEEKDAY_MORNING.date()
    closed = ",".join(str(today + timedelta(days=d)) for d in range(3))
    opening = datetime.combine(today + timedelta(days=3), time(9), JST)
    when = texts.moment_text(opening, "vi")
    assert when.startswith("9:00 ") and f"ngày {opening.day}/{opening.month}" in when
    with handover_stack(settings_rows("毎日 9:00-17:00", closed), faq=FAQ) as stack:
        (reply,) = tap(stack, postback.AskStaff(postback.Source.BUTTON, "vi"))
        assert reply["text"].startswith(
            said("vi", texts.HANDOVER_AFTER_HOURS, next_opening=when) + "\n"
        )
        (received,) = say(stack, "Tôi muốn hỏi về thuế cư trú.")
        assert received["text"].startswith(
            said("vi", texts.RECEIVED_AFTER_HOURS, next_opening=when) + "\n"
        )


def test_the_hand_over_times_out_and_says_so_in_spanish(stack):
    tap(stack, postback.AskStaff(postback.Source.BUTTON, "es"))
    say(stack, "Necesito ayuda con mi tarjeta de residencia.")
    stack.clock.advance(31 * 60)
    sent = say(stack, "¿Dónde puedo tirar la basura grande?")
    assert sent[0]["text"] == said("es", texts.TIMED_OUT) + "\n" + said("es", texts.SENT_TO_STAFF)


def test_a_translated_answer_gets_feedback_in_english_and_its_next_step(stack):
    (choices,) = say(stack, "Oversized garbage, and a copy of my residence certificate?")
    rows = rows_of(choices)
    # The two questions the city translated first; the glossary's words (garbage, residence
    # certificate: ごみ, 住民票) may add their neighbours after them.
    assert {row.faq_id for row in rows[:2]} == {"1", "6"}
    assert {row.faq_id for row in rows} <= {"1", "2", "3", "4", "6"}
    opened = tap(stack, postback.ShowFaq("1", postback.Source.CHOICE, "en"))
    answer = opened[0]["text"]
    assert answer.startswith("■ How do I put out oversized garbage?\n\nApply by phone")
    assert said("en", texts.JAPANESE_ONLY) not in answer
    assert f"{said('en', texts.CONTACT)}：環境課" in answer  # the department as the city wrote it
    assert f"{said('en', texts.MORE_INFO)}\nhttps://example.jp/sodai" in answer
    helpful, unhelpful = quick(opened[-1])
    assert labels(opened[-1]) == [said("en", texts.HELPFUL), said("en", texts.UNHELPFUL)]
    assert helpful.language == unhelpful.language == "en"

    (thanks,) = tap(stack, helpful)
    assert thanks["text"] == said("en", texts.HELPFUL_THANKS)
    sorry = tap(stack, unhelpful)
    assert sorry[0]["text"] == said("en", texts.UNHELPFUL_THANKS)
    nearest = sorry[1]  # the search's other choice, as the resident reads it
    body = nearest["contents"]["body"]["contents"]
    assert body[0]["text"] == said("en", texts.CHOICES)
    assert body[1]["contents"][0]["text"] == "▶ How do I get a copy of my residence certificate?"
    assert rows_of(nearest)[0] == postback.ShowFaq("6", postback.Source.CHOICE, "en")
    assert postback.ShowFaq("1", postback.Source.CHOICE, "en") not in rows_of(nearest)
    staff = quick(sorry[-1])[-1]
    assert staff == postback.AskStaff(postback.Source.FEEDBACK, "en")
    assert labels(sorry[-1])[-1] == said("en", texts.STAFF)
    assert sorted(r.helpful for r in log_records(stack, FEEDBACK)) == [False, True]


def test_an_answer_only_in_japanese_says_so_in_the_residents_language(stack):
    (answer, *_) = tap(stack, postback.ShowFaq("5", postback.Source.CHOICE, "vi"))
    title, note, *_ = answer["text"].split("\n\n")
    assert title == "■ 児童手当の申請"
    assert note == said("vi", texts.JAPANESE_ONLY)


def test_a_category_list_in_english_shows_the_citys_translations(stack):
    (listed,) = tap(stack, postback.ListCategory("ごみ", 1, postback.Source.BUTTON, "en"))
    body = listed["contents"]["body"]["contents"]
    assert body[0]["text"] == said("en", texts.CATEGORY, name="ごみ")
    assert body[1]["contents"][0]["text"] == "▶ How do I put out oversized garbage?"
    assert body[2]["contents"][0]["text"] == "▶ 粗大ごみの手数料"  # not translated by the city
    assert all(row.language == "en" for row in rows_of(listed))


def test_a_sticker_is_answered_in_the_profile_language(stack):
    stack.line.set_profile(ev.TEST_USER_ID, "ko")
    (reply,) = deliver(stack, ev.sticker_event())
    assert reply["text"] == said("ko", texts.UNSUPPORTED)


def test_a_shelter_question_in_english_asks_for_the_location_in_english(stack):
    (reply,) = say(stack, "Where is the nearest evacuation shelter?")
    label = said("en", texts.LOCATION)
    assert reply["text"] == said("en", texts.ASK_LOCATION, location=label)
    (picker,) = reply["quickReply"]["items"]
    assert picker["action"] == {"type": "location", "label": label}


def test_the_nearest_shelters_in_the_profile_language_keep_the_citys_names(stack):
    stack.line.set_profile(ev.TEST_USER_ID, "en")
    text, location = deliver(stack, ev.location_event(**HERE))
    lines = text["text"].splitlines()
    assert lines[0] == said("en", texts.SHELTERS_OPEN)
    assert lines[2].startswith("1. 北小学校 (")
    assert said("en", texts.SHELTER_FOR, hazards="地震・火災") in lines
    assert lines[-1] == said("en", texts.SHELTER_SAFETY)
    assert location["type"] == "location" and location["title"] == "北小学校"


def test_a_japanese_crisis_message_from_a_vietnamese_profile_opens_in_both(stack):
    stack.line.set_profile(ev.TEST_USER_ID, "vi")
    opening, lines, staff = say(stack, "しにたい")
    assert opening["text"] == said("vi", texts.CRISIS) + "\n\n" + OPENINGS[CrisisKind.SUICIDE]
    assert lines["contents"]["body"]["contents"][0]["text"] == said("vi", texts.LINES_TITLE)
    buttons = [
        c["action"]["uri"]
        for box in lines["contents"]["body"]["contents"]
        if box["type"] == "box"
        for c in box["contents"]
        if c["type"] == "button" and c["action"]["uri"].startswith("tel:")
    ]
    assert tel_uri("0120-279-338") in buttons  # the national lines are kept as they are
    staff_label = said("vi", texts.STAFF)
    assert staff["text"] == said("vi", texts.CRISIS_STAFF, staff=staff_label)
    assert quick(staff) == [postback.AskStaff(postback.Source.CRISIS, "vi")]


def test_immediate_danger_names_110_and_119_in_the_residents_language(stack):
    stack.line.set_profile(ev.TEST_USER_ID, "en")
    opening, *_ = say(stack, "助けて、殺される")
    first, second, _, japanese = opening["text"].split("\n")
    assert first == said("en", texts.CRISIS_DANGER)
    assert "110 (police)" in first and "119 (fire / ambulance)" in first
    assert second == said("en", texts.CRISIS)
    assert japanese == OPENINGS[CrisisKind.DANGER]


def test_a_japanese_resident_in_crisis_gets_the_japanese_reply_only(stack):
    stack.line.set_profile(ev.TEST_USER_ID, "ja")
    opening, _, staff = say(stack, "しにたい")
    assert opening["text"] == OPENINGS[CrisisKind.SUICIDE]
    assert quick(staff) == [postback.AskStaff(postback.Source.CRISIS)]


def test_distress_written_in_english_gets_the_lines_with_an_english_opening(stack):
    opening, lines, staff = say(stack, "I don't want to live anymore")
    assert opening["text"] == said("en", texts.CRISIS) + "\n\n" + OPENINGS[CrisisKind.SUICIDE]
    assert lines["contents"]["body"]["contents"][0]["text"] == said("en", texts.LINES_TITLE)
    assert quick(staff) == [postback.AskStaff(postback.Source.CRISIS, "en")]
    (record,) = log_records(stack, CRISIS)
    assert record.detail["kinds"] == ["suicide"]
    assert log_records(stack, SEARCH) == []  # never searched, never logged as a question


def test_asking_for_staff_in_portuguese_hands_over_in_portuguese(stack):
    (reply,) = say(stack, "Quero falar com um atendente")
    assert reply["text"].startswith(said("pt", texts.HANDOVER) + "\n")
    assert quick(reply) == [postback.BackToBot("pt")]
    (handover,) = log_records(stack, HANDOVER)
    assert handover.detail["source"] == "typed"
