"""A question in another language: the closest FAQs as choices, said in the resident's language.

The search is madoguchi.search.across (meaning across languages, and the city's translations);
a choice opens the city's translation of the answer when there is one, else the Japanese answer,
which the choices text says may come. Staff are one tap away in every reply.
"""

from __future__ import annotations

from linebot.v3.messaging import Message, QuickReply, QuickReplyItem

from madoguchi.conversation.search_reply import ReplyKind, SearchReply
from madoguchi.conversation.turns import Index
from madoguchi.language import texts
from madoguchi.line import messages, postback
from madoguchi.model import BotSettings, Faq
from madoguchi.search.across import in_language


def text(name: str, settings: BotSettings, language: str) -> str:
    """One fixed text in the resident's language (the city's own wording from 設定 first)."""
    return texts.said(settings, language, name)


def staff_quick_reply(settings: BotSettings, language: str) -> QuickReply:
    """ "Ask staff" in the resident's language, as a quick reply."""
    label = text(texts.STAFF, settings, language)
    action = postback.AskStaff(postback.Source.BUTTON, language)
    return QuickReply(items=[QuickReplyItem(action=messages.postback_action(label, action, label))])


def messages_for(reply: SearchReply, index: Index, language: str) -> list[Message]:
    """The choices (never one answer: meaning alone is not certainty), or "not found"."""
    settings = index.settings
    quick = staff_quick_reply(settings, language)
    if reply.kind is ReplyKind.NOTHING_CLOSE or not reply.faqs:
        return [messages.text_message(text(texts.NOT_FOUND, settings, language), quick)]
    choices = [in_language(faq, language) for faq in reply.faqs[: 1 + messages.MORE_CANDIDATES]]
    title = text(texts.CHOICES, settings, language)
    return [
        messages.question_list(
            title, choices, source=messages.CHOICE_SOURCE, quick_reply=quick, language=language
        )
    ]


def greeting(settings: BotSettings, language: str) -> Message:
    """The welcome in the resident's language, after the Japanese one."""
    return messages.text_message(text(texts.GREETING, settings, language))


def handover(settings: BotSettings, language: str) -> Message:
    """That the conversation goes to staff, in the resident's language."""
    return messages.text_message(text(texts.HANDOVER, settings, language))


def answer_message(faq: Faq, settings: BotSettings, language: str) -> Message:
    """A tapped FAQ's answer: the city's translation in the resident's language, else the
    Japanese answer under a short note, in that language, that it exists only in Japanese."""
    if not language:
        return messages.text_message(messages.answer_text(faq))
    translation = faq.translation(language)
    translated = translation is not None and bool(translation.answer.strip())
    note = "" if translated else text(texts.JAPANESE_ONLY, settings, language)
    read = in_language(faq, language)
    return messages.text_message(messages.answer_text(read, settings, language, note))
