"""Build the LINE messages residents see: large, plain, and always within LINE's limits."""

from __future__ import annotations

from collections.abc import Sequence

from linebot.v3.messaging import (
    FlexBox,
    FlexBubble,
    FlexButton,
    FlexMessage,
    FlexText,
    Message,
    PostbackAction,
    QuickReply,
    QuickReplyItem,
    TextMessage,
    URIAction,
)

from madoguchi.language import texts
from madoguchi.line import postback
from madoguchi.model import BotSettings, Department, Faq

# LINE's limits for the parts Madoguchi uses.
MAX_MESSAGES = 5
MAX_TEXT_LENGTH = 5000
MAX_QUICK_REPLY_ITEMS = 13
MAX_LABEL_LENGTH = 20
MAX_DISPLAY_TEXT_LENGTH = 300
MAX_ALT_TEXT_LENGTH = 400
MAX_CAROUSEL_BUBBLES = 12

MORE_CANDIDATES = 3  # the best answer plus three more: few choices, each one tap
CATEGORY_PAGE_SIZE = 12
QUESTION_SHOWN_LENGTH = 120  # keeps a list bubble well under LINE's size limit

CHOICES_TITLE = "次のどれが近いですか？"
CHOICE_SOURCE = postback.Source.CHOICE  # ShowFaq.source of a FAQ opened from the choices
STAFF_LABEL = "職員に相談"  # the same words as the menu button, everywhere
MORE_CATEGORIES_LABEL = "ほかの分野"
CHOOSE_CATEGORY_TEXT = "分野を選んでください。下のボタンから選べます。"
UNKNOWN_CATEGORY_TEXT = "その分野は見つかりませんでした。下のボタンから分野を選んでください。"
UNKNOWN_FAQ_TEXT = (
    "このご質問は、いまはご案内していません。知りたいことを、ふだんの言葉で送ってください。"
)
NOT_READY_TEXT = (
    "ただいま準備中のため、お答えできません。しばらくしてから、もう一度送ってください。"
)

_LINK_COLOR = "#0B4F9C"  # dark blue on a pale background: high contrast for older eyes
_MUTED_COLOR = "#444444"  # 9.7:1 on white
CONTACT_TITLE = "お問い合わせ先"
PAGE_LABEL = "ホームページを見る"
_ROW_BACKGROUND = "#EAF2FB"


def clip(text: str, limit: int) -> str:
    """Shorten text to at most `limit` characters, marking the cut with an ellipsis."""
    text = text.strip()
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def fill(template: str, **values: str) -> str:
    """Fill `{name}` placeholders staff wrote, leaving any other braces as they are."""
    for name, value in values.items():
        template = template.replace("{" + name + "}", value)
    return template


def fixed_text(
    settings: BotSettings | None, language: str, key: str, japanese: str, **values: str
) -> str:
    """A fixed text in the resident's language (madoguchi.language.texts), or `japanese`
    (already filled) when the conversation is in Japanese."""
    if not language:
        return japanese
    return texts.said(settings or BotSettings(), language, key, **values)


def text_message(text: str, quick_reply: QuickReply | None = None) -> TextMessage:
    """One text message, clipped to LINE's 5,000 characters."""
    return TextMessage(text=clip(text, MAX_TEXT_LENGTH) or "…", quick_reply=quick_reply)


def answer_text(
    faq: Faq, settings: BotSettings | None = None, language: str = "", note: str = ""
) -> str:
    """The answer as residents read it: the question as a title, the answer, then where to ask
    (the frame in the resident's `language`; `note` under the title, e.g. "only in Japanese")."""
    head = f"■ {faq.question.strip()}\n\n" + (f"{note}\n\n" if note else "")
    tail = ""
    if faq.department.strip():
        contact = fixed_text(settings, language, texts.CONTACT, "お問い合わせ先")
        tail += f"\n\n{contact}：{faq.department.strip()}"
    if faq.url.strip():
        more = fixed_text(settings, language, texts.MORE_INFO, "くわしくはこちら")
        tail += f"\n\n{more}\n{faq.url.strip()}"
    room = MAX_TEXT_LENGTH - len(head) - len(tail)
    if room < 100:  # a pathological title or URL: keep the answer, let clip() trim the end
        return clip(head + faq.answer.strip() + tail, MAX_TEXT_LENGTH)
    return head + clip(faq.answer, room) + tail


