"""LINE messages of the hand-over and of feedback: short, kind, one tap to the next step."""

from __future__ import annotations

from datetime import datetime

from linebot.v3.messaging import Message, QuickReply, QuickReplyItem, TextMessage

from madoguchi.handover.office_hours import format_moment_ja
from madoguchi.line import messages, postback
from madoguchi.model import BotSettings

BACK_LABEL = "AIに戻る"
STAFF_LABEL = "職員に相談"
HELPFUL_LABEL = "役に立った"
UNHELPFUL_LABEL = "役に立たなかった"
STILL_WITH_STAFF_TEXT = "いま職員におつなぎしています。このままトークでご用件をお送りください。"
HELPFUL_THANKS = "ありがとうございます。お役に立ててよかったです。"
UNHELPFUL_THANKS = (
    "お知らせいただき、ありがとうございます。回答の見直しに役立てます。\n"
    "言葉を変えてもう一度送っていただくか、職員に相談することもできます。"
)
OFFER_TEXT = "うまく見つからないようです。よろしければ、職員に相談することもできます。"


def _item(label: str, action: postback.Postback) -> QuickReplyItem:
    return QuickReplyItem(action=messages.postback_action(label, action, label))


def back_quick_reply() -> QuickReply:
    """One button: end the hand-over."""
    return QuickReply(items=[_item(BACK_LABEL, postback.BackToBot())])


def handover_text(settings: BotSettings, in_hours: bool, next_opening: datetime | None) -> str:
    """What happens next: staff answer here, or when they will see the message."""
    fill = {"city_name": settings.city_name}
    if in_hours:
        return messages.fill(settings.handover_message, office_hours=settings.office_hours, **fill)
    phrase = format_moment_ja(next_opening) if next_opening else settings.office_hours
    template = settings.handover_after_hours_message
    text = messages.fill(template, office_hours=phrase, next_opening=phrase, **fill)
    if "{office_hours}" not in template and "{next_opening}" not in template and next_opening:
        text += f"\n次の受付は{phrase}からです。"
    return text


def handover_messages(
    settings: BotSettings, in_hours: bool, next_opening: datetime | None
) -> list[Message]:
    """The hand-over reply, with "AIに戻る" one tap away."""
    text = handover_text(settings, in_hours, next_opening)
    return [messages.text_message(text, back_quick_reply())]


def still_with_staff_messages() -> list[Message]:
    """A second request while already with staff: no new notice, just reassurance."""
    return [messages.text_message(STILL_WITH_STAFF_TEXT, back_quick_reply())]


def end_messages(settings: BotSettings) -> list[Message]:
    """Back to automatic answers."""
    return [
        messages.text_message(
            messages.fill(settings.handover_end_message, city_name=settings.city_name)
        )
    ]


def feedback_quick_reply(faq_id: str, search_id: str) -> QuickReply | None:
    """役に立った / 役に立たなかった under an answer (None if the ID is too long for a postback)."""
    try:
        return QuickReply(
            items=[
                _item(HELPFUL_LABEL, postback.Feedback(faq_id, True, search_id)),
                _item(UNHELPFUL_LABEL, postback.Feedback(faq_id, False, search_id)),
            ]
        )
    except postback.PostbackTooLong:
        return None


def with_quick_reply(reply: list[Message], quick_reply: QuickReply | None) -> list[Message]:
    """The messages with `quick_reply` on the last one (LINE shows only the last one's)."""
    if not reply or quick_reply is None or reply[-1].quick_reply is not None:
        return reply
    return [*reply[:-1], reply[-1].copy(update={"quick_reply": quick_reply})]


def feedback_messages(helpful: bool) -> list[Message]:
    """Thanks; after "not helpful", a way to staff."""
    if helpful:
        return [messages.text_message(HELPFUL_THANKS)]
    staff = QuickReply(items=[_item(STAFF_LABEL, postback.AskStaff("feedback"))])
    return [messages.text_message(UNHELPFUL_THANKS, staff)]


def with_staff_offer(reply: list[Message]) -> list[Message]:
    """After a second no-answer in a row: say staff can help, with that button first."""
    if not reply or not isinstance(reply[-1], TextMessage):
        return [*reply, messages.text_message(OFFER_TEXT, _offer_quick_reply(None))][:5]
    last = reply[-1]
    text = messages.clip(f"{last.text}\n\n{OFFER_TEXT}", messages.MAX_TEXT_LENGTH)
    updated = last.copy(update={"text": text, "quick_reply": _offer_quick_reply(last)})
    return [*reply[:-1], updated]


def _offer_quick_reply(last: TextMessage | None) -> QuickReply:
    others = []
    if last is not None and last.quick_reply is not None:
        for item in last.quick_reply.items:
            data = getattr(item.action, "data", None)
            if not isinstance(postback.decode(data), postback.AskStaff):
                others.append(item)
    items = [_item(STAFF_LABEL, postback.AskStaff("offer")), *others]
    return QuickReply(items=items[: messages.MAX_QUICK_REPLY_ITEMS])
