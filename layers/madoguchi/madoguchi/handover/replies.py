"""LINE messages of the hand-over and of feedback: short, kind, one tap to the next step.

Each takes the resident's `language` ("" Japanese): in another one, its fixed texts
(madoguchi.language.texts) replace the Japanese ones, buttons included, and its buttons carry
the language so the next reply is in it too.
"""

from __future__ import annotations

from datetime import datetime

from linebot.v3.messaging import Message, QuickReply, QuickReplyItem, TextMessage

from madoguchi.handover.office_hours import format_moment_ja
from madoguchi.language import texts
from madoguchi.line import messages, postback
from madoguchi.line.messages import fixed_text
from madoguchi.line.postback import Source
from madoguchi.model import BotSettings

BACK_LABEL = "AIに戻る"
STAFF_LABEL = messages.STAFF_LABEL
HELPFUL_LABEL = "役に立った"
UNHELPFUL_LABEL = "役に立たなかった"
HOW_TO_GO_BACK = "自動応答に戻るときは、「AIに戻る」を押すか「もどる」と送ってください。"
STILL_WITH_STAFF_TEXT = "いま職員におつなぎしています。このままトークでご用件をお送りください。"
RECEIVED_TEXT = "メッセージを受け付けました。職員が順番に確認して、このトークでお返事します。"
RECEIVED_AFTER_HOURS_TEXT = (
    "メッセージを受け付けました。いまは受付時間外のため、職員が確認するのは{next_opening}からです。"
)
RECEIVED_NO_HOURS_TEXT = (
    "メッセージを受け付けました。いまは受付時間外のため、職員が確認するのは次の受付時間です。"
)
WAITING_TEXT = "メッセージは職員に届いています。職員からのお返事は、このトークに届きます。"
WAITING_AFTER_HOURS_TEXT = (
    "メッセージは職員に届いています。"
    "いまは受付時間外のため、職員が確認するのは{next_opening}からです。"
)
WAITING_NO_HOURS_TEXT = (
    "メッセージは職員に届いています。いまは受付時間外のため、職員が確認するのは次の受付時間です。"
)
NOT_SWITCHED_TEXT = (
    "ごめんなさい、いま自動応答に切り替えられませんでした。"
    "少し時間をおいて、もう一度「AIに戻る」を押してください。"
    "それまでに送ったメッセージは、職員に届きます。"
)
TIMED_OUT_TEXT = "しばらくやりとりがなかったため、自動応答に戻りました。"
SENT_TO_STAFF_TEXT = (
    "職員あてに送っていただいたメッセージは、職員に届いています。"
    "職員からお返事するときも、このトークに届きます。"
)
ALREADY_WITH_BOT_TEXT = (
    "いまは自動応答でお答えしています。知りたいことを、ふだんの言葉で送ってください。"
)
HELPFUL_THANKS = "ありがとうございます。お役に立ててよかったです。"
UNHELPFUL_THANKS = (
    "お知らせいただき、ありがとうございます。回答の見直しに役立てます。\n"
    "言葉を変えてもう一度送っていただくか、職員に相談することもできます。"
)
# Said once, on the second "not found" in a row, instead of the usual not-found message (which
# may itself mention staff): one offer, with the button under it.
OFFER_TEXT = (
    "ごめんなさい、今回も見つかりませんでした。\n"
    "下の「職員に相談」を押すと、職員におつなぎします。"
    "言葉を変えて送るか、分野から探すこともできます。"
)


def _item(label: str, action: postback.Postback) -> QuickReplyItem:
    return QuickReplyItem(action=messages.postback_action(label, action, label))


def back_quick_reply(settings: BotSettings | None = None, language: str = "") -> QuickReply:
    """One button: end the hand-over."""
    label = fixed_text(settings, language, texts.BACK, BACK_LABEL)
    return QuickReply(items=[_item(label, postback.BackToBot(language))])


def _how_to_go_back(settings: BotSettings | None, language: str) -> str:
    back = fixed_text(settings, language, texts.BACK, BACK_LABEL)
    return fixed_text(settings, language, texts.HOW_TO_GO_BACK, HOW_TO_GO_BACK, back=back)


def _with_way_back(text: str, settings: BotSettings | None, language: str) -> list[Message]:
    """The text, how to go back, and the button that does."""
    said = f"{text}\n{_how_to_go_back(settings, language)}"
    return [messages.text_message(said, back_quick_reply(settings, language))]


