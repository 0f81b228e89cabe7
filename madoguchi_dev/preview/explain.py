"""The preview's score panel: the decision the chat made for a question, in the chat's words,
with the thresholds read the right way round and the hits behind it."""

from __future__ import annotations

from typing import Any

from madoguchi.conversation import search_reply
from madoguchi.conversation.responder import MAX_QUERY_LENGTH
from madoguchi.conversation.search_reply import ReplyKind
from madoguchi.line import messages
from madoguchi.search.confidence import shares_a_word
from madoguchi.search.index import SearchIndex, SearchResult

SHOWN = 1 + messages.MORE_CANDIDATES  # what the chat searches for (Responder._search)
LISTED = 10  # rows in the panel's table

# The words the panel has always used for the chat's three replies.
VERDICTS = {
    ReplyKind.ANSWER: "回答しました",
    ReplyKind.CHOICES: "確かではないため、近い質問から選んでもらいました",
    ReplyKind.NOTHING_CLOSE: "近いFAQが見つからないと判断しました",
}
# A message that only names a topic is listed before any search (conversation/topic_reply.py).
TOPIC_VERDICT = "「{name}」の話題として、よくあるご質問の一覧を出しました"
TOPIC_REASON = (
    "ひとこと・ふたことの話題の言葉なので、回答を 1 つに決めず、その話題の FAQ を並べました"
    "(下の表は、ふつうの質問として検索した場合の結果です)。"
)
HOW_TO_READ = (
    "確からしさ:その FAQ が正しい回答である見込み(0〜1)。"
    "近さ:表示した候補のどれかが正しい見込み(0〜1)。スコアは順位を決めるだけです。"
)


def explain_search(index: SearchIndex, query: str) -> dict[str, Any]:
    """The chat's decision for `query` (the same search and the same decide() as the Responder)
    and the closest FAQs, for staff tuning the workbook."""
    query = query.strip()[:MAX_QUERY_LENGTH]
    result = index.search(query, k=SHOWN)
    decision = search_reply.decide(result)
    listed = index.search(query, k=LISTED) if result.hits else result
    shown = {faq.id for faq in decision.faqs}
    topic = index.topic(query)  # only a topic: listed before any search (message_kind)
    if topic is not None:
        shown = {faq.id for faq in topic.faqs}
    return {
        "query": query,
        "reply": "topic" if topic is not None else decision.kind.name.lower(),
        "verdict": TOPIC_VERDICT.format(name=topic.name) if topic else VERDICTS[decision.kind],
        "reasons": [TOPIC_REASON] if topic is not None else reasons(result, decision.kind),
        "how_to_read": HOW_TO_READ,
        "answered": decision.kind is ReplyKind.ANSWER,
        "threshold": result.threshold,
        "choice_threshold": result.choice_threshold,
        "semantic": result.semantic,
        "confidence": result.confidence,
        "closeness": _closeness(result),
        "hits": [
            {
                "id": hit.faq.id,
                "question": hit.faq.question,
                "score": hit.score,
                "confidence": hit.confidence,
                "shown": hit.faq.id in shown,
            }
            for hit in listed.hits
        ],
    }


def reasons(result: SearchResult, kind: ReplyKind) -> list[str]:
    """Why the chat replied as it did, one sentence per step of decide(), in Japanese."""
    if not result.hits:
        return ["質問の中に、FAQ を探すための言葉が見つかりませんでした。"]
    confidence, threshold = result.confidence, result.threshold
    said = []
    if kind is ReplyKind.ANSWER:
        said.append(
            f"1位の確からしさ {confidence:.2f} が回答のしきい値 {threshold:.2f} 以上なので、"
            "1位の FAQ を回答にしました。"
        )
        if not _shares_a_word(result):
            said.append(
                "質問の言葉は 1位の FAQ の質問・言い換えにありませんが、意味の近さを測る"
                "モデルがそろって 1位にしたので、回答にできました。"
            )
        return said
    if confidence >= threshold:
        said.append(
            f"1位の確からしさ {confidence:.2f} は回答のしきい値 {threshold:.2f} 以上ですが、"
            "質問の言葉が 1位の FAQ の質問・言い換えに見当たらず、意味の近さでもモデルがそろって"
            "1位にしなかった(またはひらがなの質問だった)ため、回答にはしませんでした。"
        )
    else:
        said.append(
            f"1位の確からしさ {confidence:.2f} が回答のしきい値 {threshold:.2f} より低いので、"
            "回答にはしませんでした。"
        )
    closeness, choice = _closeness(result), result.choice_threshold
    if kind is ReplyKind.CHOICES:
        said.append(
            f"候補の近さ {closeness:.2f} が選択肢のしきい値 {choice:.2f} 以上なので、"
            "近い質問から選んでもらいました。"
        )
    else:
        said.append(
            f"候補の近さ {closeness:.2f} が選択肢のしきい値 {choice:.2f} より低いので、"
            "近い FAQ はないと判断しました。"
        )
    return said


def _shares_a_word(result: SearchResult) -> bool:
    """Whether the best hit's question side holds a word of the question (confidence.judge)."""
    if result.evidence is None or not len(result.evidence):
        return True  # nothing to tell: say nothing more
    return shares_a_word(result.evidence)


def _closeness(result: SearchResult) -> float:
    """What decide() compares with the choice threshold."""
    return result.confidence if result.closeness is None else result.closeness
