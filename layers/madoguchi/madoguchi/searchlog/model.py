"""What the search log keeps: searches and the events around them, never a raw LINE user id."""

from __future__ import annotations

import hashlib
import hmac
import re
import secrets
from dataclasses import dataclass, field, replace
from datetime import UTC, date, datetime, timedelta
from typing import Any

SEARCH = "search"
FEEDBACK = "feedback"
HANDOVER = "handover"
HANDOVER_MESSAGE = "handover_message"  # a message arrived while staff had the conversation
SMALL_TALK = "small_talk"  # thanks, hello, "?": answered kindly, not a question
FAQ_VIEW = "faq_view"  # a tapped FAQ was shown; detail["source"] says where it was tapped
CATEGORY_VIEW = "category_view"  # a category's questions were listed (detail: category, source)
# A resident who may be in danger got the consultation lines; detail["kinds"] says which kinds
# of danger, and nothing of the words is kept (never a query, never in reports or learning).
CRISIS = "crisis"
# Shelters near a location were shown; detail holds how many, never the location.
SHELTER_SEARCH = "shelter_search"
# A search record's detail["reply"] when the message only named a topic and got its questions
# to choose from: not answered at once, but not a miss either (never proposed as a new FAQ).
TOPIC_LIST = "topic"
KINDS = (
    SEARCH,
    FEEDBACK,
    HANDOVER,
    HANDOVER_MESSAGE,
    SMALL_TALK,
    FAQ_VIEW,
    CATEGORY_VIEW,
    SHELTER_SEARCH,
    CRISIS,
)
# Where a shown FAQ came from: the answer of a search (its search record), or a tap in a list
# (madoguchi.line.postback.Source values; "" for buttons sent before taps said where they were).
ANSWER_SOURCE = "answer"

# 17 digits of UTC time (to the millisecond) then 4 random hex digits: ids sort by time, and the
# day partition of a record can be read from its id alone.
_ID_PATTERN = re.compile(r"\d{17}[0-9a-f]{4}")
USER_REF_LENGTH = 16


@dataclass(frozen=True)
class TopHit:
    """One candidate the search returned."""

    faq_id: str
    score: float


@dataclass(frozen=True)
class LogRecord:
    """One line of the search log; fields that do not apply to a kind stay empty."""

    kind: str
    id: str
    at: datetime  # aware, UTC
    user_ref: str  # salted hash of the LINE user id
    expires_at: int  # epoch seconds; DynamoDB TTL deletes the record after it
    # Searches: the text as the resident sent it; kept out of repr so it never reaches a log line.
    query: str = field(default="", repr=False)
    top: tuple[TopHit, ...] = ()  # searches: candidates, best first
    answered: bool = False  # searches: something was close enough to answer
    # Searches logged before FAQ views were: FAQ IDs opened from the candidates.
    opened: tuple[str, ...] = ()
    faq_id: str = ""  # feedback and FAQ views: the FAQ
    helpful: bool | None = None  # feedback: 役に立った (True) or 役に立たなかった (False)
    search_id: str = ""  # feedback and FAQ views: the search the FAQ came from, if any
    detail: dict[str, Any] = field(default_factory=dict)  # hand-over: source, in_office_hours

    @property
    def day(self) -> str:
        """UTC day of the record, the storage partition."""
        return day_of_id(self.id)

    @property
    def top_id(self) -> str:
        """FAQ ID of the best candidate, or ""."""
        return self.top[0].faq_id if self.top else ""


def new_record_id(now: datetime) -> str:
    """Time-ordered id such as 20260105031522123a1b2 (UTC time + random)."""
    utc = now.astimezone(UTC)
    return utc.strftime("%Y%m%d%H%M%S") + f"{utc.microsecond // 1000:03d}" + secrets.token_hex(2)


def is_record_id(value: str) -> bool:
    """True for ids made by new_record_id (postback data is checked before it reaches storage)."""
    return bool(_ID_PATTERN.fullmatch(value or ""))


def day_of_id(record_id: str) -> str:
    """UTC day (YYYY-MM-DD) of a record id."""
    return f"{record_id[0:4]}-{record_id[4:6]}-{record_id[6:8]}"


def user_ref(user_id: str, salt: str) -> str:
    """Short salted hash standing for a resident in logs, state and notifications."""
    if not salt:
        raise ValueError("a salt is required to refer to a resident")
    digest = hmac.new(salt.encode(), user_id.encode(), hashlib.sha256).hexdigest()
    return digest[:USER_REF_LENGTH]


def _expiry(now: datetime, retention_days: int) -> int:
    return int((now + timedelta(days=max(1, retention_days))).timestamp())


def new_search(
    *,
    now: datetime,
    user: str,
    query: str,
    top: list[TopHit] | tuple[TopHit, ...],
    answered: bool,
    retention_days: int,
    detail: dict[str, Any] | None = None,
) -> LogRecord:
    """A search record; `user` is already a user_ref."""
    return LogRecord(
        kind=SEARCH,
        id=new_record_id(now),
        at=now.astimezone(UTC),
        user_ref=user,
        expires_at=_expiry(now, retention_days),
        query=query,
        top=tuple(top),
        answered=answered,
        detail=detail or {},
    )


def new_event(
    kind: str,
    *,
    now: datetime,
    user: str,
    retention_days: int,
    faq_id: str = "",
    helpful: bool | None = None,
    search_id: str = "",
    detail: dict[str, Any] | None = None,
) -> LogRecord:
    """A feedback or hand-over record; `user` is already a user_ref."""
    if kind not in KINDS or kind == SEARCH:
        raise ValueError(f"unknown event kind {kind!r}")
    return LogRecord(
        kind=kind,
        id=new_record_id(now),
        at=now.astimezone(UTC),
        user_ref=user,
        expires_at=_expiry(now, retention_days),
        faq_id=faq_id,
        helpful=helpful,
        search_id=search_id,
        detail=dict(detail or {}),
    )


def utc_days(since: date, until: date) -> list[str]:
    """UTC partitions holding every record of the Japan days since..until (inclusive)."""
    # A Japan day starts at 15:00 UTC the day before, so the first partition is one day earlier.
    first = since - timedelta(days=1)
    return [(first + timedelta(days=i)).isoformat() for i in range((until - first).days + 1)]


def japan_day_bounds(since: date, until: date) -> tuple[datetime, datetime]:
    """UTC [start, end) of the Japan days since..until inclusive."""
    start = datetime(since.year, since.month, since.day, tzinfo=UTC) - timedelta(hours=9)
    end = datetime(until.year, until.month, until.day, tzinfo=UTC) + timedelta(hours=15)
    return start, end


def with_opened(record: LogRecord, faq_id: str) -> LogRecord:
    """The record with one more opened FAQ ID (kept once)."""
    if faq_id in record.opened:
        return record
    return replace(record, opened=(*record.opened, faq_id))
