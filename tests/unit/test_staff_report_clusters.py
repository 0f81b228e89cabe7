"""Grouping unanswered questions and counting searched words."""

from madoguchi.model import Faq
from madoguchi.staff_report.clusters import group_questions, question_key
from madoguchi.staff_report.words import count_words, faq_words, query_words


def test_rewordings_of_one_need_form_one_group_and_other_needs_stay_apart():
    queries = [
        "犬の登録をしたい",
        "犬の登録",
        "犬の登録方法",
        "犬 登録 したい",
        "犬の登録",
        "ペット 火葬",
        "ペットの火葬をしたい",
        "図書館の開館時間",
    ]
    groups = group_questions(queries)
    assert [g.count for g in groups] == [5, 2, 1]
    dogs, pets, library = groups
    assert dogs.representative == "犬の登録"  # asked twice, the most common wording
    assert set(dogs.examples) == {"犬の登録", "犬の登録をしたい", "犬の登録方法", "犬 登録 したい"}
    assert set(pets.examples) == {"ペット 火葬", "ペットの火葬をしたい"}
    assert library.examples == ("図書館の開館時間",)


def test_group_counts_add_up_to_the_questions():
    queries = [f"質問{i % 7}について" for i in range(50)] + ["", "  "]
    assert sum(g.count for g in group_questions(queries)) == 50


def test_katakana_and_hiragana_spellings_compare_equal():
    assert question_key("ゴミの出し方") == question_key("ごみの出し方")


def test_words_drop_boilerplate_and_function_words():
    assert query_words("ゴミの出し方を教えてください") == ("ゴミ", "出し方")
    known = faq_words([Faq("1", "ごみの出し方", "…", category="ごみ", keywords=("分別",))])
    counted = dict(count_words(["ゴミの日", "ごみの日はいつ", "ゴミ 分別"], known))
    assert counted["ゴミ"] == 3  # ゴミ and ごみ are one word, shown in the commoner spelling
    assert "の" not in counted and "教え" not in counted
    assert "日" not in counted and "いつ" not in counted  # a counter, a question word


def test_only_content_words_count_never_pieces_of_words():
    known = faq_words(
        [
            Faq(
                "1", "住民票の写しの取り方", "…", category="届出・証明", keywords=("住民票", "登録")
            ),
            Faq("2", "避難所の場所", "…", category="防災", keywords=("避難所", "ひなんじょ")),
            Faq("3", "子どもの医療費", "…", category="子育て", keywords=("子ども",)),
        ]
    )
    queries = [
        "じゅうみんひょう とうろくしたい",  # typed in kana: split at random places
        "ひなんじょはどこ",
        "田中さんに聞いたら3日かかると言われた",
        "マイナンバーカードを作りたい",
        "子どもの医療費",
    ]
    counted = dict(count_words(queries, known))
    assert counted == {
        "田中": 1,
        "マイナンバーカード": 1,
        "子ども": 1,  # the particle tinysegmenter left on it is taken off
        "医療": 1,  # tinysegmenter's word; 費 alone is a suffix
    }
    # The pieces tinysegmenter makes of kana questions, honorifics, counters, verb endings:
    for piece in ("うろく", "なんじょ", "さん", "日", "3", "言わ", "作り", "どこ"):
        assert piece not in counted
    # Without the FAQs, words ending in hiragana cannot be told from pieces: left out.
    assert dict(count_words(["子どもの医療費", "ごみ"])) == {"医療": 1}
