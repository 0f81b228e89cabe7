"""Normalization of Japanese text as residents type it."""

import pytest

from madoguchi.search.normalize import fold_kana, kana_insensitive, strip_boilerplate, surface


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("ＰＤＦで申請", "pdfで申請"),  # full-width ASCII, upper case
        ("ｺﾞﾐの日", "ゴミの日"),  # half-width katakana
        ("ゴミ〜！！", "ゴミ"),  # trailing wave dash and repeated punctuation
        ("ケ〜キ", "ケーキ"),  # wave dash inside a word is a long vowel
        ("メ-ルアドレス", "メールアドレス"),
        ("サーバーーー", "サーバー"),
        ("1ヶ月、1ヵ月", "1か月 1か月"),
        ("住民票😊ほしい🙏", "住民票 ほしい"),
        ("  ごみ　　の日\n", "ごみ の日"),
        ("", ""),
    ],
)
def test_surface(raw, expected):
    assert surface(raw) == expected


def test_surface_truncates_long_input():
    assert surface("あ" * 1000, limit=200) == "あ" * 200


def test_fold_kana_turns_katakana_into_hiragana_only():
    assert fold_kana("ゴミとごみとヴ漢字abc") == "ごみとごみとゔ漢字abc"


def test_kana_insensitive_pattern_matches_both_scripts():
    import re

    pattern = re.compile(kana_insensitive("ごみ袋"))
    assert pattern.fullmatch("ゴミ袋")
    assert pattern.fullmatch("ごみ袋")
    assert not pattern.fullmatch("ごみ箱")


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("粗大ごみの出し方を教えてください", "粗大ごみの出し方を"),
        ("住民票について知りたいです", "住民票"),
        ("転入届はどうすればいいですか", "転入届は"),
        ("パスポートを申請したいのですが", "パスポートを申請"),
        ("オシエテクダサイ", ""),  # katakana boilerplate too
        ("こんにちは", ""),
    ],
)
def test_strip_boilerplate(raw, expected):
    assert strip_boilerplate(surface(raw)) == expected
