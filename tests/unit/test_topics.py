"""Topic words: which messages only name a topic, which FAQs the topic lists, and its reply."""

from __future__ import annotations

import pytest

from madoguchi.conversation.message_kind import MessageKind, read_message
from madoguchi.conversation.topic_reply import TOPIC_SHOWN, shown_faqs, topic_messages
from madoguchi.line import messages, postback
from madoguchi.model import Faq, Topic
from madoguchi.search import SearchIndex, build_index, reading
from madoguchi.search.topics import MAX_LISTED, most_viewed_first, topic_text
from madoguchi.workbook import validate_workbook
from tests.support.workbooks import FAQ_HEADER, faq_row, make_workbook

GOMI = [
    faq_row(f"G{n}", question, "答え", category="ごみ・リサイクル", keywords=keywords)
    for n, (question, keywords) in enumerate(
        [
            ("燃やすごみの収集日", "収集日"),
            ("粗大ごみの出し方", "粗大ごみ"),
            ("粗大ごみの料金", "粗大ごみ、料金"),
            ("ごみの指定袋", "指定袋"),
            ("資源ごみの分け方", "分別"),
            ("年末年始のごみ収集", "年末年始"),
            ("ごみ集積所のカラス対策", "カラス"),
            ("家電の捨て方", "家電リサイクル"),
            ("庭木の枝の捨て方", "剪定枝"),
        ],
        start=1,
    )
]
OTHERS = [
    faq_row("P1", "ペットが死んだとき", "答え", keywords="ペット"),
    faq_row("P2", "ペットと避難できますか", "答え", keywords="ペット"),
    faq_row("K1", "保険証をなくした", "答え"),
    faq_row("K2", "保険証の切り替え", "答え"),
    faq_row("K3", "保険証が届いた", "答え"),
    faq_row("M1", "マイナンバーカードの作り方", "答え", category="マイナンバー"),
]


@pytest.fixture(scope="module")
def index():
    result = validate_workbook(make_workbook({"FAQ": [FAQ_HEADER, *GOMI, *OTHERS]}))
    assert result.ok, result.problems
    return build_index(result.workbook)


@pytest.mark.parametrize(
    ("text", "core"),
    [
        ("ごみ", "ごみ"),
        ("ゴミについて教えてください", "ゴミ"),
        ("年金のこと", "年金"),
        ("子育て関係", "子育て"),
        ("マイナンバー", "マイナンバー"),  # katakana なん is no question word
        ("ごみはいつ出せますか", None),
        ("ごみ袋どこ", None),
        ("印鑑登録したい", None),
        ("粗大ごみの出し方と料金の支払い", None),  # too long to be only a topic
        ("", None),
    ],
)
def test_only_a_short_message_without_a_question_can_be_a_topic(text, core):
    assert topic_text(text) == core


def test_a_category_name_or_part_lists_the_category(index):
    topic = index.topic("ごみ")
    assert (
        topic is not None and topic.category == "ごみ・リサイクル" and topic.name == topic.category
    )
    # A part of the name: the whole category, those with the word in their question first.
    assert {f.id for f in topic.faqs} == {f"G{n}" for n in range(1, 10)}
    assert topic.faqs[-1].id == "G8"  # 家電の捨て方 has no ごみ in its question
    assert index.topic("リサイクル").category == "ごみ・リサイクル"
    whole = index.topic("ごみ・リサイクル")
    assert [f.id for f in whole.faqs] == [f"G{n}" for n in range(1, 10)]  # the category's order
    assert index.topic("マイナンバー").category == "マイナンバー"


def test_words_shared_by_several_faqs_are_a_topic_without_a_category(index):
    insurance = index.topic("保険証")
    assert insurance is not None and insurance.category == ""
    assert {f.id for f in insurance.faqs} == {"K1", "K2", "K3"}
    pets = index.topic("ペット")  # a キーワード of two FAQs
    assert pets is not None and {f.id for f in pets.faqs} == {"P1", "P2"}


@pytest.mark.skipif(not reading.readings_available(), reason="needs Sudachi for the FAQs' readings")
def test_a_topic_typed_with_a_kanji_slip_is_the_topic_meant(index):
    insurance = index.topic("保健証")  # 保険証, as the search mends it (search.homophones)
    assert insurance is not None and insurance.name == "保険証"
    assert {f.id for f in insurance.faqs} == {"K1", "K2", "K3"}


