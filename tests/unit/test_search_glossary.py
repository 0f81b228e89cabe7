"""The glossary: residents' words in other languages found in a question (case and accents folded,
longest entry first, whole words in spaced scripts, inside runs in CJK, Hangul and Devanagari) and
the Japanese words a FAQ uses for them; the built-in file covers every language we answer in."""

import pytest

from madoguchi.search.glossary import Glossary, built_in, fold

SMALL = Glossary.parse(
    "# comment\n"
    "en\tgarbage\tごみ\n"
    "en\tgarbage bags\tごみ袋 指定袋\n"
    "en\tbatteries\t電池\n"
    "vi\tpin\t電池\n"
    "vi\ttúi rác\tごみ袋 指定袋\n"
    "zh\t垃圾袋\t指定袋\n"
    "ko\t쓰레기 봉투\t指定袋\n"
    "ne\tफोहोर\tごみ\n"
    "\n"
)


def test_the_longest_entry_wins_and_each_word_counts_once():
    assert SMALL.japanese_words("Where can I buy GARBAGE BAGS?", "en") == ["ごみ袋", "指定袋"]
    assert SMALL.japanese_words("garbage day, garbage bags", "en") == ["ごみ袋", "指定袋", "ごみ"]


def test_accents_are_folded_as_residents_often_type_none():
    assert SMALL.japanese_words("Mua tui rac o dau? Pin cũ", "vi") == ["ごみ袋", "指定袋", "電池"]
    assert fold("Tiếng  Việt Đây") == "tieng viet day"


def test_a_plural_finds_its_singular_entry():
    glossary = Glossary.parse("en\tbattery\t電池\nen\tbox\t箱\npt\tpilha\t電池\n")
    assert glossary.japanese_words("Old batteries and boxes", "en") == ["電池", "箱"]
    assert glossary.japanese_words("Como descartar pilhas?", "pt") == ["電池"]
    assert glossary.japanese_words("glass", "en") == []


def test_latin_entries_match_whole_words_only():
    assert SMALL.japanese_words("The pinball machine", "vi") == []
    assert SMALL.japanese_words("garbagebags", "en") == []


def test_words_with_particles_or_without_spaces_match_inside_a_run():
    assert SMALL.japanese_words("垃圾袋在哪里买？", "zh") == ["指定袋"]
    assert SMALL.japanese_words("쓰레기 봉투는 어디서 사요?", "ko") == ["指定袋"]
    assert SMALL.japanese_words("फोहोरको दिन कहिले हो?", "ne") == ["ごみ"]


def test_another_language_or_none_finds_nothing():
    assert SMALL.japanese_words("garbage", "vi") == []
    assert SMALL.japanese_words("garbage", "tl") == []


def test_a_malformed_line_is_refused_with_its_number():
    with pytest.raises(ValueError, match="line 2"):
        Glossary.parse("en\tgarbage\tごみ\nen\tbatteries\n")


def test_the_built_in_glossary_covers_the_languages_residents_write():
    glossary = built_in()
    for language in ("en", "vi", "tl", "id", "pt", "es", "zh", "ko", "ne"):
        assert len(glossary.entries[language]) >= 100, language
    assert "電池" in glossary.japanese_words("How do I throw away old batteries?", "en")
    assert "住民票" in glossary.japanese_words("Where can I get my juminhyo?", "en")
