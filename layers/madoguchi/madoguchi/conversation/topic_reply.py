"""A message that is only a topic (「ごみ」「子育て」「年金」): that topic's questions to choose
from, most viewed first, and a short request to say more — never one guessed answer."""

from __future__ import annotations

from collections.abc import Sequence

from linebot.v3.messaging import Message

from madoguchi.line import messages, postback
from madoguchi.model import Topic

TOPIC_SHOWN = 8  # one bubble a resident can read through without scrolling far
ASK_MORE_TEXT = (
    "「{name}」についてですね。\n"
    "知りたいことを、もう少しくわしく教えてください。"
    "（たとえば「{example}」のように）\n"
    "上の一覧から選ぶこともできます。"
)
ALL_OF_CATEGORY_TEXT = "この分野のご質問をすべて見る ▶"
ALL_OF_CATEGORY_LABEL = "すべて見る"
EXAMPLE_LENGTH = 24


def shown_faqs(topic: Topic) -> tuple[str, ...]:
    """The IDs of the questions the reply lists."""
    return tuple(faq.id for faq in topic.faqs[:TOPIC_SHOWN])


def topic_messages(topic: Topic, categories: Sequence[str]) -> list[Message]:
    """The topic's questions (one tap each; all of its category one tap further when it is a
    category), then the request for more detail with the categories and staff as quick replies."""
    listed = list(topic.faqs[:TOPIC_SHOWN])
    name = messages.clip(topic.name, 20)
    title = f"「{name}」のよくあるご質問"
    more = None
    if topic.category and max(topic.size, len(topic.faqs)) > len(listed):
        more = postback.ListCategory(topic.category, 1, postback.Source.BUTTON)
    try:
        question_list = messages.question_list(
            title,
            listed,
            source=postback.Source.TOPIC,
            next_page=more,
            more=ALL_OF_CATEGORY_TEXT,
            more_label=ALL_OF_CATEGORY_LABEL,
        )
    except postback.PostbackTooLong:  # a category name too long for a button
        question_list = messages.question_list(title, listed, source=postback.Source.TOPIC)
    example = messages.clip(listed[0].question, EXAMPLE_LENGTH).rstrip("?？")
    ask = messages.fill(ASK_MORE_TEXT, name=name, example=example)
    quick = messages.category_quick_reply(categories)
    return [question_list, messages.text_message(ask, quick)]
