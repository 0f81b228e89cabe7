"""Handing a conversation to staff, and giving it back.

Only the conversations that need a person reach a person: typed requests, the "職員に相談"
buttons, and one offer after two unanswered questions in a row. While a resident is with staff,
their rich menu is the small 職員対応中 one; what they write goes to staff (the first message is
acknowledged once, then the bot is quiet while staff may be answering), what they tap is still
answered. "AIに戻る", "もどる", "もういいです" and the like, or the time-out, give the conversation
back to the bot.

The bot cannot see staff's replies (they answer in LINE Official Account Manager), so the only
signals of whether staff may be answering are the office hours and the time since the hand-over
started. In office hours the bot stays silent for STAFF_QUIET_MINUTES after the hand-over
started, so its lines do not come between staff's answers while staff are most likely to be
writing; after that, and at once outside office hours (staff cannot be answering then), every
further message gets one short line: the message reached staff, and the way back.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime, timedelta
from functools import lru_cache

from madoguchi.adapters.conversation_state import KEEP_SECONDS
from madoguchi.adapters.mail_ledger import MailLedger
from madoguchi.adapters.notifier import Notifier
from madoguchi.clock import JST
from madoguchi.conversation.best_effort_state import BestEffortState
from madoguchi.conversation.log import ConversationLog
from madoguchi.conversation.turns import MenuSwitch, Session, Turn, TurnKind, turn
from madoguchi.handover import replies
from madoguchi.handover.notification import (
    MAILS_PER_HOUR,
    DigestNotice,
    HandoverNotice,
    digest_body,
    digest_subject,
    notice_body,
    notice_subject,
    skipped_line,
)
from madoguchi.handover.office_hours import OfficeHours, OfficeHoursError, parse_office_hours
from madoguchi.model import BotSettings
from madoguchi.searchlog import model as log_model

logger = logging.getLogger(__name__)

NO_ANSWERS_BEFORE_OFFER = 2
RECENT_QUESTIONS = 5
MIN_TIMEOUT_MINUTES = 5
# Staff usually answer a hand-over in office hours within this; later messages are answered.
STAFF_QUIET_MINUTES = 10


@lru_cache(maxsize=8)
def office_hours_of(text: str, closed_days: tuple[str, ...]) -> OfficeHours:
    """Parsed office hours; text the validator should have refused falls back to the default."""
    try:
        return parse_office_hours(text, closed_days)
    except OfficeHoursError:
        logger.warning("office hours in the workbook are not readable; using the default")
        return parse_office_hours(BotSettings.office_hours, ())


def settings_office_hours(settings: BotSettings) -> OfficeHours:
    """The office hours the 設定 sheet gives."""
    return office_hours_of(settings.office_hours, tuple(settings.closed_days))


# The office hours to use for a workbook's settings; the local preview passes its own to let
# staff try the after-hours replies during the day.
OfficeHoursFor = Callable[[BotSettings], OfficeHours]


def timeout_minutes(settings: BotSettings) -> int:
    """How long a hand-over lasts without messages."""
    return max(MIN_TIMEOUT_MINUTES, int(settings.handover_timeout_minutes or 0))


def _in_language(started: Turn, language: str) -> Turn:
    """The hand-over's turn with its language: the webhook links the 職員対応中 menu in it and
    remembers it, so the resident's own menu in that language comes back after the hand-over."""
    return replace(started, menu_language=language) if language and started.menu else started


