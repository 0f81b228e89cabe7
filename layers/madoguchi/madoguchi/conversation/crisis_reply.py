"""The reply to a resident who may be in danger, before anything else and in any mode.

A short warm message, the phone lines that fit as tap-to-call buttons (110/119 first for immediate
danger), and staff: in office hours the offer to talk here (the hand-over, marked urgent), out of
hours when staff are back. Staff get a mail at most once an hour per resident; the search log
keeps the kinds of danger, never the words.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime

from linebot.v3.messaging import (
    FlexBox,
    FlexBubble,
    FlexButton,
    FlexComponent,
    FlexMessage,
    FlexSeparator,
    FlexText,
    Message,
    QuickReply,
    QuickReplyItem,
    URIAction,
)

from madoguchi.adapters.notifier import Notifier
from madoguchi.clock import Clock, system_clock
from madoguchi.conversation.best_effort_state import BestEffortState
from madoguchi.conversation.handover import OfficeHoursFor, settings_office_hours
from madoguchi.conversation.log import ConversationLog
from madoguchi.conversation.turns import Session, Turn, TurnKind, turn
from madoguchi.crisis.kinds import CrisisKind
from madoguchi.crisis.lines import call_label, lines_for, tel_uri
from madoguchi.crisis.notification import (
    ALERT_EVERY_SECONDS,
    CrisisNotice,
    crisis_body,
    crisis_subject,
)
from madoguchi.handover.office_hours import format_moment_ja
from madoguchi.language import texts
from madoguchi.line import messages, postback
from madoguchi.model import BotSettings, ConsultationLine
from madoguchi.searchlog import model as log_model

logger = logging.getLogger(__name__)

LINES_TITLE = "いま電話で話せる窓口"
LINK_LABEL = "くわしく見る"
_CALL_COLOR = "#0B7A3E"  # a calm green: the one thing to press
_MUTED = "#555555"

# The first words, by the most urgent kind: warm, short, no lecture.
OPENINGS: dict[CrisisKind, str] = {
    CrisisKind.DANGER: (
        "いま危ない状況でしたら、すぐに 110番（警察）か 119番（救急・火事）に電話してください。"
        "下のボタンを押すと電話がかかります。"
    ),
    CrisisKind.SUICIDE: (
        "メッセージを送ってくださって、ありがとうございます。とてもつらいのですね。"
        "ひとりで抱えこまずに、いま話を聞いてくれる人に電話してみませんか。"
    ),
    CrisisKind.CHILD_ABUSE: (
        "話してくださって、ありがとうございます。あなたは悪くありません。"
        "子どものことで心配なとき、つらいときに、いま相談できる電話があります。"
    ),
    CrisisKind.DV: (
        "話してくださって、ありがとうございます。あなたは悪くありません。"
        "あなたの安全のために、いま相談できる電話があります。"
    ),
    CrisisKind.STALKING: (
        "こわい思いをされているのですね。話してくださって、ありがとうございます。"
        "身の危険を感じたら、すぐに 110番 に電話してください。ほかにも相談できる電話があります。"
    ),
    CrisisKind.BULLYING: (
        "話してくださって、ありがとうございます。あなたは悪くありません。"
        "ひとりで抱えこまずに、いま話を聞いてくれる人に電話してみませんか。"
    ),
    CrisisKind.BASIC_NEEDS: (
        "大変な状況なのですね。話してくださって、ありがとうございます。"
        "食べることや今夜の寝る場所のことも、相談できます。"
    ),
}
STAFF_IN_HOURS_TEXT = (
    "{city_name}の職員と、このトークで話すこともできます。下の「{label}」を押してください。"
)
STAFF_AFTER_HOURS_TEXT = (
    "いまは{city_name}の職員の受付時間外です。"
    "職員は {next_opening} から、このトークでお返事できます。"
    "それまでは、上の窓口に電話してください。"
)
STAFF_NO_HOURS_TEXT = (
    "いまは{city_name}の職員の受付時間外です。職員は次の受付時間に、このトークでお返事できます。"
    "それまでは、上の窓口に電話してください。"
)
WITH_STAFF_TEXT = (
    "このトークは{city_name}の職員にもつながっています。職員が確認して、ここでお返事します。"
)
WITH_STAFF_AFTER_HOURS_TEXT = (
    "このトークは{city_name}の職員にもつながっています。職員は {next_opening} から確認して、"
    "ここでお返事します。それまでは、上の窓口に電話してください。"
)


def opening_text(
    kinds: Sequence[CrisisKind], settings: BotSettings | None = None, language: str = ""
) -> str:
    """The first message, for the most urgent kind. For a resident of another language, a short
    opening in it comes first (with 110 / 119 in words for immediate danger), then the Japanese
    one, which the people around the resident and the lines' staff can read."""
    japanese = OPENINGS[kinds[0]] if kinds else OPENINGS[CrisisKind.SUICIDE]
    if not language:
        return japanese
    settings = settings or BotSettings()
    said = [texts.said(settings, language, texts.CRISIS)]
    if set(kinds) & {CrisisKind.DANGER, CrisisKind.STALKING, CrisisKind.DV}:
        said.insert(0, texts.said(settings, language, texts.CRISIS_DANGER))
    return "\n".join(said) + "\n\n" + japanese


