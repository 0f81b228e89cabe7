"""Terms: tinysegmenter words (kana folded, function words dropped) and character n-grams."""

from madoguchi.search.synonyms import SynonymMap
from madoguchi.search.tokenize import (
    BIGRAM_PREFIX,
    HIRAGANA_BIGRAM_PREFIX,
    RECALL_ONLY,
    UNIGRAM_PREFIX,
    Analyzer,
    TokenizerSettings,
    bigrams,
    segment,
)


def words(terms):
    return [t for t in terms if not t.startswith(BIGRAM_PREFIX)]


def grams(terms):
    return [t[1:] for t in terms if t.startswith(BIGRAM_PREFIX)]


def test_segment_folds_katakana_and_drops_particles():
    assert segment("粗大ゴミの出し方を") == ["粗大ごみ", "出し方"]


def test_katakana_and_hiragana_spellings_give_the_same_words():
    assert segment("ゴミの日") == segment("ごみの日")


def test_bigrams_inside_kanji_and_katakana_runs_only():
    assert grams(bigrams("住民票をコンビニで", TokenizerSettings())) == [
        "住民",
        "民票",
        "こん",
        "んび",
        "びに",
    ]


def test_okurigana_bridge_makes_spelling_variants_meet():
    settings = TokenizerSettings()
    assert grams(bigrams("申し込み", settings)) == grams(bigrams("申込", settings)) == ["申込"]
    # の is a particle, not okurigana: no bigram across it
    assert grams(bigrams("市の施設", settings)) == ["施設"]


def test_analyzer_strips_boilerplate_and_applies_synonyms():
    analyzer = Analyzer(
        SynonymMap([("粗大ごみ", "大型ごみ")]), TokenizerSettings(default_synonyms=False)
    )
    assert words(analyzer.terms("大型ゴミの出し方を教えてください")) == words(
        analyzer.terms("粗大ごみの出し方")
    )


def test_query_terms_are_distinct_and_bounded():
    analyzer = Analyzer(SynonymMap([]))
    terms = analyzer.query_terms("住民票 住民票 住民票", 200)
    assert len(terms) == len(set(terms))
    assert "住民票" in terms
    long_terms = analyzer.query_terms("住民票" + "あ" * 5000 + "印鑑", 200)
    assert "印鑑" not in long_terms


def test_nothing_left_of_greetings_and_emoji():
    analyzer = Analyzer(SynonymMap([]))
    assert analyzer.terms("こんにちは!") == []
    assert analyzer.terms("🙏🙏🙏") == []
    assert analyzer.terms("") == []


def test_recall_terms_live_in_their_own_spaces():
    terms = bigrams("粗大そだいごみ", TokenizerSettings())
    assert BIGRAM_PREFIX + "粗大" in terms
    assert HIRAGANA_BIGRAM_PREFIX + "そだ" in terms
    assert UNIGRAM_PREFIX + "粗" in terms and UNIGRAM_PREFIX + "大" in terms
    assert all(t.startswith((BIGRAM_PREFIX, *RECALL_ONLY)) for t in terms)
    plain = bigrams(
        "粗大そだいごみ", TokenizerSettings(hiragana_bigrams=False, kanji_unigrams=False)
    )
    assert plain == [BIGRAM_PREFIX + "粗大"]


def test_inflected_words_reduce_to_their_kanji_stem():
    assert segment("捨てたい", stems=True) == segment("捨てる", stems=True) == ["捨"]
    assert segment("捨てたい") == ["捨て"]