def _opening(settings: BotSettings | None, next_opening: datetime | None, language: str) -> str:
    """When staff are next in, as the resident's language says a moment."""
    if next_opening is None:
        return (settings or BotSettings()).office_hours
    return texts.moment_text(next_opening, language) if language else format_moment_ja(next_opening)


def _by_hours(
    settings: BotSettings,
    language: str,
    in_hours: bool,
    next_opening: datetime | None,
    in_hours_key: str,
    after_hours_key: str,
) -> str:
    """A fixed text in the resident's language: the office-hours one, or the one that says
    when staff are next in."""
    if in_hours:
        return texts.said(settings, language, in_hours_key)
    when = _opening(settings, next_opening, language)
    return texts.said(settings, language, after_hours_key, next_opening=when)


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
    settings: BotSettings, in_hours: bool, next_opening: datetime | None, language: str = ""
) -> list[Message]:
    """The hand-over reply, with the way back said and one tap away."""
    if language:
        keys = (texts.HANDOVER, texts.HANDOVER_AFTER_HOURS)
        text = _by_hours(settings, language, in_hours, next_opening, *keys)
    else:
        text = handover_text(settings, in_hours, next_opening)
    return _with_way_back(text, settings, language)


def still_with_staff_messages(
    settings: BotSettings | None = None, language: str = ""
) -> list[Message]:
    """A second request while already with staff: no new notice, just reassurance."""
    text = fixed_text(settings, language, texts.STILL_WITH_STAFF, STILL_WITH_STAFF_TEXT)
    return _with_way_back(text, settings, language)


def received_messages(
    in_hours: bool,
    next_opening: datetime | None,
    settings: BotSettings | None = None,
    language: str = "",
) -> list[Message]:
    """The one acknowledgement of the first message written to staff: received, when staff will
    see it, and how to go back."""
    if language:
        return _received(in_hours, next_opening, settings, language)
    if in_hours:
        text = RECEIVED_TEXT
    elif next_opening is not None:
        text = RECEIVED_AFTER_HOURS_TEXT.format(next_opening=format_moment_ja(next_opening))
    else:
        text = RECEIVED_NO_HOURS_TEXT
    return _with_way_back(text, settings, language)


def _received(
    in_hours: bool, next_opening: datetime | None, settings: BotSettings | None, language: str
) -> list[Message]:
    """Received (or reached staff), and when staff will see it, in the resident's language."""
    keys = (texts.RECEIVED, texts.RECEIVED_AFTER_HOURS)
    text = _by_hours(settings or BotSettings(), language, in_hours, next_opening, *keys)
    return _with_way_back(text, settings, language)


def waiting_messages(
    in_hours: bool,
    next_opening: datetime | None,
    settings: BotSettings | None = None,
    language: str = "",
) -> list[Message]:
    """A further message to staff once the bot no longer keeps quiet: it reached staff, when
    they will see it, and the way back, in one short text."""
    if language:
        return _received(in_hours, next_opening, settings, language)
    if in_hours:
        text = WAITING_TEXT
    elif next_opening is not None:
        text = WAITING_AFTER_HOURS_TEXT.format(next_opening=format_moment_ja(next_opening))
    else:
        text = WAITING_NO_HOURS_TEXT
    return _with_way_back(text, settings, language)


def not_switched_messages(settings: BotSettings | None = None, language: str = "") -> list[Message]:
    """The way back was asked for, but the store did not keep it: say so, and offer it again."""
    back = fixed_text(settings, language, texts.BACK, BACK_LABEL)
    text = fixed_text(settings, language, texts.NOT_SWITCHED, NOT_SWITCHED_TEXT, back=back)
    return [messages.text_message(text, back_quick_reply(settings, language))]


def end_text(settings: BotSettings, wrote_to_staff: bool, language: str = "") -> str:
    """Back to automatic answers; says the resident's messages reached staff, never that staff
    answered (the bot cannot know)."""
    japanese = messages.fill(settings.handover_end_message, city_name=settings.city_name)
    text = fixed_text(settings, language, texts.HANDOVER_END, japanese)
    sent = fixed_text(settings, language, texts.SENT_TO_STAFF, SENT_TO_STAFF_TEXT)
    return f"{text}\n{sent}" if wrote_to_staff else text


