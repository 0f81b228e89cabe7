"""The one place the conversation writes the search log: searches, every FAQ shown by a tap and
every category list opened (with where the tap was), feedback, small talk and hand-overs. A
failing log never costs a resident their answer."""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from madoguchi.adapters.search_log import SearchLog
from madoguchi.conversation.turns import Session, Turn, TurnKind
from madoguchi.request_time import RequestTime
from madoguchi.searchlog import model as log_model

logger = logging.getLogger(__name__)


@dataclass
class ConversationLog:
    """Writes records for one deployment; `store` None keeps nothing (local tools, tests)."""

    store: SearchLog | None = None
    # The deployment's limit on keeping the log; 設定's 検索ログ保存日数 may only shorten it.
    max_retention_days: int | None = None
    # The webhook's request deadline: a write that could not end by it is not made (counted).
    request_time: RequestTime | None = None

    def search(self, session: Session, turn: Turn) -> log_model.LogRecord:
        """Record a search turn; the record's id goes into the feedback buttons either way."""
        record = self.search_record(session, turn)
        self.write(record)
        return record

    def search_record(self, session: Session, turn: Turn) -> log_model.LogRecord:
        """The record of a search turn, not written yet (see write)."""
        scores = turn.hit_scores or (0.0,) * len(turn.hit_ids)
        return log_model.new_search(
            now=datetime.fromtimestamp(session.now, UTC),
            user=session.user,
            query=turn.query or "",
            top=[log_model.TopHit(i, s) for i, s in zip(turn.hit_ids, scores, strict=False)],
            answered=bool(turn.answered),
            retention_days=self._retention(session),
            detail={"reply": log_model.TOPIC_LIST} if turn.kind is TurnKind.TOPIC else None,
        )

    def write(self, record: log_model.LogRecord) -> None:
        """Store a record made by search_record."""
        if self.store is not None:
            self._safely(self.store.put, record)

    def event(self, kind: str, session: Session, **fields: Any) -> None:
        """Record feedback, a view, small talk, a hand-over, or a message written to staff."""
        if self.store is None:
            return
        record = log_model.new_event(
            kind,
            now=datetime.fromtimestamp(session.now, UTC),
            user=session.user,
            retention_days=self._retention(session),
            **fields,
        )
        self._safely(self.store.put, record)

    def viewed(self, session: Session, faq_id: str, source: str, search_id: str = "") -> None:
        """A tapped FAQ was shown: from a candidate or choice of `search_id`, the menu, a list."""
        detail = {"source": source}
        self.event(log_model.FAQ_VIEW, session, faq_id=faq_id, search_id=search_id, detail=detail)

    def listed(self, session: Session, category: str, source: str) -> None:
        """A category's questions were listed, from the menu or a button."""
        detail = {"category": category, "source": source}
        self.event(log_model.CATEGORY_VIEW, session, detail=detail)

    def recent_queries(self, user: str, limit: int) -> list[str]:
        """The resident's last questions, oldest first ([] when the log cannot tell)."""
        if self.store is None or not self._in_time():
            return []
        try:
            return self.store.recent_queries(user, limit)
        except Exception as error:
            logger.error("recent questions unavailable", extra={"error": type(error).__name__})
            return []

    def _in_time(self) -> bool:
        return self.request_time is None or self.request_time.allows()

    def _retention(self, session: Session) -> int:
        days = int(session.settings.log_retention_days or 90)
        return min(days, self.max_retention_days) if self.max_retention_days else days

    def _safely(self, call: Callable[..., Any], *args: Any) -> None:
        if not self._in_time():
            return
        try:
            call(*args)
        except Exception as error:
            logger.error("search log write failed", extra={"error": type(error).__name__})
