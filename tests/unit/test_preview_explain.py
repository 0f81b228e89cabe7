"""The preview's score panel says what the chat did (the Responder's own search and decide()),
and reads each threshold against the figure the decision compares with it."""

from dataclasses import replace

import numpy as np
import pytest

from madoguchi.conversation.message_kind import MessageKind, read_message
from madoguchi.conversation.search_reply import ReplyKind, decide
from madoguchi.model import Faq
from madoguchi.search import Hit, SearchResult, build_index
from madoguchi.search.confidence import FEATURES
from madoguchi_dev.preview.explain import TOPIC_VERDICT, VERDICTS, explain_search, reasons
from tests.support.sample_workbook import sample_workbook

FAQ = Faq("1", "住民票の写しがほしい", "市民課で取れます。")


def evidence(**values: float) -> np.ndarray:
    """One hit's evidence with the named columns set."""
    return np.array([values.get(name, 0.0) for name in FEATURES])


def result(confidence: float, closeness: float | None, answered: bool) -> SearchResult:
    return SearchResult(
        query="q",
        hits=[Hit(FAQ, 10.0, confidence)],
        answered=answered,
        threshold=0.45,
        confidence=confidence,
        choice_threshold=0.5,
        closeness=closeness,
    )


def test_an_answer_is_explained_by_the_confidence_at_or_above_the_answer_threshold():
    (said,) = reasons(result(0.80, 0.9, answered=True), ReplyKind.ANSWER)
    assert said.startswith("1位の確からしさ 0.80 が回答のしきい値 0.45 以上なので")


def test_choices_are_explained_by_the_closeness_not_the_confidence():
    low, close = reasons(result(0.30, 0.62, answered=False), ReplyKind.CHOICES)
    assert "確からしさ 0.30 が回答のしきい値 0.45 より低い" in low
    assert "候補の近さ 0.62 が選択肢のしきい値 0.50 以上なので、近い質問から選んで" in close


def test_nothing_close_is_explained_by_the_closeness_below_the_choice_threshold():
    low, far = reasons(result(0.30, 0.20, answered=False), ReplyKind.NOTHING_CLOSE)
    assert "より低いので、回答にはしませんでした" in low
    assert "候補の近さ 0.20 が選択肢のしきい値 0.50 より低いので" in far


def test_an_answer_by_meaning_alone_says_the_models_agreed_on_it():
    shared, by_meaning = (
        replace(result(0.80, 0.9, answered=True), evidence=np.array([row]))
        for row in (evidence(grounded_cover=0.4), evidence(semantic_first=1.0))
    )
    assert len(reasons(shared, ReplyKind.ANSWER)) == 1
    first, why = reasons(by_meaning, ReplyKind.ANSWER)
    assert first.startswith("1位の確からしさ 0.80") and "モデルがそろって 1位にした" in why


def test_a_confident_hit_without_the_questions_words_is_said_to_be_why_it_was_not_answered():
    above, _ = reasons(result(0.60, 0.70, answered=False), ReplyKind.CHOICES)
    assert "0.60 は回答のしきい値 0.45 以上ですが" in above
    assert "意味の近さでもモデルがそろって1位にしなかった" in above


def test_no_search_words_is_said_as_such():
    empty = SearchResult(query="👍")
    assert reasons(empty, ReplyKind.NOTHING_CLOSE) == [
        "質問の中に、FAQ を探すための言葉が見つかりませんでした。"
    ]


@pytest.fixture(scope="module")
def index():
    return build_index(sample_workbook())


@pytest.mark.parametrize(
    "question",
    ["住民票がほしい", "仕事やめた 保険", "ごみの出し方", "お腹すいた", "ペットが死んだ"],
)
def test_the_panel_gives_the_chats_own_decision(index, question):
    chat = decide(index.search(question, k=4))  # as the Responder searches
    panel = explain_search(index, question)
    assert panel["reply"] == chat.kind.name.lower()
    assert panel["verdict"] == VERDICTS[chat.kind]
    assert [h["id"] for h in panel["hits"] if h["shown"]] == [
        h["id"] for h in panel["hits"] if h["id"] in {f.id for f in chat.faqs}
    ]
    assert {f.id for f in chat.faqs} <= {h["id"] for h in panel["hits"]}


def test_a_topic_word_is_explained_as_the_topic_list_the_chat_gives(index):
    reading = read_message("ごみ", with_staff=False, can_hand_over=False, topic_of=index.topic)
    assert reading.kind is MessageKind.TOPIC and reading.topic is not None
    panel = explain_search(index, "ごみ")
    assert panel["reply"] == "topic"
    assert panel["verdict"] == TOPIC_VERDICT.format(name=reading.topic.name)
    assert [h["id"] for h in panel["hits"] if h["shown"]] == [
        h["id"] for h in panel["hits"] if h["id"] in {f.id for f in reading.topic.faqs}
    ]
