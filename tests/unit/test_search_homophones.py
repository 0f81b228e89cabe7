"""Kanji typed with a slip of the same sound, read back into the FAQs' own words."""

import pytest

from madoguchi.model import Faq, FaqWorkbook
from madoguchi.search import build_index, homophones, reading
from madoguchi.search.homophones import KanjiReadings, parse_table, respelled
from madoguchi.search.kana_words import KanaWords

# The FAQs' kanji words by reading, as the indexer lists them.
WORDS = KanaWords(
    {
        "こていしさんぜい": "固定資産税",
        "しさん": "資産",
        "ひなん": "避難",
        "ひなんじょ": "避難所",
        "こくほ": "国保",
        "こうしゅう": "講習",
        "ねんじゅう": "年中",
        "だいこう": "代行",
        "じどう": "自動",  # the FAQs' most frequent word of this sound; 児童 is written too
        "なんじ": "何時",
    }
)
# What the FAQs write, as pairs of kanji.
WRITTEN = {
    "固定",
    "定資",
    "資産",
    "産税",
    "避難",
    "難所",
    "国保",
    "講習",
    "年中",
    "電気",
    "気代",
    "代行",
    *("自動", "児童", "童手", "手当", "何時"),
}
READINGS = KanjiReadings(
    {
        "試算": ("しさん",),
        "児童": ("じどう",),
        "自動": ("じどう",),
        "日": ("ひ", "にち"),
        "何": ("なん", "なに"),
        "持": ("じ", "もち"),
        "公衆": ("こうしゅう",),
        "試": ("し", "こころみ"),
        "算": ("さん",),
        "非": ("ひ",),
        "難": ("なん",),
        "所": ("しょ", "じょ"),
        "国": ("こく",),
        "歩": ("ほ", "あゆみ"),
        "年": ("ねん",),
        "住": ("じゅう",),
        "代": ("だい",),
        "高": ("こう", "たか"),
        "電": ("でん",),
        "気": ("き",),
    }
)


def mend(question: str) -> str | None:
    return respelled(question, WRITTEN.__contains__, WORDS, READINGS)


@pytest.mark.parametrize(
    ("typed", "meant"),
    [
        ("固定試算税の払い込みはできますか", "固定資産税の払い込みはできますか"),
        ("近くの非難所はどこですか", "近くの避難所はどこですか"),  # kanji by kanji: ひ+なん+じょ
        ("国歩の保険証なくした", "国保の保険証なくした"),
        # じどう is 自動 in the FAQs' reading list; the common words of that sound hold 児童.
        ("自動手当の申請", "児童手当の申請"),
    ],
)
def test_a_kanji_of_the_same_sound_becomes_the_word_the_faqs_write(typed, meant):
    assert mend(typed) == meant


@pytest.mark.parametrize(
    "question",
    [
        "固定資産税はいつ払いますか",  # every pair is written: nothing to mend
        "駅前の公衆トイレが汚い",  # a real word standing alone is not taken for 講習
        "海外に2年住むことになった",  # 住む is a verb: 年住 is two words, not 年中
        "電気代高すぎ",  # 高すぎ is an adjective: 電気代行 would be a word nobody meant
        "もう3日何も食べてません",  # 何 parts a run: 日何 is no 避難
        "何持っていけばいい",  # nor 何持 何時
        "じゅうみんひょう",  # no kanji
        "",
    ],
)
def test_what_is_not_a_slip_is_left_as_typed(question):
    assert mend(question) is None


def test_a_span_is_mended_only_when_the_whole_run_becomes_what_the_faqs_write():
    # 試算 sounds like 資産, but 私試算 would still hold a pair no FAQ writes.
    assert mend("私試算です") is None


def test_a_run_longer_than_any_word_is_left_as_typed():
    assert mend("非難所" + "国" * 20_000) is None  # and at once: no span of it is tried


def test_without_faq_words_or_readings_nothing_is_mended():
    assert respelled("非難所", WRITTEN.__contains__, KanaWords({}), READINGS) is None
    assert respelled("非難所", WRITTEN.__contains__, WORDS, KanjiReadings({})) is None


def test_a_span_is_read_as_its_word_first_then_kanji_by_kanji():
    assert READINGS.of("試算") == ["しさん"]
    assert READINGS.of("非難所") == ["ひなんしょ", "ひなんじょ"]
    assert READINGS.of("非龘") == []  # a kanji the table does not know: no guess


def test_the_table_file_reads_back_what_was_written(tmp_path):
    path = tmp_path / "readings.tsv"
    homophones.write_table({"資産": ["しさん"], "歩": ["ほ", "あゆみ"]}, path)
    table = parse_table(path.read_text(encoding="utf-8"))
    assert table.readings == {"資産": ("しさん",), "歩": ("ほ", "あゆみ")}


def test_the_layers_table_reads_common_words_and_kanji():
    table = homophones.table()
    assert table is not None and len(table) > 5_000
    assert "しさん" in table.of("試算") and "しさん" in table.of("資産")
    assert "ほ" in table.of("歩")


needs_sudachi = pytest.mark.skipif(
    not reading.readings_available(), reason="sudachipy and sudachidict_small are not installed"
)


@needs_sudachi
def test_a_mistyped_question_finds_its_faq_and_keeps_its_wording():
    faqs = (
        Faq(id="1", question="固定資産税の納期はいつですか", answer="4月、7月、12月、2月です。"),
        Faq(id="2", question="避難所はどこですか", answer="小学校の体育館です。"),
        Faq(id="3", question="粗大ごみを出したい", answer="受付センターに申し込みます。"),
    )
    index = build_index(FaqWorkbook(faqs=faqs))
    result = index.search("固定試算税の納期", k=3)
    assert result.query == "固定試算税の納期"  # what the resident typed, for logs and replies
    assert result.hits[0].faq.id == "1"
    assert "資産" in result.terms  # searched as the FAQ writes it
    assert index.search("非難所 どこ", k=3).hits[0].faq.id == "2"
