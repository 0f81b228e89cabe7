"""Questions typed in kana find FAQs written in kanji, through the FAQs' hiragana readings."""

import logging
import os
import subprocess
import sys
from pathlib import Path

import pytest

import madoguchi
from madoguchi.conversation.search_reply import ReplyKind, decide
from madoguchi.model import FaqWorkbook
from madoguchi.search import SearchIndex, build_index, reading
from madoguchi.search.normalize import surface
from madoguchi.search.reading import READING_PREFIX
from madoguchi.search.tokenize import TokenizerSettings, kana_words
from tests.support.search_dev import dev_workbook

DATA = Path(__file__).resolve().parents[1] / "data"
# Written by the index code of format 1 before readings existed (no reading field, no
# "readings" tokenizer setting): FAQs 1 住民票, 2 粗大ごみ, 3 印鑑登録, 4 洗濯機.
FORMAT1_INDEX = DATA / "search_index_format1.bin"


@pytest.fixture(scope="module")
def workbook() -> FaqWorkbook:
    return dev_workbook()


@pytest.fixture(scope="module")
def index(workbook) -> SearchIndex:
    # The reading field's own ranking: word vectors, which reorder BM25 without e5, are tested
    # in test_search_word_vectors.py.
    return build_index(workbook, words=False)


@pytest.fixture(scope="module")
def without_readings(workbook) -> SearchIndex:
    return build_index(workbook, settings=TokenizerSettings(readings=False), words=False)


def test_reading_of_kanji_text_is_hiragana():
    assert reading.reading("住民票の写し") == "じゅうみんひょうのうつし"
    assert reading.reading("マイナンバーカード") == "まいなんばーかーど"
    assert reading.reading("洗濯機の捨て方") == "せんたくきのすてかた"
    assert reading.reading("国民健康保険に入りたい") == "こくみんけんこうほけんにはいりたい"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # Digits, letters, spaces stay as written (Sudachi reads 15 as いちご, a space as きごう).
        ("15歳の子ども", "15さいのこども"),
        ("10万円 led電球", "10まんえん ledでんきゅう"),
        # Words the small dictionary splits and misreads.
        ("期日前投票", "きじつぜんとうひょう"),
        ("外国人の転入", "がいこくじんのてんにゅう"),
        ("何時まで", "なんじまで"),
        ("何時間かかる", "なんじかんかかる"),
        # A day named by a noun is び; after の it is ひ.
        ("土曜日の収集日", "どようびのしゅうしゅうび"),
        ("休みの日", "やすみのひ"),
        # 所 after a noun is じょ, except in 事務所.
        ("避難所と投票所", "ひなんじょととうひょうじょ"),
        ("事務所", "じむしょ"),
        # 方 after の is a person; after a verb, a way of doing.
        ("外国籍の方", "がいこくせきのかた"),
        ("何ごみ", "なにごみ"),
        ("何回", "なんかい"),
    ],
)
def test_readings_of_words_the_small_dictionary_misreads(text, expected):
    assert reading.reading(text) == expected


def test_ngrams_are_prefixed_trigrams_inside_kana_runs():
    # Runs end at spaces and digits; a run shorter than three characters gives nothing.
    assert reading.ngrams("ごみの だしかた 300えん") == [
        READING_PREFIX + g for g in ["ごみの", "だしか", "しかた"]
    ]
    assert reading.ngrams("ごみ") == []


def test_query_ngrams_only_for_questions_typed_without_kanji():
    assert reading.query_ngrams("ｼﾞｭｳﾐﾝﾋｮｳ", "じゅうみんひょう") == [
        READING_PREFIX + g for g in ["じゅう", "ゅうみ", "うみん", "みんひ", "んひょ", "ひょう"]
    ]
    # Half-width katakana arrive here as full-width (NFKC) and are folded to hiragana.
    assert reading.query_ngrams("ﾄｼｮｶﾝ", "トショカン") == reading.query_ngrams("", "としょかん")
    # With kanji in the question, its kana words are read instead (see test_kana_words_…).
    assert reading.query_ngrams("住民票をとりたい", "住民票をとりたい") == []


@pytest.mark.parametrize(
    ("question", "words"),
    [
        ("父がなくなった", ["なくなっ"]),
        ("としょかん 何時まで", ["としょかん"]),
        ("子供の よぼうせっしゅ", ["よぼうせっしゅ"]),
        # Particles, endings and the verbs residents wrap a topic in are not topics.
        ("住民票をとりたい", []),
        ("住民票 どこでもらえる?", []),
        ("保育園 いつまでにすればいい", []),
        ("ゴミの日いつ", []),
    ],
)
def test_kana_words_of_questions_with_kanji(question, words):
    assert kana_words(surface(question)) == words


@pytest.mark.parametrize(
    ("question", "faq_id"),
    [
        ("よぼうせっしゅ 子供", "D024"),
        ("いんかんとうろく 必要なもの", "D009"),
        ("じどうてあて 申請", "D016"),
    ],
)
def test_mixed_question_keeps_its_kana_words(index, without_readings, question, faq_id):
    result = index.search(question)
    # Answered, or at least offered first among the choices (BM25 alone judges いんかんとうろく
    # 必要なもの right with P 0.63, under the answer threshold).
    assert result.hits[0].faq.id == faq_id
    assert decide(result).kind is not ReplyKind.NOTHING_CLOSE
    assert any(t.startswith(READING_PREFIX) for t in result.terms)
    before = without_readings.search(question)
    assert not before.answered


