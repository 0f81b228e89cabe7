"""Typed requests for a person and for the automatic answers, after normalization."""

import pytest

from madoguchi.handover.phrases import asks_for_staff, asks_to_return, normalize_phrase


@pytest.mark.parametrize(
    "text",
    [
        "職員と話したい",
        "人と話したい",
        "担当者につないで",
        "オペレーター",
        "ｵﾍﾟﾚｰﾀｰ",
        "職員に相談",
        "職員さんと話したいです!",
        "担当の方に代わってください",
        "人間と話したい。",
        " 窓口の人に つないでほしい ",
    ],
)
def test_requests_for_a_person_are_recognized(text):
    assert asks_for_staff(text)


@pytest.mark.parametrize(
    "text",
    [
        "粗大ごみの出し方",
        "住民票を取りたい",
        "担当課はどこですか",
        "職員採用試験の日程と申し込み方法と受験資格について詳しく教えてください",
        "",
        "AIに戻る",
    ],
)
def test_ordinary_questions_are_not_requests_for_a_person(text):
    assert not asks_for_staff(text)


@pytest.mark.parametrize(
    "text",
    ["AIに戻る", "ＡＩに戻る", "ai に もどる", "自動応答に戻る", "botに戻る", "ボットに戻して"],
)
def test_requests_to_return_are_recognized(text):
    assert asks_to_return(text)


@pytest.mark.parametrize("text", ["ありがとうございました", "戻る日はいつ", "職員と話したい", ""])
def test_other_messages_are_not_requests_to_return(text):
    assert not asks_to_return(text)
    assert not asks_to_return(text, with_staff=True)


@pytest.mark.parametrize(
    "text",
    [
        "もどる",
        "戻りたい",
        "戻りたいです",
        "戻して",
        "AI",
        "ＡＩ",
        "ボット",
        "bot",
        "自動で",
        "自動",
        "自動応答",
        "AIでいい",
        "AIにしてください",
        "終わり",
        "終了",
        "キャンセル",
    ],
)
def test_while_with_staff_short_words_alone_ask_to_go_back(text):
    assert asks_to_return(text, with_staff=True)


@pytest.mark.parametrize("text", ["もどる", "AI", "自動で", "終わり"])
def test_outside_a_handover_short_words_are_questions_not_requests(text):
    assert not asks_to_return(text)


@pytest.mark.parametrize(
    "text",
    ["自動車の登録", "AIって何ですか", "まだですか", "よろしくお願いします", "戻るまで待ちます"],
)
def test_while_with_staff_sentences_still_go_to_staff(text):
    assert not asks_to_return(text, with_staff=True)


def test_normalize_keeps_the_long_vowel_mark_and_drops_punctuation():
    assert normalize_phrase("ＡＩに　戻る！") == "aiに戻る"
    assert normalize_phrase("オペレーター?") == "オペレーター"
