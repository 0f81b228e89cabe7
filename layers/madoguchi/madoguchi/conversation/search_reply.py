"""From a search result to what residents see: which kind of reply, then its LINE messages.

`decide` is the reply policy (pure); `messages_for` turns its decision into messages.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass

from linebot.v3.messaging import Message

from madoguchi.conversation import not_found_reply
from madoguchi.conversation.turns import Index, SearchResult
from madoguchi.line import messages
from madoguchi.model import Faq


class ReplyKind(enum.Enum):
    """The kinds of reply a search can get."""

    ANSWER = "answer"  # confident: the best answer at once, related candidates one tap away
    CHOICES = "choices"  # unsure: no single answer, the closest FAQs to choose from, one tap each
    NOTHING_CLOSE = "nothing_close"  # the "not found" message with categories and staff


@dataclass(frozen=True)
class SearchReply:
    """The reply policy's decision for one search."""

    kind: ReplyKind
    faqs: tuple[Faq, ...] = ()  # ANSWER: the answer, then candidates; CHOICES: the choices
    # NOTHING_CLOSE: the nearest related FAQs, offered as 「もしかして」 (not_found_reply)
    maybe: tuple[Faq, ...] = ()


def decide(result: SearchResult) -> SearchReply:
    """Answer when the search is confident; offer choices when a right FAQ is likely among the
    hits; else say that nothing is close (the workbook most likely has no such FAQ).

    The best hit is always among what is shown. The others are shown only when related to the
    question (they share words or meaning with it), so a flu question never lists ふるさと納税;
    they are never dropped for ranking low or for a low confidence, so a right FAQ in second to
    fourth place stays one tap away.
    """
    closeness = result.confidence if result.closeness is None else result.closeness
    if not result.hits or (not result.answered and closeness < result.choice_threshold):
        # Offered only when a hit is anchored in the question (closeness above 0): らーめん
        # たべたい meets FAQs through pieces of kana only, and nothing is worth a もしかして.
        nearest = [hit.faq for hit in result.hits if hit.related] if closeness > 0 else []
        return SearchReply(ReplyKind.NOTHING_CLOSE, maybe=not_found_reply.maybe_faqs(nearest))
    best, *others = result.hits
    related = [hit.faq for hit in others if hit.related][: messages.MORE_CANDIDATES]
    kind = ReplyKind.ANSWER if result.answered else ReplyKind.CHOICES
    return SearchReply(kind, (best.faq, *related))


def messages_for(reply: SearchReply, index: Index, *, in_hours: bool = True) -> list[Message]:
    """The LINE messages of a decision (`in_hours`: staff are in now, else "not found" offers
    the inquiry line)."""
    if reply.kind is ReplyKind.ANSWER:
        best, *others = reply.faqs
        department = index.department(best.department)
        return messages.answer_messages(best, others, index.settings, department)
    if reply.kind is ReplyKind.CHOICES:
        return messages.choice_messages(reply.faqs, index.categories())
    return not_found_reply.not_found_messages(
        index.settings, index.categories(), reply.maybe, in_hours=in_hours
    )
