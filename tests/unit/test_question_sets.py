"""The question sets in tests/data measure what they claim (see tests/data/README.md)."""

import json

import pytest

from madoguchi.search.normalize import surface
from madoguchi.search.tokenize import segment
from tests.support.sample_workbook import DATA, sample_workbook

# Content words: tinysegmenter words after the search's folding and stopwords, with stems, minus
# the question words and helpers every resident's question has.
NOT_CONTENT = frozenset(
    [
        "どこ",
        "いつ",
        "何",
        "なに",
        "なん",
        "いくら",
        "ますか",
        "もらえる",
        "教え",
        "知り",
        "方",
        "市",
    ]
)


def content_words(text: str) -> set[str]:
    """The words of a text that say what it is about."""
    return {w for w in segment(surface(text), stems=True) if w not in NOT_CONTENT}


def read(name: str) -> list[dict]:
    lines = (DATA / name).read_text(encoding="utf-8").splitlines()
    return [json.loads(line) for line in lines if line.strip()]


@pytest.fixture(scope="module")
def hard() -> list[dict]:
    return read("hard_dev.jsonl")


def test_hard_set_is_large_and_has_questions_without_a_right_faq(hard):
    assert len(hard) >= 200
    assert sum(1 for q in hard if not q["relevant_ids"]) >= 30
    assert len({q["query"] for q in hard}) == len(hard)


def test_hard_set_is_labelled_for_cross_validation(hard):
    assert {q["fold"] for q in hard} == {0, 1, 2, 3, 4}
    assert {q["part"] for q in hard} == {"blind", "mismatch", "taboo"}
    # Every fold has questions with and without a right FAQ.
    for fold in range(5):
        in_fold = [q for q in hard if q["fold"] == fold]
        assert any(q["relevant_ids"] for q in in_fold)
        assert any(not q["relevant_ids"] for q in in_fold)


def test_many_answerable_questions_share_no_content_word_with_their_faq(hard):
    faqs = {f.id: f for f in sample_workbook().faqs}
    answerable = [q for q in hard if q["relevant_ids"]]
    apart = 0
    for question in answerable:
        faq_words: set[str] = set()
        for faq_id in question["relevant_ids"]:
            faq = faqs[faq_id]
            faq_words |= content_words(" ".join([faq.question, *faq.paraphrases]))
        apart += not content_words(question["query"]) & faq_words
    assert apart / len(answerable) >= 0.40


@pytest.mark.parametrize(
    "name", ["hard_dev.jsonl", "blind_questions_judged.jsonl", "kana_questions.jsonl"]
)
def test_every_right_faq_exists_and_is_published(name):
    published = {f.id for f in sample_workbook().published_faqs}
    questions = read(name)
    assert questions
    for question in questions:
        assert set(question["relevant_ids"]) <= published, question["query"]


def test_content_words_leave_out_question_words():
    assert content_words("住民票はどこでもらえる?") == {"住民票"}
    assert content_words("粗大ごみの出し方を教えて") >= {"粗大", "ごみ"}