def postback_action(label: str, action: postback.Postback, display_text: str) -> PostbackAction:
    """A tap sending `action` back, showing `display_text` in the chat as the resident's words."""
    return PostbackAction(
        label=clip(label, MAX_LABEL_LENGTH),
        data=postback.encode(action),
        display_text=clip(display_text, MAX_DISPLAY_TEXT_LENGTH),
    )


def _text(text: str, size: str, **style: str) -> FlexText:
    """Flex text that grows with the phone's font size setting (`scaling`), as text messages do:
    older residents set it large, and a fixed size would ignore them."""
    return FlexText(text=text, size=size, wrap=True, scaling=True, **style)


def _row(text: str, action: PostbackAction) -> FlexBox:
    """One large tappable row; the whole row is the button, so it is easy to hit."""
    return FlexBox(
        layout="vertical",
        contents=[_text(text, "lg", color=_LINK_COLOR, weight="bold")],
        action=action,
        padding_all="lg",
        background_color=_ROW_BACKGROUND,
        corner_radius="md",
    )


def _faq_row(faq: Faq, source: postback.Source, language: str = "") -> FlexBox:
    question = clip(faq.question, QUESTION_SHOWN_LENGTH)
    action = postback_action(question, postback.ShowFaq(faq.id, source, language), question)
    return _row(f"▶ {question}", action)


def question_list(
    title: str,
    faqs: Sequence[Faq],
    *,
    source: postback.Source,
    next_page: postback.Postback | None = None,
    quick_reply: QuickReply | None = None,
    more: str = "つぎのご質問を見る ▶",
    more_label: str = "つぎへ",
    language: str = "",
) -> FlexMessage:
    """A single bubble listing questions, each one tap; optional "next" row (`more`) at the
    bottom.

    `source` goes into each row's postback, so the staff report knows which list was used;
    `language` too, so a tapped answer comes in the resident's language where translated.
    """
    rows: list[FlexBox | FlexText] = [_text(title, "lg", weight="bold")]
    shown: list[str] = []
    for faq in faqs:
        try:
            rows.append(_faq_row(faq, source, language))
        except postback.PostbackTooLong:
            continue  # an absurdly long ID cannot be tapped; the other rows still can
        shown.append(clip(faq.question, 60))
    if next_page is not None:
        rows.append(_row(more, postback_action(more_label, next_page, more_label)))
    bubble = FlexBubble(
        size="giga",
        body=FlexBox(layout="vertical", spacing="md", contents=rows, padding_all="lg"),
    )
    alt_text = clip(f"{title}：" + " / ".join(shown), MAX_ALT_TEXT_LENGTH)
    return FlexMessage(alt_text=alt_text, contents=bubble, quick_reply=quick_reply)


