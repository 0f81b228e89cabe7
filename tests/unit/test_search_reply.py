"""The reply policy: a confident answer, choices when unsure, or an honest "not found"."""

import pytest

from madoguchi.conversation.search_reply import ReplyKind, decide, messages_for
from madoguchi.line import postback
from madoguchi.model import BotSettings, Faq, FaqWorkbook
from madoguchi.search import Hit, SearchResult, build_index
from tests.support.sample_workbook import sample_workbook

FAQS = {n: Faq(str(n), f"質問{n}", f"回答{n}", category="くらし") for n in range(1, 6)}


def result(
    *hits: tuple[int, float, bool], answered: bool = False, closeness: float | None = None
) -> SearchResult:
    """A search result with hits (FAQ number, confidence, related), best first."""
    return SearchResult(
        query="q",
        hits=[Hit(FAQS[n], 10.0 - i, p, related) for i, (n, p, related) in enumerate(hits)],
        answered=answered,
        threshold=0.45,
        confidence=hits[0][1] if hits else 0.0,
        choice_threshold=0.1,
        closeness=closeness,
    )


def shown(reply) -> list[str]:
    return [f.id for f in reply.faqs]


def test_confident_search_answers_with_related_candidates():
    reply = decide(
        result((1, 0.9, True), (2, 0.05, True), (3, 0.01, False), (4, 0.2, True), answered=True)
    )
    assert reply.kind is ReplyKind.ANSWER
    assert shown(reply) == ["1", "2", "4"]  # 3 shares neither words nor meaning with the question


def test_unsure_search_offers_the_closest_as_choices():
    reply = decide(result((1, 0.3, True), (2, 0.25, True), (3, 0.02, True), (4, 0.01, True)))
    assert reply.kind is ReplyKind.CHOICES
    # A right FAQ ranked second to fourth is never hidden for its rank or a low confidence.
    assert shown(reply) == ["1", "2", "3", "4"]


def test_the_best_hit_is_shown_even_if_the_others_are_unrelated():
    reply = decide(result((1, 0.2, False), (2, 0.1, False)))
    assert reply.kind is ReplyKind.CHOICES and shown(reply) == ["1"]


@pytest.mark.parametrize(
    "searched",
    [result(), result((1, 0.09, True), (2, 0.08, True))],
)
def test_nothing_close_shows_no_faq(searched):
    reply = decide(searched)
    assert reply.kind is ReplyKind.NOTHING_CLOSE and reply.faqs == ()


def test_the_closeness_of_the_search_decides_between_choices_and_nothing_close():
    hits = ((1, 0.3, True), (2, 0.25, True))
    assert decide(result(*hits, closeness=0.09)).kind is ReplyKind.NOTHING_CLOSE
    assert decide(result(*hits, closeness=0.1)).kind is ReplyKind.CHOICES
    # A best hit below the choice threshold is still offered when a right FAQ is likely shown.
    assert decide(result((1, 0.05, True), closeness=0.5)).kind is ReplyKind.CHOICES


def test_an_answer_is_given_even_below_the_choice_threshold_when_staff_set_a_low_one():
    reply = decide(result((1, 0.05, True), answered=True, closeness=0.01))
    assert reply.kind is ReplyKind.ANSWER and shown(reply) == ["1"]


def test_at_most_three_candidates_are_shown():
    hits = [(n, 0.9 if n == 1 else 0.5, True) for n in range(1, 6)]
    assert shown(decide(result(*hits, answered=True))) == ["1", "2", "3", "4"]


def test_messages_of_each_decision():
    index = build_index(FaqWorkbook(faqs=tuple(FAQS.values()), settings=BotSettings()))
    answer = messages_for(decide(result((1, 0.9, True), (2, 0.5, True), answered=True)), index)
    assert answer[0].to_dict()["text"].startswith("■ 質問1")
    choices = messages_for(decide(result((1, 0.3, True), (2, 0.2, True))), index)
    rows = [c for c in choices[0].to_dict()["contents"]["body"]["contents"] if "action" in c]
    assert postback.decode(rows[0]["action"]["data"]) == postback.ShowFaq("1", "choice")
    (nothing,) = messages_for(decide(result()), index)
    assert nothing.to_dict()["text"] == BotSettings().no_answer_message


@pytest.fixture(scope="module")
def sample_index():
    """The sample workbook without the semantic signal, as kana-only questions are searched."""
    return build_index(sample_workbook())


@pytest.mark.parametrize(
    "question", ["おなかすいた", "らーめん たべたい", "おはよう", "しょくどう どこ", "げんき?"]
)
def test_chit_chat_in_kana_gets_no_answer(sample_index, question):
    reply = decide(sample_index.search(question))
    # Found only through kana bigrams or pieces of readings: nothing close, or at most a choice.
    assert reply.kind is not ReplyKind.ANSWER
    if question != "げんき?":
        assert reply.kind is ReplyKind.NOTHING_CLOSE and reply.faqs == ()


def test_a_short_kana_fragment_is_never_answered_through_one_reading_ngram(sample_index):
    searched = sample_index.search("げんき?")  # げんき is in げんきょう (現況届)
    assert searched.hits and searched.hits[0].confidence > searched.threshold
    assert not searched.answered and decide(searched).kind is not ReplyKind.ANSWER


@pytest.mark.parametrize(
    ("question", "kind", "faq_id"),
    [
        ("こせき", ReplyKind.CHOICES, "5"),  # a whole 3-kana word still finds 戸籍 FAQs
        ("こせき とうほん", ReplyKind.ANSWER, "5"),
        ("じゅうみんひょう", ReplyKind.ANSWER, "1"),
    ],
)
def test_kana_questions_about_the_city_still_find_their_faqs(sample_index, question, kind, faq_id):
    reply = decide(sample_index.search(question))
    assert reply.kind is kind and reply.faqs[0].id == faq_id