def _line_box(line: ConsultationLine) -> FlexBox:
    """One line: its name, its hours, the button that dials it (and its page, if any)."""
    contents: list[FlexComponent] = [
        FlexText(text=line.name, size="md", weight="bold", wrap=True, scaling=True),
    ]
    if line.hours:
        contents.append(FlexText(text=line.hours, size="sm", color=_MUTED, wrap=True, scaling=True))
    contents.append(
        FlexButton(
            style="primary",
            color=_CALL_COLOR,
            height="sm",
            margin="sm",
            action=URIAction(label=call_label(line.phone), uri=tel_uri(line.phone)),
            scaling=True,
        )
    )
    # The 相談窓口 sheet left out a link that would not open; a default has none. (The webhook
    # does not import the workbook package: openpyxl would only slow its cold start.)
    if line.url.startswith(("https://", "http://")):
        contents.append(
            FlexButton(
                style="link",
                height="sm",
                action=URIAction(label=LINK_LABEL, uri=line.url),
                scaling=True,
            )
        )
    return FlexBox(layout="vertical", spacing="xs", contents=contents)


def lines_message(
    lines: Sequence[ConsultationLine], settings: BotSettings | None = None, language: str = ""
) -> FlexMessage:
    """One bubble listing the lines, each with a tap-to-call button; the alt text (notifications,
    screen readers, old phones) carries every name, number and hours. The lines' names stay as
    the city and the nation write them; the title is in the resident's `language`."""
    title = messages.fixed_text(settings, language, texts.LINES_TITLE, LINES_TITLE)
    body: list[FlexComponent] = [
        FlexText(text=title, size="lg", weight="bold", wrap=True, scaling=True)
    ]
    for line in lines:
        body.append(FlexSeparator(margin="md"))
        body.append(_line_box(line))
    bubble = FlexBubble(
        size="giga",
        body=FlexBox(layout="vertical", spacing="md", contents=body, padding_all="lg"),
    )
    spoken = " / ".join(
        f"{line.name} {line.phone}" + (f"（{line.hours}）" if line.hours else "") for line in lines
    )
    alt_text = messages.clip(f"{title}：{spoken}", messages.MAX_ALT_TEXT_LENGTH)
    return FlexMessage(alt_text=alt_text, contents=bubble)


def staff_quick_reply(settings: BotSettings | None = None, language: str = "") -> QuickReply:
    """One button: talk to staff here (the hand-over, marked urgent)."""
    action = postback.AskStaff(postback.Source.CRISIS, language)
    label = messages.fixed_text(settings, language, texts.STAFF, messages.STAFF_LABEL)
    return QuickReply(items=[QuickReplyItem(action=messages.postback_action(label, action, label))])


def staff_message(
    city_name: str,
    *,
    in_hours: bool,
    next_opening: datetime | None,
    with_staff: bool,
    settings: BotSettings | None = None,
    language: str = "",
) -> Message:
    """What staff here can do: talk now, when they are back, or that they already have it."""
    if language:
        return _staff_message_in(
            settings or BotSettings(city_name=city_name),
            language,
            in_hours=in_hours,
            next_opening=next_opening,
            with_staff=with_staff,
        )
    fill = {"city_name": city_name, "label": messages.STAFF_LABEL}
    when = format_moment_ja(next_opening) if next_opening else ""
    if with_staff:
        template = WITH_STAFF_TEXT if in_hours or not when else WITH_STAFF_AFTER_HOURS_TEXT
        return messages.text_message(messages.fill(template, next_opening=when, **fill))
    if in_hours:
        text = messages.fill(STAFF_IN_HOURS_TEXT, **fill)
    elif when:
        text = messages.fill(STAFF_AFTER_HOURS_TEXT, next_opening=when, **fill)
    else:
        text = messages.fill(STAFF_NO_HOURS_TEXT, **fill)
    # Out of hours too: a hand-over asked for now is the first thing staff see when back.
    return messages.text_message(text, staff_quick_reply())