@pytest.mark.parametrize(
    ("question", "faq_id"),
    [
        ("じゅうみんひょう どこでとれる", "D005"),
        ("いんかんとうろく", "D009"),
        ("いんかんとうろくを教えてください", "D009"),
        ("ｺｾｷﾄｳﾎﾝ ﾕｳｿｳ", "D008"),
        ("じどうてあての しんせい", "D016"),
        ("こくみんけんこうほけん はいりたい", "D021"),
        ("ひなんじょ どこ", "D036"),
        ("ｼｴｲｼﾞｭｳﾀｸ ﾓｳｼｺﾐ", "D034"),
    ],
)
def test_kana_question_finds_the_kanji_faq(index, without_readings, question, faq_id):
    result = index.search(question)
    assert result.hits[0].faq.id == faq_id
    # Answered, or at least offered first among the choices.
    assert decide(result).kind is not ReplyKind.NOTHING_CLOSE
    assert any(t.startswith(READING_PREFIX) for t in result.terms)
    before = without_readings.search(question)
    assert not before.answered or before.hits[0].faq.id != faq_id


def test_questions_with_kanji_and_no_kana_words_rank_as_without_readings(
    index, without_readings, workbook
):
    questions = [
        t.query
        for t in workbook.tests
        if reading._KANJI.search(t.query) and not kana_words(surface(t.query))
    ]
    assert len(questions) > 50
    for question in questions:
        with_field, plain = index.search(question, k=10), without_readings.search(question, k=10)
        assert [(h.faq.id, h.score, h.confidence) for h in with_field.hits] == [
            (h.faq.id, h.score, h.confidence) for h in plain.hits
        ]
        assert with_field.answered == plain.answered
        assert not any(t.startswith(READING_PREFIX) for t in with_field.terms)


@pytest.mark.parametrize("question", ["おはよう", "きょうは いいてんきですね", "ｵﾂｶﾚｻﾏ"])
def test_kana_chit_chat_is_not_answered(index, question):
    assert not index.search(question).answered


def test_index_records_the_reading_field(index):
    assert index.meta["tokenizer"]["readings"] is True
    assert index.weights["reading"] == 1.0
    assert index.meta["counts"]["terms"]["reading"] > 0


def test_without_sudachi_the_index_is_built_without_readings(workbook, monkeypatch, caplog):
    with monkeypatch.context() as patch:
        patch.setitem(sys.modules, "sudachipy", None)  # `import sudachipy` now raises
        reading._tokenizer.cache_clear()
        try:
            with caplog.at_level(logging.WARNING, logger=reading.__name__):
                built = build_index(workbook)
                again = build_index(workbook)
            with pytest.raises(RuntimeError, match="sudachipy"):
                reading.reading("住民票")
        finally:
            reading._tokenizer.cache_clear()
    warnings = [r for r in caplog.records if r.name == reading.__name__]
    assert len(warnings) == 1 and "sudachipy" in warnings[0].getMessage()
    for index in (built, again):
        assert "reading" not in index.weights
        assert index.meta["tokenizer"]["readings"] is False
    assert built.search("住民票の写しがほしい").hits[0].faq.id == "D005"
    assert not any(t.startswith(READING_PREFIX) for t in built.search("いんかんとうろく").terms)
    assert reading.readings_available()  # back once sudachipy can be imported again


def test_round_trip_keeps_the_reading_field(index):
    loaded = SearchIndex.from_bytes(index.to_bytes())
    assert loaded.analyzer.settings.readings
    for question in ("いんかんとうろく", "ｼﾞｭｳﾐﾝﾋｮｳ", "住民票ほしい"):
        before, after = index.search(question), loaded.search(question)
        assert [(h.faq.id, h.score, h.confidence) for h in after.hits] == [
            (h.faq.id, h.score, h.confidence) for h in before.hits
        ]


def test_index_file_from_before_readings_still_loads_and_answers():
    old = SearchIndex.from_bytes(FORMAT1_INDEX.read_bytes())
    assert old.meta["format_version"] == 1
    assert "reading" not in old.weights and not old.analyzer.settings.readings
    assert old.search("粗大ごみを出したい").hits[0].faq.id == "2"
    # Without a reading field a kana question gets no reading n-grams (they could match nothing).
    assert not any(t.startswith(READING_PREFIX) for t in old.search("いんかんとうろく").terms)


def test_loading_and_searching_never_imports_sudachi(index, tmp_path):
    path = tmp_path / "index.bin"
    path.write_bytes(index.to_bytes())
    script = (
        "import sys\n"
        "from madoguchi.search import SearchIndex\n"
        f"index = SearchIndex.from_bytes(open({str(path)!r}, 'rb').read())\n"
        "result = index.search('いんかんとうろく')\n"
        "print(result.hits[0].faq.id, any(m.startswith('sudachi') for m in sys.modules))\n"
    )
    layer = str(Path(madoguchi.__file__).resolve().parents[1])
    env = {**os.environ, "PYTHONPATH": layer}
    done = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, env=env, check=True
    )
    assert done.stdout.split() == ["D009", "False"]
