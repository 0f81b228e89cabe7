"""The hand-over desk in front of the conversation: staff mode, feedback and the search log.

Only the conversations that need a person reach a person: typed requests, the "職員に相談"
buttons, and an offer after two unanswered questions in a row. While a resident is with staff the
bot stays silent; "AIに戻る" or the time-out gives the conversation back to the bot.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from functools import lru_cache
from typing import Any

from linebot.v3.messaging import Message
from linebot.v3.webhooks import MessageEvent, PostbackEvent, TextMessageContent, UserSource

from madoguchi.adapters.conversation_state import KEEP_SECONDS, ConversationState
from madoguchi.adapters.notifier import Notifier
from madoguchi.adapters.search_log import SearchLog
from madoguchi.clock import Clock, system_clock
from madoguchi.handover import replies
from madoguchi.handover.notification import HandoverNotice, notice_body, notice_subject
from madoguchi.handover.office_hours import (
    OfficeHours,
    OfficeHoursError,
    parse_office_hours,
)
from madoguchi.handover.phrases import asks_for_staff, asks_to_return
from madoguchi.line import postback
from madoguchi.line.conversation import Conversation, HandoverRequest, Index, Reply, Turn
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


@dataclass
class HandoverDesk:
    """Answers one event like Conversation.respond, adding hand-over, feedback and logging."""

    state: ConversationState
    salt: Callable[[], str]  # secret for user references (SSM in the cloud)
    log: SearchLog | None = None
    notifier: Notifier | None = None
    clock: Clock = system_clock
    # The deployment's limit on keeping the log; 設定's 検索ログ保存日数 may only shorten it.
    max_retention_days: int | None = None
    conversation: Conversation = field(init=False)

    def __post_init__(self) -> None:
        self.conversation = Conversation(handover=self._handover_hook)

    # --- entry point ---------------------------------------------------------------------------

    def respond(self, event: Any, index: Index | None) -> Turn:
        """The turn for one event."""
        user_id = getattr(getattr(event, "source", None), "user_id", None)
        if (
            index is None
            or not isinstance(event, MessageEvent | PostbackEvent)
            or not isinstance(event.source, UserSource)
            or not user_id
        ):
            return self.conversation.respond(event, index)
        user = log_model.user_ref(user_id, self.salt())
        now = self.clock()
        settings = index.settings
        token = event.reply_token
        stored = self.state.load(user)
        if isinstance(event, PostbackEvent):
            return self._postback(event, index, user, stored, now)
        text = event.message.text if isinstance(event.message, TextMessageContent) else None
        if stored.with_staff(now):
            if text is not None and asks_to_return(text):
                return self._end(user, settings, token)
            self._record(log_model.HANDOVER_MESSAGE, user, now, settings)
            self.state.set_mode(user, stored.mode_since, self._until(now, settings))
            return Turn("with_staff")  # silent: a member of staff answers in the chat screen
        if text is not None and asks_for_staff(text):
            return _turn("staff", token, self._start(user, settings, now, "typed"))
        if text is not None and asks_to_return(text):
            return self._end(user, settings, token)
        turn = self.conversation.respond(event, index)
        if turn.kind in ("answer", "no_answer"):
            turn = self._after_search(turn, user, now, settings)
        return self._timed_out_notice(turn, user, stored, now, settings)

    # --- postbacks -----------------------------------------------------------------------------

    def _postback(self, event: PostbackEvent, index: Index, user: str, stored, now: float) -> Turn:
        settings = index.settings
        token = event.reply_token
        action = postback.decode(event.postback.data if event.postback else None)
        if isinstance(action, postback.BackToBot):
            return self._end(user, settings, token)
        if isinstance(action, postback.Feedback):
            self._record(
                log_model.FEEDBACK,
                user,
                now,
                settings,
                faq_id=action.faq_id,
                helpful=action.helpful,
                search_id=action.search_id if log_model.is_record_id(action.search_id) else "",
            )
            return _turn("feedback", token, replies.feedback_messages(action.helpful))
        if isinstance(action, postback.AskStaff):
            return _turn("staff", token, self._start(user, settings, now, action.source))
        turn = self.conversation.respond(event, index)
        if turn.kind == "faq" and turn.faq_id:
            search_id = ""
            if stored.last_search_id and turn.faq_id in stored.last_faq_ids:
                search_id = stored.last_search_id
                self._safely(self.log and self.log.mark_opened, search_id, turn.faq_id, user)
            turn = _with_messages(
                turn, replies.feedback_quick_reply(turn.faq_id, search_id), replies.with_quick_reply
            )
        return self._timed_out_notice(turn, user, stored, now, settings)

    # --- hand-over -----------------------------------------------------------------------------

    def _handover_hook(self, request: HandoverRequest) -> list[Message]:
        """Conversation's hand-over hook, for requests that reach it without passing respond()."""
        if not request.user_id:
            return replies.handover_messages(request.settings, True, None)
        user = log_model.user_ref(request.user_id, self.salt())
        return self._start(user, request.settings, self.clock(), "")

    def _start(self, user: str, settings: BotSettings, now: float, source: str) -> list[Message]:
        stored = self.state.load(user)
        if stored.with_staff(now):
            self.state.set_mode(user, stored.mode_since, self._until(now, settings))
            return replies.still_with_staff_messages()
        moment = datetime.fromtimestamp(now, UTC)
        hours = office_hours_of(settings.office_hours, tuple(settings.closed_days))
        in_hours = hours.is_open(moment)
        next_opening = None if in_hours else hours.next_opening(moment)
        self.state.set_mode(user, int(now), self._until(now, settings))
        self._record(
            log_model.HANDOVER,
            user,
            now,
            settings,
            detail={"source": source, "in_hours": in_hours},
        )
        self._notify(user, settings, moment, in_hours, next_opening, source)
        return replies.handover_messages(settings, in_hours, next_opening)

    def _end(self, user: str, settings: BotSettings, token: str | None) -> Turn:
        self.state.clear_mode(user)
        return _turn("handover_end", token, replies.end_messages(settings))

    def _until(self, now: float, settings: BotSettings) -> int:
        minutes = max(MIN_TIMEOUT_MINUTES, int(settings.handover_timeout_minutes or 0))
        # The state item lives KEEP_SECONDS after each write; a longer hand-over would vanish.
        return int(now) + min(minutes * 60, KEEP_SECONDS)

    def _notify(self, user, settings, moment, in_hours, next_opening, source) -> None:
        if self.notifier is None:
            return
        recent: list[str] = []
        if self.log is not None:
            try:
                recent = self.log.recent_queries(user, RECENT_QUESTIONS)
            except Exception as error:
                logger.error("recent questions unavailable", extra={"error": type(error).__name__})
        notice = HandoverNotice(
            user=user,
            at=moment,
            in_office_hours=in_hours,
            next_opening=next_opening,
            source=source,
            recent_questions=recent,
            timeout_minutes=max(MIN_TIMEOUT_MINUTES, int(settings.handover_timeout_minutes or 0)),
            city_name=settings.city_name,
        )
        try:
            self.notifier.notify(notice_subject(notice), notice_body(notice))
        except Exception as error:
            # The resident is told staff will answer; a failed mail must not lose the reply.
            logger.error("staff notification failed", extra={"error": type(error).__name__})

    def _timed_out_notice(self, turn: Turn, user: str, stored, now: float, settings) -> Turn:
        """The first turn after a hand-over timed out says the bot is answering again."""
        if not stored.mode_until or stored.with_staff(now):
            return turn
        self.state.clear_mode(user)
        if turn.reply is None:
            return turn
        notice = replies.end_messages(settings)
        return replace(
            turn, reply=Reply(turn.reply.reply_token, [*notice, *turn.reply.messages][:5])
        )

    # --- searches ------------------------------------------------------------------------------

    def _after_search(self, turn: Turn, user: str, now: float, settings: BotSettings) -> Turn:
        scores = getattr(turn, "hit_scores", ()) or (0.0,) * len(turn.hit_ids)
        record = log_model.new_search(
            now=datetime.fromtimestamp(now, UTC),
            user=user,
            query=turn.query or "",
            top=[log_model.TopHit(i, s) for i, s in zip(turn.hit_ids, scores, strict=False)],
            answered=bool(turn.answered),
            retention_days=self._retention(settings),
        )
        self._safely(self.log and self.log.put, record)
        streak = self.state.note_search(user, record.id, turn.hit_ids, bool(turn.answered))
        if turn.answered and turn.faq_id:
            quick = replies.feedback_quick_reply(turn.faq_id, record.id)
            return _with_messages(turn, quick, replies.with_quick_reply)
        if streak >= NO_ANSWERS_BEFORE_OFFER and turn.reply is not None:
            return replace(
                turn,
                reply=Reply(turn.reply.reply_token, replies.with_staff_offer(turn.reply.messages)),
            )
        return turn

    # --- log -----------------------------------------------------------------------------------

    def _retention(self, settings: BotSettings) -> int:
        days = int(settings.log_retention_days or 90)
        return min(days, self.max_retention_days) if self.max_retention_days else days

    def _record(self, kind: str, user: str, now: float, settings: BotSettings, **fields) -> None:
        if self.log is None:
            return
        record = log_model.new_event(
            kind,
            now=datetime.fromtimestamp(now, UTC),
            user=user,
            retention_days=self._retention(settings),
            **fields,
        )
        self._safely(self.log.put, record)

    @staticmethod
    def _safely(call: Callable[..., Any] | None, *args: Any) -> None:
        """Run a log write; a failing log must never cost a resident their answer."""
        if not call:
            return
        try:
            call(*args)
        except Exception as error:
            logger.error("search log write failed", extra={"error": type(error).__name__})


def _turn(kind: str, token: str | None, reply: list[Message]) -> Turn:
    return Turn(kind, Reply(token, reply) if token else None)


def _with_messages(turn: Turn, quick, attach) -> Turn:
    if turn.reply is None or quick is None:
        return turn
    return replace(turn, reply=Reply(turn.reply.reply_token, attach(turn.reply.messages, quick)))