@pytest.mark.parametrize("text", ["粗大ごみ 料金", "カラス", "家電", "ごみはいつ出せますか", "犬"])
def test_a_word_of_one_or_two_faqs_or_a_question_is_no_topic(index, text):
    assert index.topic(text) is None


def test_the_most_viewed_come_first():
    assert most_viewed_first([3, 1, 2], {2: 5, 1: 1}) == [2, 1, 3]
    assert most_viewed_first([3, 1, 2], {}, ranked=[2, 3]) == [2, 3, 1]
    result = validate_workbook(make_workbook({"FAQ": [FAQ_HEADER, *GOMI, *OTHERS]}))
    viewed = build_index(result.workbook, views={"G8": 4, "G3": 2})
    assert [f.id for f in viewed.topic("ごみ・リサイクル").faqs[:3]] == ["G8", "G3", "G1"]


def test_a_big_topic_reads_only_its_first_faqs_and_knows_its_size():
    rows = [faq_row(f"B{n}", f"粗大ごみ {n} の出し方", "答え", category="ごみ") for n in range(40)]
    result = validate_workbook(make_workbook({"FAQ": [FAQ_HEADER, *rows]}))
    topic = SearchIndex.from_bytes(build_index(result.workbook).to_bytes()).topic("ごみ")
    assert topic.size == 40 and len(topic.faqs) == MAX_LISTED
    listing, _ = topic_messages(topic, ["ごみ"])
    more = postback.decode(listing.contents.body.contents[-1].action.data)
    assert more == postback.ListCategory("ごみ", 1, postback.Source.BUTTON)


def test_the_decision_step_names_a_topic_after_small_talk_and_before_the_search(index):
    reading = read_message("ごみ", with_staff=False, can_hand_over=True, topic_of=index.topic)
    assert reading.kind is MessageKind.TOPIC and reading.topic == index.topic("ごみ")
    thanks = read_message("ありがとう", with_staff=False, can_hand_over=True, topic_of=index.topic)
    assert thanks.kind is MessageKind.SMALL_TALK
    asked = "粗大ごみの料金はいくら"
    question = read_message(asked, with_staff=False, can_hand_over=True, topic_of=index.topic)
    assert question.kind is MessageKind.QUESTION
    assert read_message("ごみ", with_staff=False, can_hand_over=True).kind is MessageKind.QUESTION
    empty = Topic("ごみ", ())
    nothing = read_message("ごみ", with_staff=False, can_hand_over=True, topic_of=lambda _: empty)
    assert nothing.kind is MessageKind.QUESTION


def test_the_topic_reply_lists_a_few_asks_for_more_and_keeps_to_lines_limits():
    faqs = tuple(Faq(f"F{n}", f"質問{n}" * 30, "答え") for n in range(20))
    topic = Topic("とても長い分野の名前" * 5, faqs, "とても長い分野の名前" * 5)
    listing, ask = topic_messages(topic, [f"分野{n}" for n in range(20)])
    rows = listing.contents.body.contents[1:]
    assert len(rows) == TOPIC_SHOWN + 1  # the questions, then "all of the category"
    assert postback.decode(rows[-1].action.data) == postback.ListCategory(
        topic.category, 1, postback.Source.BUTTON
    )
    assert shown_faqs(topic) == tuple(f"F{n}" for n in range(TOPIC_SHOWN))
    assert "くわしく教えてください" in ask.text
    assert len(ask.quick_reply.items) <= messages.MAX_QUICK_REPLY_ITEMS
    labels = [i.action.label for i in ask.quick_reply.items] + [r.action.label for r in rows]
    assert all(len(label) <= messages.MAX_LABEL_LENGTH for label in labels)
    assert len(listing.alt_text) <= messages.MAX_ALT_TEXT_LENGTH


def test_views_travel_in_the_index_file_and_order_the_topic():
    result = validate_workbook(make_workbook({"FAQ": [FAQ_HEADER, *GOMI, *OTHERS]}))
    built = build_index(result.workbook, views={"G9": 3, "P1": 1, "gone": 5})
    again = SearchIndex.from_bytes(built.to_bytes())
    assert again.views == {"G9": 3, "P1": 1}
    assert again.topic("ごみ・リサイクル").faqs[0].id == "G9"
