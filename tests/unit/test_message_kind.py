"""The one decision step: which kind of reply a resident's message gets."""

import pytest

from madoguchi.conversation.message_kind import MessageKind, read_message
from madoguchi.conversation.small_talk import SmallTalk


@pytest.mark.parametrize(
    ("text", "with_staff", "can_hand_over", "kind"),
    [
        (None, False, True, MessageKind.NOT_TEXT),
        (None, True, True, MessageKind.TO_STAFF),
        ("住民票の写しがほしい", True, True, MessageKind.TO_STAFF),
        ("もどる", True, True, MessageKind.BACK_TO_BOT),
        ("もどる", False, True, MessageKind.QUESTION),
        ("AIに戻る", False, True, MessageKind.BACK_TO_BOT),
        ("職員と話したい", False, True, MessageKind.ASK_STAFF),
        ("職員と話したい", False, False, MessageKind.QUESTION),
        ("ありがとう", False, True, MessageKind.SMALL_TALK),
        ("住民票の写しがほしい", False, True, MessageKind.QUESTION),
    ],
)
def test_each_message_gets_its_kind(text, with_staff, can_hand_over, kind):
    reading = read_message(text, with_staff=with_staff, can_hand_over=can_hand_over)
    assert reading.kind is kind


def test_small_talk_names_its_kind():
    reading = read_message("ありがとうございます", with_staff=False, can_hand_over=False)
    assert reading.small_talk is SmallTalk.THANKS


@pytest.mark.parametrize(
    ("text", "location", "has_shelters", "with_staff", "kind"),
    [
        (None, True, True, False, MessageKind.LOCATION),
        (None, True, False, False, MessageKind.NOT_TEXT),  # no 避難所 sheet: nothing to find
        (None, True, True, True, MessageKind.TO_STAFF),  # staff have the conversation
        ("避難所どこ", False, True, False, MessageKind.SHELTER),
        ("ひなんじょ", False, True, False, MessageKind.SHELTER),
        ("近くの避難場所を教えて", False, True, False, MessageKind.SHELTER),
        ("台風来るけど避難所もう開いてる？", False, True, False, MessageKind.SHELTER),
        ("避難所どこ", False, False, False, MessageKind.QUESTION),  # the FAQ answers it
        ("避難所に持っていくものは？", False, True, False, MessageKind.QUESTION),
        ("ひなんばしょ と ひなんじょ って ちがうの？", False, True, False, MessageKind.QUESTION),
    ],
)
def test_shelter_questions_and_locations_get_their_kinds(
    text, location, has_shelters, with_staff, kind
):
    reading = read_message(
        text,
        with_staff=with_staff,
        can_hand_over=True,
        location=location,
        has_shelters=has_shelters,
    )
    assert reading.kind is kind


@pytest.mark.parametrize(
    ("text", "profile", "kind", "language"),
    [
        ("Thank you so much", None, MessageKind.SMALL_TALK, "en"),
        ("cảm ơn", None, MessageKind.SMALL_TALK, "vi"),
        ("thanks", "pt", MessageKind.SMALL_TALK, "pt"),
        ("ok", "ja", MessageKind.SMALL_TALK, None),
        ("Where is the evacuation shelter?", None, MessageKind.SHELTER, "en"),
        ("Nơi sơ tán gần nhất ở đâu?", None, MessageKind.SHELTER, "vi"),
        ("避难所在哪里", None, MessageKind.SHELTER, "zh"),
        ("Can I bring my dog to the shelter?", None, MessageKind.FOREIGN, "en"),
        ("避難所どこ", "en", MessageKind.SHELTER, None),  # written in Japanese: answered so
        ("しにたい", "vi", MessageKind.CRISIS, "vi"),  # the opening also in the profile's
        ("しにたい", "ja", MessageKind.CRISIS, None),
        (None, "ko", MessageKind.NOT_TEXT, "ko"),
        (None, "ja", MessageKind.NOT_TEXT, None),
    ],
)
def test_each_reading_names_the_language_to_answer_in(text, profile, kind, language):
    reading = read_message(
        text,
        with_staff=False,
        can_hand_over=True,
        profile_language=lambda: profile,
        has_shelters=True,
    )
    assert (reading.kind, reading.language) == (kind, language)


def test_what_is_written_to_staff_carries_its_language():
    reading = read_message("My card is lost", with_staff=True, can_hand_over=True)
    assert (reading.kind, reading.language) == (MessageKind.TO_STAFF, "en")


@pytest.mark.parametrize(
    ("text", "language"),
    [
        ("I want to talk to staff", "en"),
        ("Hỏi nhân viên", "vi"),
        ("我想联系工作人员", "zh"),
        ("직원과 상담하고 싶어요", "ko"),
        ("Quero falar com um atendente", "pt"),
        ("Quiero hablar con una persona", "es"),
        ("Saya mau bicara dengan petugas", "id"),
    ],
)
def test_asking_for_staff_in_another_language_hands_over_in_it(text, language):
    reading = read_message(text, with_staff=False, can_hand_over=True)
    assert (reading.kind, reading.language) == (MessageKind.ASK_STAFF, language)


def test_a_question_that_mentions_staff_in_passing_is_still_searched():
    text = "Which documents should I bring when I talk to staff about moving to this city?"
    assert read_message(text, with_staff=False, can_hand_over=True).kind is MessageKind.FOREIGN


def test_a_tap_on_a_translated_menus_text_button_is_read_in_the_menus_language():
    # The button sends staff's Japanese words; the resident reads Vietnamese.
    reading = read_message(
        "児童手当の申請", with_staff=False, can_hand_over=True, menu_language="vi"
    )
    assert (reading.kind, reading.language) == (MessageKind.FOREIGN, "vi")
    assert reading.japanese_words  # searched as the Japanese they are
    plain = read_message("児童手当の申請", with_staff=False, can_hand_over=True)
    assert (plain.kind, plain.language) == (MessageKind.QUESTION, None)
    # A crisis is still read first, whatever the menu.
    danger = read_message("しにたい", with_staff=False, can_hand_over=True, menu_language="vi")
    assert danger.kind is MessageKind.CRISIS
