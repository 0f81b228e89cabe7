"""The one decision step for a resident's message: which kind of reply it gets.

`read_message` names the kind (pure: text and the conversation's mode in, a MessageKind out);
the Responder routes each kind to its own module. A new kind of reply enters the conversation
here, in the order it must win: what protects a resident first, then the hand-over, then small
talk, then a question in another language, then a message that only names a topic, then the
search.
"""

from __future__ import annotations

import enum
from collections.abc import Callable
from dataclasses import dataclass

from madoguchi.conversation.shelter_reply import asks_for_shelter
from madoguchi.conversation.small_talk import SmallTalk, small_talk
from madoguchi.crisis import CrisisKind, detect
from madoguchi.handover.phrases import asks_for_staff, asks_to_return, says_done
from madoguchi.language import detect as language
from madoguchi.model import Topic

# What the index knows of topics: the topic a message is only the name of, or None.
TopicOf = Callable[[str], Topic | None]


class MessageKind(enum.StrEnum):
    """What a resident's message is, as far as the reply is concerned."""

    NOT_TEXT = "not_text"  # a sticker, a photo, a file: the "send words" hint
    CRISIS = "crisis"  # a resident who may be in danger: consultation lines first, in any mode
    # "AIに戻る" (and, with staff, short words such as もどる, or "I'm done":
    # もういいです, 解決しました)
    BACK_TO_BOT = "back_to_bot"
    TO_STAFF = "to_staff"  # anything else written while staff have the conversation
    ASK_STAFF = "ask_staff"  # "職員と話したい"
    LOCATION = "location"  # a location sent (LINE's picker): the nearest shelters
    SHELTER = "shelter"  # "避難所どこ": the location is asked for
    SMALL_TALK = "small_talk"  # thanks, hello, "?"
    FOREIGN = "foreign"  # a question in another language: searched across languages
    TOPIC = "topic"  # only a topic (ごみ, 年金): its FAQs to choose from, never one answer
    QUESTION = "question"  # everything else: searched


@dataclass(frozen=True)
class MessageReading:
    """The kind of one message, with what the kind's module needs to answer it."""

    kind: MessageKind
    small_talk: SmallTalk | None = None  # SMALL_TALK: which kind of small talk
    # The language to answer in (None: Japanese): the message's, or the profile's when the
    # message is too short to tell or has no text. FOREIGN always has one; CRISIS takes the
    # profile's language even for a message in Japanese (its opening is said in both).
    language: str | None = None
    crisis: tuple[CrisisKind, ...] = ()  # CRISIS: the kinds of danger, most urgent first
    topic: Topic | None = None  # TOPIC: the topic and its FAQs
    # FOREIGN: the words are staff's Japanese (a テキスト button of a translated menu), searched
    # as Japanese though answered in `language`.
    japanese_words: bool = False


def read_message(
    text: str | None,
    *,
    with_staff: bool,
    can_hand_over: bool,
    profile_language: Callable[[], str | None] | None = None,
    location: bool = False,
    has_shelters: bool = False,
    topic_of: TopicOf | None = None,
    menu_language: str | None = None,
) -> MessageReading:
    """The kind of reply a message gets.

    `with_staff`: staff have the conversation now; `can_hand_over`: a state store keeps the
    hand-over (without one, a request for staff is searched like any question); `location`: the
    message is a location (text None); `has_shelters`: the workbook lists shelters; `topic_of`:
    the index's topic lookup (SearchIndex.topic); `menu_language`: the text is what a テキスト
    button of the resident's translated rich menu sends (staff's Japanese words), in this language.
    `profile_language` gives the language of the resident's LINE profile; it is asked only for a
    message too short to tell (madoguchi.language.detect).
    """
    if text is None:
        spoken = _profile(profile_language)
        if with_staff:
            return MessageReading(MessageKind.TO_STAFF, language=spoken)
        if location and has_shelters:
            return MessageReading(MessageKind.LOCATION, language=spoken)
        return MessageReading(MessageKind.NOT_TEXT, language=spoken)
    # Before anything else, whatever the mode (with staff too): a resident in danger.
    danger = detect(text)
    if danger:
        spoken = _language(text, profile_language) or _profile(profile_language)
        return MessageReading(MessageKind.CRISIS, crisis=danger, language=spoken)
    # A tap on a translated menu sends staff's Japanese words: the resident still reads theirs.
    written = menu_language or _language(text, profile_language)
    if can_hand_over:
        if with_staff:
            # What residents write goes to staff; only a way back (or "I no longer need staff")
            # is read by the bot.
            if asks_to_return(text, with_staff=True) or says_done(text):
                return MessageReading(MessageKind.BACK_TO_BOT, language=written)
            return MessageReading(MessageKind.TO_STAFF, language=written)
        if asks_for_staff(text):
            return MessageReading(MessageKind.ASK_STAFF, language=written)
        if asks_to_return(text):
            return MessageReading(MessageKind.BACK_TO_BOT, language=written)
    if has_shelters and asks_for_shelter(text):
        return MessageReading(MessageKind.SHELTER, language=written)
    chat = small_talk(text)
    if chat is not None:
        return MessageReading(MessageKind.SMALL_TALK, chat, language=written)
    if written is not None:
        return MessageReading(
            MessageKind.FOREIGN, language=written, japanese_words=menu_language is not None
        )
    topic = topic_of(text) if topic_of is not None else None
    if topic is not None and topic.faqs:
        return MessageReading(MessageKind.TOPIC, topic=topic)
    return MessageReading(MessageKind.QUESTION)


def _language(text: str, profile_language: Callable[[], str | None] | None) -> str | None:
    """The language a message is written in (None: Japanese); the profile is asked only when
    the text alone cannot tell."""
    detected = language.detect(text)
    if not detected.sure and profile_language is not None:
        detected = language.detect(text, profile_language())
    return detected.language


def _profile(profile_language: Callable[[], str | None] | None) -> str | None:
    """The profile's language when it is not Japanese (None: Japanese or unknown)."""
    spoken = profile_language() if profile_language is not None else None
    return spoken if spoken and spoken != "ja" else None
