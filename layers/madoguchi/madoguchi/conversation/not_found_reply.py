"""The next step after "not found" and after 「役に立たなかった」: never a dead end.

Up to three nearest questions when any is related (「もしかして」), the categories and 職員に相談
as quick replies, and outside the office hours the city's inquiry line from 設定 (問い合わせ電話,
問い合わせ受付時間) as a button that dials it.
"""

from __future__ import annotations

from collections.abc import Sequence
from urllib.parse import quote

from linebot.v3.messaging import (
    FlexBox,
    FlexBubble,
    FlexButton,
    FlexMessage,
    FlexText,
    Message,
    QuickReply,
    URIAction,
)

from madoguchi.handover import replies
from madoguchi.language import texts
from madoguchi.line import messages, postback
from madoguchi.line.messages import fixed_text
from madoguchi.model import BotSettings, Faq
from madoguchi.phone_number import phone_digits

MAYBE_SHOWN = 3
MAYBE_TITLE = "もしかして、次のご質問ですか？"
CALL_LABEL = "電話で問い合わせる"
AFTER_HOURS_TEXT = "いまは職員の受付時間外です。お電話でもお問い合わせいただけます。"
LINE_TEXT = "{city_name}の問い合わせ窓口\n{phone}"
HOURS_TEXT = "受付時間：{hours}"


def maybe_faqs(faqs: Sequence[Faq]) -> tuple[Faq, ...]:
    """The nearest questions offered under "not found" (at most MAYBE_SHOWN)."""
    return tuple(faqs[:MAYBE_SHOWN])


def call_uri(settings: BotSettings) -> str | None:
    """The tel: link of the inquiry line, or None when 設定 has none (or an unreadable one)."""
    digits = phone_digits(settings.inquiry_phone)
    return f"tel:{quote(digits, safe='')}" if digits else None


def call_message(settings: BotSettings, language: str = "") -> FlexMessage | None:
    """A bubble with the inquiry line and a button that dials it; None without a line. In
    another `language` the words around the city's name, number and hours are in it."""
    uri = call_uri(settings)
    if uri is None:
        return None
    phone = settings.inquiry_phone.strip()
    line = messages.fill(LINE_TEXT, city_name=settings.city_name, phone=phone)
    hours = settings.inquiry_hours.strip()
    if language:
        line = f"{settings.city_name}\n{phone}"
    said = [fixed_text(settings, language, texts.CALL_TEXT, AFTER_HOURS_TEXT), line]
    if hours:
        said.append(hours if language else messages.fill(HOURS_TEXT, hours=hours))
    body = FlexBox(
        layout="vertical",
        spacing="md",
        padding_all="lg",
        contents=[
            FlexText(text=text, size="lg" if i else "md", wrap=True, weight="bold" if i else None)
            for i, text in enumerate(said)
        ],
    )
    label = fixed_text(settings, language, texts.CALL, CALL_LABEL)
    button = FlexButton(
        action=URIAction(label=messages.clip(label, messages.MAX_LABEL_LENGTH), uri=uri),
        style="primary",
        height="md",
    )
    bubble = FlexBubble(
        size="giga", body=body, footer=FlexBox(layout="vertical", contents=[button])
    )
    alt = messages.clip("\n".join(said), messages.MAX_ALT_TEXT_LENGTH)
    return FlexMessage(alt_text=alt, contents=bubble)


def next_step(
    settings: BotSettings,
    categories: Sequence[str],
    maybe: Sequence[Faq],
    *,
    in_hours: bool,
    staff_source: postback.Source = postback.Source.BUTTON,
    language: str = "",
) -> tuple[list[Message], QuickReply]:
    """The messages of the next step (the nearest questions, the inquiry line after hours) and
    the quick replies for the last message of the reply (categories, 職員に相談), in the
    resident's `language` ("" Japanese)."""
    shown: list[Message] = []
    nearest = maybe_faqs(maybe)
    if nearest:
        title = fixed_text(settings, language, texts.CHOICES, MAYBE_TITLE)
        shown.append(
            messages.question_list(title, nearest, source=messages.CHOICE_SOURCE, language=language)
        )
    call = None if in_hours else call_message(settings, language)
    if call is not None:
        shown.append(call)
    quick = messages.category_quick_reply(
        categories, staff_source=staff_source, settings=settings, language=language
    )
    return shown, quick


def not_found_messages(
    settings: BotSettings, categories: Sequence[str], maybe: Sequence[Faq], *, in_hours: bool
) -> list[Message]:
    """The kind "not found" (設定's 回答なしメッセージ), then the next step."""
    steps, quick = next_step(settings, categories, maybe, in_hours=in_hours)
    said = messages.text_message(settings.no_answer_message)
    return replies.with_quick_reply([said, *steps], quick)


def unhelpful_messages(
    settings: BotSettings,
    categories: Sequence[str],
    others: Sequence[Faq],
    *,
    in_hours: bool,
    language: str = "",
) -> list[Message]:
    """Thanks for 「役に立たなかった」, then the same next step (the other questions that search
    showed as the nearest), in the resident's `language`."""
    steps, quick = next_step(
        settings,
        categories,
        others,
        in_hours=in_hours,
        staff_source=postback.Source.FEEDBACK,
        language=language,
    )
    return replies.feedback_messages(False, steps, quick, settings=settings, language=language)
