"""Handing a conversation to staff, and giving it back.

Only the conversations that need a person reach a person: typed requests, the "職員に相談"
buttons, and an offer after two unanswered questions in a row. While a resident is with staff the
bot stays silent; "AIに戻る" or the time-out gives the conversation back to the bot.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import UTC, datetime
from functools import lru_cache

from madoguchi.adapters.conversation_state import KEEP_SECONDS, ConversationState
from madoguchi.adapters.notifier import Notifier
from madoguchi.conversation.log import ConversationLog
from madoguchi.conversation.turns import Session, Turn, TurnKind, turn
from madoguchi.handover import replies
from madoguchi.handover.notification import HandoverNotice, notice_body, notice_subject
from madoguchi.handover.office_hours import OfficeHours, OfficeHoursError, parse_office_hours
from madoguchi.model import BotSettings
from madoguchi.searchlog import model as log_model

logger = logging.getLogger(__name__)

NO_ANSWERS_BEFORE_OFFER = 2
RECENT_QUESTIONS = 5
MIN_TIMEOUT_MINUTES = 5


@lru_cache(maxsize=8)
def office_hours_of(text: str, closed_days: tuple[str, ...]) -> OfficeHours:
    """Parsed office hours; text the validator should have refused falls back to the default."""
    try:
        return parse_office_hours(text, closed_days)
    except OfficeHoursError:
        logger.warning("office hours in the workbook are not readable; using the default")
        return parse_office_hours(BotSettings.office_hours, ())


def timeout_minutes(settings: BotSettings) -> int:
    """How long a hand-over lasts without messages."""
    return max(MIN_TIMEOUT_MINUTES, int(settings.handover_timeout_minutes or 0))


@dataclass
class HandoverDesk:
    """The "with staff" mode of one resident: start, hold, end, time-out, and the offer."""

    state: ConversationState
    log: ConversationLog
    notifier: Notifier | None = None

    def start(self, session: Session, token: str | None, source: str) -> Turn:
        """Hand the conversation to staff and tell them; a second request only reassures."""
        if session.with_staff:
            self._extend(session)
            return turn(TurnKind.STAFF, token, replies.still_with_staff_messages())
        settings, now = session.settings, session.now
        moment = datetime.fromtimestamp(now, UTC)
        hours = office_hours_of(settings.office_hours, tuple(settings.closed_days))
        in_hours = hours.is_open(moment)
        next_opening = None if in_hours else hours.next_opening(moment)
        self.state.set_mode(session.user, int(now), self._until(session))
        self.log.event(log_model.HANDOVER, session, detail={"source": source, "in_hours": in_hours})
        self._notify(session, moment, in_hours, next_opening, source)
        messages = replies.handover_messages(settings, in_hours, next_opening)
        return turn(TurnKind.STAFF, token, messages)

    def hold(self, session: Session) -> Turn:
        """A message while staff have the conversation: counted, the time-out restarts, silence."""
        self.log.event(log_model.HANDOVER_MESSAGE, session)
        self._extend(session)
        return Turn(TurnKind.WITH_STAFF)  # a member of staff answers in the chat screen

    def end(self, session: Session, token: str | None) -> Turn:
        """Back to automatic answers."""
        self.state.clear_mode(session.user)
        return turn(TurnKind.HANDOVER_END, token, replies.end_messages(session.settings))

    def after_timeout(self, answered: Turn, session: Session) -> Turn:
        """The first turn after a hand-over timed out says the bot is answering again."""
        if not session.stored.mode_until or session.with_staff:
            return answered
        self.state.clear_mode(session.user)
        if answered.reply is None:
            return answered
        notice = replies.end_messages(session.settings)
        return answered.with_messages([*notice, *answered.reply.messages])

    def offer(self, unanswered: Turn, streak: int) -> Turn:
        """After NO_ANSWERS_BEFORE_OFFER searches in a row found nothing, offer staff."""
        if streak < NO_ANSWERS_BEFORE_OFFER or unanswered.reply is None:
            return unanswered
        return unanswered.with_messages(replies.with_staff_offer(unanswered.reply.messages))

    def _until(self, session: Session) -> int:
        # The state item lives KEEP_SECONDS after each write; a longer hand-over would vanish.
        return int(session.now) + min(timeout_minutes(session.settings) * 60, KEEP_SECONDS)

    def _extend(self, session: Session) -> None:
        self.state.set_mode(session.user, session.stored.mode_since, self._until(session))

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
            self.notifier.notify(notice_subject(notice), notice_body(notice))
        except Exception as error:
            # The resident is told staff will answer; a failed mail must not lose the reply.
            logger.error("staff notification failed", extra={"error": type(error).__name__})