def end_messages(settings: BotSettings, wrote_to_staff: bool, language: str = "") -> list[Message]:
    """The resident asked to go back to automatic answers."""
    return [messages.text_message(end_text(settings, wrote_to_staff, language))]


def timed_out_messages(
    wrote_to_staff: bool, settings: BotSettings | None = None, language: str = ""
) -> list[Message]:
    """Put before the answer to the first message after a hand-over timed out."""
    text = fixed_text(settings, language, texts.TIMED_OUT, TIMED_OUT_TEXT)
    sent = fixed_text(settings, language, texts.SENT_TO_STAFF, SENT_TO_STAFF_TEXT)
    return [messages.text_message(f"{text}\n{sent}" if wrote_to_staff else text)]


def already_with_bot_messages(
    settings: BotSettings | None = None, language: str = ""
) -> list[Message]:
    """ "AIに戻る" when no hand-over was going on."""
    return [
        messages.text_message(
            fixed_text(settings, language, texts.HANDOVER_END, ALREADY_WITH_BOT_TEXT)
        )
    ]


def feedback_quick_reply(
    faq_id: str, search_id: str, settings: BotSettings | None = None, language: str = ""
) -> QuickReply | None:
    """役に立った / 役に立たなかった under an answer (None if the ID is too long for a postback)."""
    helpful = fixed_text(settings, language, texts.HELPFUL, HELPFUL_LABEL)
    unhelpful = fixed_text(settings, language, texts.UNHELPFUL, UNHELPFUL_LABEL)
    try:
        return QuickReply(
            items=[
                _item(helpful, postback.Feedback(faq_id, True, search_id, language)),
                _item(unhelpful, postback.Feedback(faq_id, False, search_id, language)),
            ]
        )
    except postback.PostbackTooLong:
        return None


def with_quick_reply(reply: list[Message], quick_reply: QuickReply | None) -> list[Message]:
    """The messages with `quick_reply` on the last one (LINE shows only the last one's)."""
    if not reply or quick_reply is None or reply[-1].quick_reply is not None:
        return reply
    return [*reply[:-1], reply[-1].copy(update={"quick_reply": quick_reply})]


def feedback_messages(
    helpful: bool,
    next_step: list[Message] | None = None,
    quick_reply: QuickReply | None = None,
    *,
    settings: BotSettings | None = None,
    language: str = "",
) -> list[Message]:
    """Thanks; after "not helpful", the next step (madoguchi.conversation.not_found_reply: the
    nearest questions, the inquiry line after hours, `quick_reply` on the last message), or at
    least a way to staff."""
    if helpful:
        thanked = fixed_text(settings, language, texts.HELPFUL_THANKS, HELPFUL_THANKS)
        return [messages.text_message(thanked)]
    label = fixed_text(settings, language, texts.STAFF, STAFF_LABEL)
    staff = QuickReply(items=[_item(label, postback.AskStaff(Source.FEEDBACK, language))])
    said = fixed_text(settings, language, texts.UNHELPFUL_THANKS, UNHELPFUL_THANKS)
    thanks = messages.text_message(said)
    return with_quick_reply([thanks, *(next_step or [])], quick_reply or staff)


def with_staff_offer(reply: list[Message]) -> list[Message]:
    """The second miss in a row: its last text becomes the one offer of staff, with that button
    first among the quick replies (categories stay after it). After choices (a list, not a text)
    the offer is a text of its own below them, and takes over the list's quick replies."""
    last = reply[-1] if reply else None
    if isinstance(last, TextMessage):
        updated = last.copy(update={"text": OFFER_TEXT, "quick_reply": _offer_quick_reply(last)})
        return [*reply[:-1], updated]
    offer = messages.text_message(OFFER_TEXT, _offer_quick_reply(last))
    if last is None:
        return [offer]
    # LINE shows only the last message's quick replies: one offer, not a second one above it.
    return [*reply[:-1], last.copy(update={"quick_reply": None}), offer][:5]


def _offer_quick_reply(last: Message | None) -> QuickReply:
    others = []
    quick_reply = getattr(last, "quick_reply", None)
    if quick_reply is not None:
        for item in quick_reply.items:
            data = getattr(item.action, "data", None)
            if not isinstance(postback.decode(data), postback.AskStaff):
                others.append(item)
    items = [_item(STAFF_LABEL, postback.AskStaff(Source.OFFER)), *others]
    return QuickReply(items=items[: messages.MAX_QUICK_REPLY_ITEMS])
