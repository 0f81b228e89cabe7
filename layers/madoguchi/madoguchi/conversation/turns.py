"""What the responder reads (the index, as Protocols) and what it gives back (a Turn)."""

from __future__ import annotations

import enum
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from typing import Protocol

from linebot.v3.messaging import Message

from madoguchi.adapters.conversation_state import UserState
from madoguchi.model import BotSettings, ConsultationLine, Department, Faq, MenuTab, Topic
from madoguchi.shelters import ShelterIndex

MAX_MESSAGES = 5  # LINE accepts at most five messages per reply


class Hit(Protocol):
    """One search hit (see madoguchi.search.Hit)."""

    @property
    def faq(self) -> Faq: ...

    @property
    def score(self) -> float: ...

    @property
    def confidence(self) -> float: ...

    @property
    def related(self) -> bool: ...


class SearchResult(Protocol):
    """What a search returns (see madoguchi.search.SearchResult)."""

    @property
    def hits(self) -> Sequence[Hit]: ...

    @property
    def answered(self) -> bool: ...

    @property
    def confidence(self) -> float: ...

    @property
    def choice_threshold(self) -> float: ...

    @property
    def closeness(self) -> float | None: ...


class Index(Protocol):
    """The parts of madoguchi.search.SearchIndex the responder reads."""

    @property
    def settings(self) -> BotSettings: ...

    @property
    def menu(self) -> tuple[MenuTab, ...]: ...

    @property
    def consultation_lines(self) -> tuple[ConsultationLine, ...]: ...

    @property
    def shelters(self) -> ShelterIndex: ...

    def search(self, query: str, k: int = 4) -> SearchResult: ...

    def search_across(self, query: str, language: str, k: int = 4) -> SearchResult: ...

    def faq(self, faq_id: str) -> Faq | None: ...

    def categories(self) -> list[str]: ...

    def department(self, name: str) -> Department | None: ...

    def faqs_in_category(self, name: str) -> list[Faq]: ...

    def topic(self, text: str) -> Topic | None: ...


class TurnKind(enum.StrEnum):
    """What the responder did with one event (also the `turn` field of the webhook's logs)."""

    ANSWER = "answer"  # a search found an answer
    NO_ANSWER = "no_answer"  # a search found nothing close enough
    FAQ = "faq"  # a tapped question's answer
    UNKNOWN_FAQ = "unknown_faq"
    CATEGORY = "category"  # the questions of one category
    UNKNOWN_CATEGORY = "unknown_category"
    CATEGORIES = "categories"
    STAFF = "staff"  # the conversation goes to a member of staff
    WITH_STAFF = "with_staff"  # a message to staff: acknowledged the first time, then silence
    HANDOVER_END = "handover_end"
    SMALL_TALK = "small_talk"  # thanks, hello, "?": a short kind reply instead of a search
    CRISIS = "crisis"  # a resident who may be in danger: consultation lines, staff told
    SHELTERS = "shelters"  # the nearest shelters to a location the resident sent
    ASK_LOCATION = "ask_location"  # a shelter question: the location is asked for
    TOPIC = "topic"  # only a topic: its FAQs to choose from and a request for more detail
    FEEDBACK = "feedback"
    FOLLOW = "follow"
    UNSUPPORTED = "unsupported"  # a sticker, a photo, an empty message
    NOT_READY = "not_ready"  # nothing published yet
    IGNORED = "ignored"  # nothing to say (unfollow, group chats, stale buttons)


class MenuSwitch(enum.StrEnum):
    """Which rich menu the resident should see after this turn (the webhook links it)."""

    STAFF = "staff"  # the small 職員対応中 menu, linked to this resident
    DEFAULT = "default"  # back to the menu everyone sees (the resident's own link removed)
    LANGUAGE = "language"  # the menu translated into the resident's language (menu_language)


@dataclass(frozen=True)
class Reply:
    """Messages to send with one reply token."""

    reply_token: str
    messages: list[Message]


@dataclass(frozen=True)
class Turn:
    """What the responder did with one event, with the facts metrics and the search log need."""

    kind: TurnKind
    reply: Reply | None = None
    query: str | None = None  # the resident's words: for the search log only, never for logs
    hit_ids: tuple[str, ...] = ()
    hit_scores: tuple[float, ...] = ()  # beside hit_ids, for the search log
    search_ms: float | None = None
    faq_id: str | None = None
    menu: MenuSwitch | None = None  # a rich menu change for this resident, made after the reply
    # With LANGUAGE, the menu's language; with any switch, the language remembered once the
    # switch is made ("ja" for the Japanese menu), so the resident is not switched again.
    menu_language: str | None = None

    @property
    def answered(self) -> bool | None:
        """True/False for searches, None for everything else."""
        return {TurnKind.ANSWER: True, TurnKind.NO_ANSWER: False}.get(self.kind)

    def with_messages(self, messages: list[Message]) -> Turn:
        """The same turn replying with other messages (nothing when it had no reply)."""
        if self.reply is None:
            return self
        return replace(self, reply=Reply(self.reply.reply_token, messages[:MAX_MESSAGES]))


def turn(
    kind: TurnKind,
    token: str | None,
    messages: list[Message],
    *,
    faq_id: str | None = None,
    menu: MenuSwitch | None = None,
) -> Turn:
    """A turn replying with `messages` when the event came with a reply token."""
    return Turn(kind, Reply(token, messages) if token else None, faq_id=faq_id, menu=menu)


@dataclass(frozen=True)
class Session:
    """One resident's event with the state it was answered in (read once per event)."""

    user: str  # salted reference, never the LINE user id
    now: float  # the clock's epoch seconds for this event
    settings: BotSettings
    stored: UserState = field(default_factory=UserState)

    @property
    def with_staff(self) -> bool:
        """True while staff have the conversation."""
        return self.stored.with_staff(self.now)