def contact_message(
    faq: Faq, department: Department, settings: BotSettings | None = None, language: str = ""
) -> FlexMessage:
    """Where to ask about an answer: the department, its hours and place, and buttons that call
    it (tel:) and open its page. Said in full in the alt text, which screen readers read.
    In another `language` the title and buttons are in it; the department's own words stay."""
    title = fixed_text(settings, language, texts.CONTACT, CONTACT_TITLE)
    rows: list[FlexText] = [
        _text(title, "md", color=_MUTED_COLOR),
        _text(department.name, "lg", weight="bold"),
    ]
    if department.hours:
        # In another language the city's own words stand alone, without a Japanese label.
        rows.append(_text(department.hours if language else f"受付時間：{department.hours}", "md"))
    if department.place:
        rows.append(_text(department.place if language else f"場所：{department.place}", "md"))
    buttons: list[FlexButton] = []
    if department.dial:
        call = fixed_text(settings, language, texts.CALL, "電話する")
        label = clip(f"{call} {department.phone}", MAX_LABEL_LENGTH)
        call = URIAction(label=label, uri=f"tel:{department.dial}")
        buttons.append(FlexButton(action=call, style="primary", color=_LINK_COLOR, scaling=True))
    if department.url:
        page_label = fixed_text(settings, language, texts.MORE_INFO, PAGE_LABEL)
        page = URIAction(label=clip(page_label, MAX_LABEL_LENGTH), uri=department.url)
        buttons.append(FlexButton(action=page, style="secondary", scaling=True))
    bubble = FlexBubble(
        size="giga",
        body=FlexBox(layout="vertical", spacing="sm", contents=rows, padding_all="lg"),
        footer=FlexBox(layout="vertical", spacing="sm", contents=buttons) if buttons else None,
    )
    said = [f"{title}：{department.name}"]
    said += [f"電話 {department.phone}"] if department.phone else []
    said += [f"受付時間 {department.hours}"] if department.hours else []
    alt_text = clip(f"「{faq.question.strip()}」の" + "、".join(said), MAX_ALT_TEXT_LENGTH)
    return FlexMessage(alt_text=alt_text, contents=bubble)


def answer_messages(
    faq: Faq,
    others: Sequence[Faq],
    settings: BotSettings,
    department: Department | None = None,
) -> list[Message]:
    """The best answer as text at once, its department's contact when the 担当課 sheet has it,
    then up to three more questions one tap away."""
    messages: list[Message] = [text_message(answer_text(faq))]
    if department is not None and (department.dial or department.url):
        messages.append(contact_message(faq, department))
    candidates = list(others)[:MORE_CANDIDATES]
    if candidates:
        label = settings.more_candidates_label
        messages.append(question_list(label, candidates, source=postback.Source.CANDIDATE))
    return messages


def _quick_item(label: str, action: postback.Postback, display_text: str) -> QuickReplyItem:
    return QuickReplyItem(action=postback_action(label, action, display_text))


def category_quick_reply(
    categories: Sequence[str],
    page: int = 1,
    staff_source: postback.Source = postback.Source.BUTTON,
    *,
    settings: BotSettings | None = None,
    language: str = "",
) -> QuickReply:
    """Quick replies: a page of categories, "more" when there are more, and "talk to staff"
    (`staff_source` says, in the report, what the staff button was under). In another
    `language` each button carries it, and "talk to staff" is said in it."""
    room = MAX_QUICK_REPLY_ITEMS - 1  # the last place is always "talk to staff"
    if len(categories) <= room:
        page_items, more = list(categories), False
    else:
        per_page = room - 1  # one more place for "more categories"
        if (page - 1) * per_page >= len(categories):
            page = 1  # an old "more" button after the workbook shrank: start again
        start = (page - 1) * per_page
        page_items = list(categories[start : start + per_page])
        more = start + per_page < len(categories)
    items: list[QuickReplyItem] = []
    for name in page_items:
        try:
            action = postback.ListCategory(name, source=postback.Source.BUTTON, language=language)
            items.append(_quick_item(name, action, name))
        except postback.PostbackTooLong:
            continue
    if more:
        more_action = postback.ListCategories(page + 1, language)
        items.append(_quick_item(MORE_CATEGORIES_LABEL, more_action, MORE_CATEGORIES_LABEL))
    staff = fixed_text(settings, language, texts.STAFF, STAFF_LABEL)
    items.append(_quick_item(staff, postback.AskStaff(staff_source, language), staff))
    return QuickReply(items=items)


