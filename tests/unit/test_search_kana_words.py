"""Kana questions read back into the FAQs' kanji words, so the semantic model can read them."""

import pytest

from madoguchi.model import Faq, FaqWorkbook
from madoguchi.search import SearchIndex, build_index, reading
from madoguchi.search.kana_words import MIN_READING, KanaWords

WORDS = KanaWords.build(
    [
        ("じゅうみん", "住民"),
        ("じゅうみんひょう", "住民票"),
        ("てんき", "天気"),
        ("そだい", "粗大"),
        ("れいぞうこ", "冷蔵庫"),
        ("れいぞうこ", "冷蔵庫"),
        ("れいぞうこ", "冷ぞう庫"),  # a rarer spelling of the same reading loses
        ("じかん", "時間"),
        ("つかれ", "疲れ"),
        ("いん", "院"),  # too short to be read back
    ]
)


@pytest.mark.parametrize(
    ("question", "read_as"),
    [
        ("じゅうみんひょう とりたい", "住民票 とりたい"),  # the longest reading wins
        ("きょうは いいてんきですね", "きょうは いい天気ですね"),  # wherever it starts in hiragana
        ("れいぞうこ こわれた", "冷蔵庫 こわれた"),
        ("ｼﾞｭｳﾐﾝﾋｮｳ", "住民票"),  # half-width katakana, as older phones type it
        ("ジュウミンヒョウ ほしい", "住民票 ほしい"),
        ("そだいゴミ", "粗大ゴミ"),
        ("１０じかん", "10時間"),  # NFKC: full-width digits as e5 reads them
    ],
)
def test_known_readings_become_the_faqs_kanji_words(question, read_as):
    assert WORDS.rewrite(question) == read_as


@pytest.mark.parametrize(
    "question",
    [
        "ｵﾂｶﾚｻﾏ",  # katakana is replaced only as a whole word: no 疲れ inside a loanword
        "こんにちは",
        "いんかん",  # 院 is two kana: too short to stand for one word
        "住民票",  # nothing in kana
        "",
    ],
)
def test_questions_without_a_known_reading_are_left_alone(question):
    assert WORDS.rewrite(question) is None


def test_the_most_frequent_spelling_stands_for_a_reading_and_short_ones_are_left_out():
    assert WORDS.words["れいぞうこ"] == "冷蔵庫"
    assert "いん" not in WORDS.words and all(len(r) >= MIN_READING for r in WORDS.words)
    assert KanaWords({}).rewrite("じゅうみんひょう") is None


needs_sudachi = pytest.mark.skipif(
    not reading.readings_available(), reason="sudachipy and sudachidict_small are not installed"
)


@needs_sudachi
def test_kanji_words_are_content_words_and_compounds_of_kanji_nouns():
    words = reading.kanji_words("図書館の開館時間を教えてください")
    assert ("としょかん", "図書館") in words and ("かいかんじかん", "開館時間") in words
    assert all(surface not in ("の", "を") for _, surface in words)


@needs_sudachi
def test_the_index_keeps_its_kana_words_in_the_file():
    faq = Faq(id="1", question="住民票の写しはどこで取れますか", answer="市民課の窓口で取れます。")
    index = build_index(FaqWorkbook(faqs=(faq,)))
    assert index.kana_words.words["じゅうみんひょう"] == "住民票"
    assert index.meta["counts"]["kana_words"] == len(index.kana_words)
    loaded = SearchIndex.from_bytes(index.to_bytes())
    assert loaded.kana_words.words == index.kana_words.words
    assert loaded.read_as("じゅうみんひょう とりたい") == "住民票 とりたい"