@dataclass
class HandoverDesk:
    """The "with staff" mode of one resident: start, hold, end, time-out, and the offer."""

    state: BestEffortState
    log: ConversationLog
    notifier: Notifier | None = None
    office_hours: OfficeHoursFor = field(default=settings_office_hours)
    # Which hand-over mails went out (state table): one per resident per hand-over, and at most
    # MAILS_PER_HOUR an hour, then one digest. None: every hand-over is mailed.
    mail_ledger: MailLedger | None = None
    mails_per_hour: int = MAILS_PER_HOUR

    def start(self, session: Session, token: str | None, source: str, language: str = "") -> Turn:
        """Hand the conversation to staff and tell them; a second request only reassures.
        `language`: the resident's ("" Japanese), which every reply of the hand-over speaks."""
        if session.with_staff:
            self.state.extend_mode(session.user, self._until(session))
            still = replies.still_with_staff_messages(session.settings, language)
            return _in_language(turn(TurnKind.STAFF, token, still, menu=MenuSwitch.STAFF), language)
        settings = session.settings
        moment, in_hours, next_opening = self._hours(session)
        kept = self.state.set_mode(session.user, int(session.now), self._until(session))
        self.log.event(log_model.HANDOVER, session, detail={"source": source, "in_hours": in_hours})
        self._notify(session, moment, in_hours, next_opening, source)
        messages = replies.handover_messages(settings, in_hours, next_opening, language)
        # Staff are told either way; but a hand-over the store did not keep is forgotten at the
        # next message, which the bot answers, so the 職員対応中 menu would only mislead.
        started = turn(TurnKind.STAFF, token, messages, menu=MenuSwitch.STAFF if kept else None)
        return _in_language(started, language)

    def hold(self, session: Session, token: str | None, language: str = "") -> Turn:
        """A message written to staff: counted, the time-out restarts; the first one gets one
        short acknowledgement, the others silence while staff may be answering (in office hours,
        STAFF_QUIET_MINUTES from the start), then a short line with the way back."""
        self.log.event(log_model.HANDOVER_MESSAGE, session)
        written = self.state.note_staff_message(session.user, self._until(session))
        _, in_hours, next_opening = self._hours(session)
        if written == 1:
            received = replies.received_messages(in_hours, next_opening, session.settings, language)
            return turn(TurnKind.WITH_STAFF, token, received)
        quiet_until = session.stored.mode_since + STAFF_QUIET_MINUTES * 60
        if in_hours and session.now < quiet_until:
            return Turn(TurnKind.WITH_STAFF)
        waiting = replies.waiting_messages(in_hours, next_opening, session.settings, language)
        return turn(TurnKind.WITH_STAFF, token, waiting)

    def keep(self, session: Session) -> None:
        """A message staff will read, though the bot answered it (a resident in danger): the
        hand-over's time-out restarts as for any message to staff."""
        self.state.extend_mode(session.user, self._until(session))

    def end(self, session: Session, token: str | None, language: str = "") -> Turn:
        """Back to automatic answers, and to the menu everyone sees."""
        if not session.stored.mode_until:
            # Nothing to end; the 職員対応中 menu may still be there (a hand-over forgotten long
            # ago), and removing a menu that is not there is harmless.
            already = replies.already_with_bot_messages(session.settings, language)
            return turn(TurnKind.HANDOVER_END, token, already, menu=MenuSwitch.DEFAULT)
        # As at the start: say what the store kept. A refused clear is retried as a write that
        # ends the hand-over at its start (after_timeout then tells it from a time-out); if that
        # is refused too, the resident is told so, keeps the 職員対応中 menu and its button, and
        # what they write still reaches staff and is answered as such.
        stored = session.stored
        if not self.state.clear_mode(session.user, ended_at=stored.mode_since):
            not_switched = replies.not_switched_messages(session.settings, language)
            return turn(TurnKind.WITH_STAFF, token, not_switched)
        ended = replies.end_messages(session.settings, stored.staff_messages > 0, language)
        return turn(TurnKind.HANDOVER_END, token, ended, menu=MenuSwitch.DEFAULT)

    def after_timeout(self, answered: Turn, session: Session, language: str = "") -> Turn:
        """The first turn after a hand-over timed out says the bot is answering again and gives
        the resident the usual menu back."""
        stored = session.stored
        if not stored.mode_until or session.with_staff:
            return answered
        self.state.clear_mode(session.user)
        back = replace(answered, menu=MenuSwitch.DEFAULT)
        if back.reply is None or stored.mode_until <= stored.mode_since:
            return back  # ended on request (its clear was refused): nothing timed out
        wrote = session.stored.staff_messages > 0
        notice = replies.timed_out_messages(wrote, session.settings, language)
        return back.with_messages([*notice, *back.reply.messages])

    def offer(self, unanswered: Turn, streak: int) -> Turn:
        """On the NO_ANSWERS_BEFORE_OFFER-th search in a row that found nothing, offer staff
        once (the not-found message always has its 職員に相談 button besides)."""
        if streak != NO_ANSWERS_BEFORE_OFFER or unanswered.reply is None:
            return unanswered
        return unanswered.with_messages(replies.with_staff_offer(unanswered.reply.messages))

    def _hours(self, session: Session) -> tuple[datetime, bool, datetime | None]:
        """The moment, whether staff are in, and when they are next in if not."""
        moment = datetime.fromtimestamp(session.now, UTC)
        hours = self.office_hours(session.settings)
        in_hours = hours.is_open(moment)
        return moment, in_hours, None if in_hours else hours.next_opening(moment)

    def _until(self, session: Session) -> int:
        # The state item lives KEEP_SECONDS after each write; a longer hand-over would vanish.
        return int(session.now) + min(timeout_minutes(session.settings) * 60, KEEP_SECONDS)

    def _notify(
        self,
        session: Session,
        moment: datetime,
        in_hours: bool,
        next_opening: datetime | None,
        source: str,
    ) -> None:
        if self.notifier is None:
            return
        notice = HandoverNotice(
            user=session.user,
            at=moment,
            in_office_hours=in_hours,
            next_opening=next_opening,
            source=source,
            recent_questions=self.log.recent_queries(session.user, RECENT_QUESTIONS),
            timeout_minutes=timeout_minutes(session.settings),
            city_name=session.settings.city_name,
        )
        try:
            mail = self._mail_to_send(session, moment, notice)
            if mail is not None:
                self.notifier.notify(*mail)
        except Exception as error:
            # The resident is told staff will answer; a failed mail must not lose the reply.
            logger.error("staff notification failed", extra={"error": type(error).__name__})

    def _mail_to_send(
        self, session: Session, moment: datetime, notice: HandoverNotice
    ) -> tuple[str, str] | None:
        """The mail for this hand-over: the notice, the hour's digest, or none (this resident
        was mailed about during this hand-over, or the hour's digest went out already)."""
        body = notice_body(notice)
        if self.mail_ledger is None:
            return notice_subject(notice), body
        try:
            # Held for the hand-over's length: asking again, or AIに戻る and asking again, in
            # that time is the same hand-over for staff, who already have this resident's mail.
            if not self.mail_ledger.claim_resident(
                session.user, self._until(session) - int(session.now)
            ):
                logger.info("hand-over mail already sent for this resident")
                return None
            hour = moment.astimezone(JST)
            count = self.mail_ledger.count_hour(hour.strftime("%Y-%m-%dT%H"))
            if count == 1:
                before = (hour - timedelta(hours=1)).strftime("%Y-%m-%dT%H")
                skipped = self.mail_ledger.hour_count(before) - self.mails_per_hour
                if skipped > 0:
                    body = f"{skipped_line(skipped)}\n\n{body}"
        except Exception as error:
            # Without the ledger, a mail too many beats a hand-over nobody hears of.
            logger.warning("mail ledger unavailable", extra={"error": type(error).__name__})
            return notice_subject(notice), body
        if count <= self.mails_per_hour:
            return notice_subject(notice), body
        if count == self.mails_per_hour + 1:
            digest = DigestNotice(moment, session.settings.city_name, self.mails_per_hour)
            return digest_subject(digest), digest_body(digest)
        logger.info("hand-over mail left to the hour's digest")
        return None