def choice_messages(faqs: Sequence[Faq], categories: Sequence[str]) -> list[Message]:
    """No single answer: the closest questions to choose from, each opening with one tap, and
    the categories and staff below in case none of them is it."""
    choices = list(faqs)[: 1 + MORE_CANDIDATES]
    quick_reply = category_quick_reply(categories)
    return [question_list(CHOICES_TITLE, choices, source=CHOICE_SOURCE, quick_reply=quick_reply)]


def no_answer_messages(settings: BotSettings, categories: Sequence[str]) -> list[Message]:
    """The staff-written "not found" message (an apology, then what to do), with categories to
    browse and an offer of staff as quick replies."""
    return [text_message(settings.no_answer_message, category_quick_reply(categories))]


def categories_messages(
    categories: Sequence[str],
    page: int = 1,
    settings: BotSettings | None = None,
    language: str = "",
) -> list[Message]:
    """Ask the resident to pick a category."""
    said = fixed_text(settings, language, texts.CHOOSE_CATEGORY, CHOOSE_CATEGORY_TEXT)
    quick = category_quick_reply(categories, page, settings=settings, language=language)
    return [text_message(said, quick)]


def category_messages(
    name: str,
    faqs: Sequence[Faq],
    page: int = 1,
    settings: BotSettings | None = None,
    language: str = "",
) -> list[Message]:
    """The questions of one category, twelve to a page (in another `language`, `faqs` are
    already as the resident reads them, and a tapped one opens in that language)."""
    start = (page - 1) * CATEGORY_PAGE_SIZE
    page_faqs = list(faqs[start : start + CATEGORY_PAGE_SIZE])
    more = start + CATEGORY_PAGE_SIZE < len(faqs)
    next_page = postback.ListCategory(name, page + 1, language=language) if more else None
    short = clip(name, 40)
    title = fixed_text(settings, language, texts.CATEGORY, f"「{short}」のご質問", name=short)
    if page > 1:
        title += f"（{page}ページ目）" if not language else f" ({page})"
    source = postback.Source.CATEGORY
    try:
        listed = question_list(
            title, page_faqs, source=source, next_page=next_page, language=language
        )
    except postback.PostbackTooLong:  # a category name too long for a "next" button
        listed = question_list(title, page_faqs, source=source, language=language)
    return [listed]


def unknown_category_messages(
    categories: Sequence[str], settings: BotSettings | None = None, language: str = ""
) -> list[Message]:
    """A category that no longer exists, with the current ones to choose from."""
    said = fixed_text(settings, language, texts.CHOOSE_CATEGORY, UNKNOWN_CATEGORY_TEXT)
    quick = category_quick_reply(categories, settings=settings, language=language)
    return [text_message(said, quick)]


def unknown_faq_messages(
    categories: Sequence[str], settings: BotSettings | None = None, language: str = ""
) -> list[Message]:
    """A tapped FAQ that was removed since the button was sent."""
    said = fixed_text(settings, language, texts.NOT_FOUND, UNKNOWN_FAQ_TEXT)
    quick = category_quick_reply(categories, settings=settings, language=language)
    return [text_message(said, quick)]


def greeting_messages(settings: BotSettings) -> list[Message]:
    """The welcome after a resident adds the account as a friend."""
    return [text_message(fill(settings.greeting, city_name=settings.city_name))]


def unsupported_messages(settings: BotSettings, language: str = "") -> list[Message]:
    """A short, friendly hint for stickers, photos, locations and the like."""
    japanese = fill(settings.unsupported_message, city_name=settings.city_name)
    return [text_message(fixed_text(settings, language, texts.UNSUPPORTED, japanese))]


def handover_messages(settings: BotSettings) -> list[Message]:
    """The staff-written message that the conversation goes to a member of staff."""
    text = fill(settings.handover_message, city_name=settings.city_name)
    return [text_message(fill(text, office_hours=settings.office_hours))]


def not_ready_messages() -> list[Message]:
    """No index is published yet: say so kindly instead of staying silent."""
    return [text_message(NOT_READY_TEXT)]
