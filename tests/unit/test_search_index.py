"""Searching a small realistic FAQ set: the right FAQ first, and "I don't know" when off-topic."""

import pytest

from madoguchi.conversation.search_reply import ReplyKind, decide
from madoguchi.model import ActionKind, BotSettings, Faq, FaqWorkbook, MenuButton, MenuTab
from madoguchi.search import SearchIndex, build_index
from tests.support.search_dev import dev_workbook


@pytest.fixture(scope="module")
def index() -> SearchIndex:
    return build_index(dev_workbook(), checksum="abc", built_at="2026-01-01T00:00:00+00:00")


@pytest.mark.parametrize(
    ("question", "faq_id"),
    [
        ("粗大ゴミ処理券どこで買える?", "D001"),
        ("ｺﾝﾋﾞﾆで住民票とれる?", "D005"),
        ("子供が生まれたら何をすればいいですか", "D020"),
        ("退職したので国保に加入したい", "D021"),
        ("固定資産税って何月に払うの?", "D014"),
        ("狂犬病の注射はどこで", "D031"),
    ],
)
def test_realistic_questions_find_the_right_faq_first(index, question, faq_id):
    result = index.search(question)
    assert result.hits[0].faq.id == faq_id
    assert result.answered
    assert result.confidence >= result.threshold


def test_a_kana_question_without_e5_is_found_first_and_offered():
    index = build_index(dev_workbook(), built_at="2026-01-01T00:00:00+00:00")
    result = index.search("マイナカードをなくしてしまいました")
    # BM25 alone (no e5, no word vectors for a question without kanji): first, and offered
    # among the choices, its P(right) just under the answer threshold.
    assert result.hits[0].faq.id == "D011"
    assert decide(result).kind in {ReplyKind.ANSWER, ReplyKind.CHOICES}
    assert result.hits[0].confidence > 0.5 > result.hits[1].confidence


@pytest.mark.parametrize(
    "question",
    [
        "こんにちは",
        "今日の天気は?",
        "明日は晴れるかな",
        "好きな食べ物は何",
        "asdfghjkl",
        "🍣🍣🍣",
        "",
        "   ",
    ],
)
def test_off_topic_input_is_not_answered(index, question):
    result = index.search(question)
    assert not result.answered
    assert result.confidence < result.threshold


def test_hits_are_ordered_and_at_most_k(index):
    result = index.search("ごみ", k=3)
    assert 0 < len(result.hits) <= 3
    scores = [h.score for h in result.hits]
    assert scores == sorted(scores, reverse=True)
    assert all(0 <= h.confidence <= 1 for h in result.hits)


def test_very_long_input_is_truncated_and_still_answered(index):
    result = index.search("住民票の写しがほしい" + "あ" * 100_000)
    assert result.hits[0].faq.id == "D005"


def test_threshold_comes_from_settings_when_set():
    workbook = dev_workbook(settings=BotSettings(answer_threshold=1.0))
    result = build_index(workbook).search("犬を飼い始めたら登録は必要ですか")
    assert result.threshold == 1.0
    assert result.hits and not result.answered


def test_unpublished_faqs_are_not_indexed():
    workbook = dev_workbook()
    hidden = Faq(
        id="X1", question="ロケットの打ち上げ見学", answer="見学はできません。", published=False
    )
    index = build_index(FaqWorkbook(faqs=(*workbook.faqs, hidden)))
    assert index.faq("X1") is None
    assert all(h.faq.id != "X1" for h in index.search("ロケットの打ち上げ見学").hits)


def test_lookups(index):
    assert index.faq("D005").question.startswith("住民票")
    assert index.faq("nope") is None
    assert index.categories()[:2] == ["ごみ・リサイクル", "住民票・戸籍"]
    assert [f.id for f in index.faqs_in_category("防災")] == ["D036", "D037"]
    assert len(index.faqs) == 40 and len(index.tests) == 63


def test_meta_describes_the_index(index):
    meta = index.meta
    assert meta["format_version"] == 2
    assert meta["built_at"] == "2026-01-01T00:00:00+00:00"
    assert meta["checksum"] == "abc"
    assert meta["counts"]["faqs"] == 40
    assert meta["tokenizer"]["segmenter"] == "tinysegmenter"
    assert len(meta["menu_hash"]) == 64


def test_menu_hash_changes_with_the_menu():
    tab = MenuTab("くらし", (MenuButton("ごみ", ActionKind.CATEGORY, "ごみ・リサイクル"),))
    other = MenuTab("くらし", (MenuButton("ごみ", ActionKind.CATEGORY, "防災"),))
    base = dev_workbook()
    first = build_index(FaqWorkbook(faqs=base.faqs, menu=(tab,))).meta["menu_hash"]
    again = build_index(FaqWorkbook(faqs=base.faqs, menu=(tab,))).meta["menu_hash"]
    changed = build_index(FaqWorkbook(faqs=base.faqs, menu=(other,))).meta["menu_hash"]
    assert first == again != changed


def test_empty_workbook_gives_an_index_that_never_answers():
    index = build_index(FaqWorkbook(faqs=()))
    result = index.search("住民票")
    assert result.hits == [] and not result.answered