def _staff_message_in(
    settings: BotSettings,
    language: str,
    *,
    in_hours: bool,
    next_opening: datetime | None,
    with_staff: bool,
) -> Message:
    """staff_message in the resident's language."""
    if with_staff:
        return messages.text_message(texts.said(settings, language, texts.CRISIS_WITH_STAFF))
    if in_hours:
        staff = texts.said(settings, language, texts.STAFF)
        text = texts.said(settings, language, texts.CRISIS_STAFF, staff=staff)
    else:
        when = texts.moment_text(next_opening, language) if next_opening else settings.office_hours
        text = texts.said(settings, language, texts.CRISIS_AFTER_HOURS, next_opening=when)
    return messages.text_message(text, staff_quick_reply(settings, language))


def crisis_messages(
    kinds: Sequence[CrisisKind],
    city_lines: Sequence[ConsultationLine],
    city_name: str,
    *,
    in_hours: bool,
    next_opening: datetime | None,
    with_staff: bool = False,
    settings: BotSettings | None = None,
    language: str = "",
) -> list[Message]:
    """The three messages: the opening, the lines, and staff (in the resident's `language`,
    the national and city lines as they are)."""
    return [
        messages.text_message(opening_text(kinds, settings, language)),
        lines_message(lines_for(kinds, city_lines), settings, language),
        staff_message(
            city_name,
            in_hours=in_hours,
            next_opening=next_opening,
            with_staff=with_staff,
            settings=settings,
            language=language,
        ),
    ]


@dataclass
class CrisisDesk:
    """Answers a resident who may be in danger, and tells staff."""

    state: BestEffortState | None
    log: ConversationLog
    notifier: Notifier | None = None
    office_hours: OfficeHoursFor = settings_office_hours
    clock: Clock = system_clock  # "now" when there is no session (no state store)

    def answer(
        self,
        kinds: Sequence[CrisisKind],
        token: str | None,
        settings: BotSettings,
        city_lines: Sequence[ConsultationLine],
        session: Session | None,
        *,
        with_staff: bool = False,
        also: Sequence[Message] = (),
        language: str = "",
    ) -> Turn:
        """The reply (with `also`, e.g. the answer to a question asked in the same message),
        the log record and, once an hour per resident, the staff mail."""
        now = session.now if session is not None else self.clock()
        moment = datetime.fromtimestamp(now, UTC)
        hours = self.office_hours(settings)
        in_hours = hours.is_open(moment)
        next_opening = None if in_hours else hours.next_opening(moment)
        reply = crisis_messages(
            kinds,
            city_lines,
            settings.city_name,
            in_hours=in_hours,
            next_opening=next_opening,
            with_staff=with_staff,
            settings=settings,
            language=language,
        )
        reply = [*reply, *also][: messages.MAX_MESSAGES]
        if session is not None:
            detail = {"kinds": [k.value for k in kinds], "in_hours": in_hours}
            detail["with_staff"] = with_staff
            self.log.event(log_model.CRISIS, session, detail=detail)
            notice = CrisisNotice(
                session.user,
                moment,
                tuple(kinds),
                in_hours,
                next_opening,
                with_staff,
                settings.city_name,
            )
            self._notify(session, notice)
        return turn(TurnKind.CRISIS, token, reply)

    def _notify(self, session: Session, notice: CrisisNotice) -> None:
        if self.notifier is None or self.state is None:
            return
        if not self.state.claim_crisis_alert(session.user, ALERT_EVERY_SECONDS):
            return  # staff were told within the hour; the chat shows them the rest
        try:
            self.notifier.notify(crisis_subject(notice), crisis_body(notice))
        except Exception as error:
            # The resident already has the lines; a failed mail must not lose the reply.
            logger.error("crisis notification failed", extra={"error": type(error).__name__})
