"""A rebuild analyses only the texts that changed, and gives the same index as a cold build."""

from dataclasses import replace

from madoguchi.model import FaqWorkbook
from madoguchi.search import build_index
from madoguchi.search.analysis_cache import AnalysisCache
from tests.support.search_dev import dev_workbook


def test_a_rebuild_reuses_the_analysis_of_unchanged_texts_and_builds_the_same_index():
    workbook = dev_workbook()
    first = build_index(workbook, built_at="2026-01-01T00:00:00+00:00")
    assert first.analysis is not None and first.analysis.hits == 0
    changed = list(workbook.faqs)
    changed[0] = replace(changed[0], answer="窓口で受け付けます。受付時間は平日の朝9時からです。")
    edited = FaqWorkbook(faqs=tuple(changed), synonyms=workbook.synonyms)
    warm = build_index(
        edited, built_at="2026-01-01T00:00:00+00:00", previous_analysis=first.analysis.to_bytes()
    )
    cold = build_index(edited, built_at="2026-01-01T00:00:00+00:00")
    # Only the new answer: its terms, its kanji words and the word-vector table's words in it.
    assert warm.analysis.misses == 3
    assert warm.analysis.hits > 0
    for name, field in cold.fields.items():
        other = warm.fields[name]
        for array in ("keys", "starts", "doc_ids", "freqs", "doc_len"):
            assert (getattr(field, array) == getattr(other, array)).all(), (name, array)
    assert warm.kana_words.words == cold.kana_words.words and len(cold.kana_words) > 0
    assert warm.words is not None and cold.words is not None
    for name, array in cold.words.arrays().items():
        assert (warm.words.arrays()[name] == array).all(), name


def test_a_cache_of_another_analyzer_or_unreadable_bytes_is_ignored():
    workbook = dev_workbook()
    saved = build_index(workbook).analysis.to_bytes()
    other_synonyms = FaqWorkbook(faqs=workbook.faqs, synonyms=(("ごみ", "ゴミ", "塵芥"),))
    assert build_index(other_synonyms, previous_analysis=saved).analysis.hits == 0
    assert AnalysisCache.from_bytes(b"not a cache", "f").terms("t", "x", lambda t: ["y"]) == ["y"]
