"""Learned phrasings in the search index: their own weighted field, kept in the index file, and
the workbook's switch, count and 学習しない言葉 sheet."""

from __future__ import annotations

from madoguchi.model import LearnedPhrasing
from madoguchi.search import SearchIndex, build_index
from madoguchi.search.index import LEARNED_FIELD, LEARNED_WEIGHT
from madoguchi.workbook import validate_workbook
from tests.support.workbooks import FAQ_HEADER, faq_row, make_workbook

FAQS = [
    FAQ_HEADER,
    faq_row("F1", "児童手当の申請方法", "子育て支援課で申請します。"),
    faq_row("F2", "粗大ごみの出し方", "予約センターに電話してください。"),
    faq_row("F3", "退職したときの国民健康保険", "14日以内に届け出てください。"),
]


def workbook(**sheets):
    result = validate_workbook(make_workbook({"FAQ": FAQS, **sheets}))
    assert result.ok, result.problems
    return result.workbook


def learned(text: str, faq_id: str) -> LearnedPhrasing:
    return LearnedPhrasing(text, faq_id, 2, 3, "2026-11-01T00:00:00Z", "2026-11-02T00:00:00Z")


def test_a_learned_phrasing_finds_its_faq_first():
    book = workbook()
    question = "仕事をやめた"
    before = build_index(book).search(question)
    assert not before.hits or before.hits[0].faq.id != "F3"
    index = build_index(book, learned=[learned("仕事をやめた 保険どうなる", "F3")])
    after = index.search(question)
    assert after.hits[0].faq.id == "F3" and after.answered
    assert index.weights[LEARNED_FIELD] == LEARNED_WEIGHT
    assert index.meta["counts"]["learned_phrasings"] == 1


def test_no_learned_field_without_learned_phrasings():
    index = build_index(workbook(), learned=[learned("ゆうれいFAQ", "F99")])
    assert LEARNED_FIELD not in index.weights and index.learned == ()


def test_the_index_file_keeps_what_the_bot_learned():
    phrasings = [learned("仕事をやめた 保険", "F3"), learned("育児手当", "F1")]
    index = build_index(workbook(), learned=phrasings)
    again = SearchIndex.from_bytes(index.to_bytes())
    assert again.learned == tuple(phrasings)
    assert again.search("育児手当").hits[0].faq.id == "F1"


def test_settings_switch_and_number_of_residents():
    book = workbook(
        設定=[["項目", "値"], ["住民の言葉から学ぶ", "しない"], ["学習に必要な人数", 3]]
    )
    assert book.settings.learn_from_residents is False
    assert book.settings.learn_min_residents == 3
    assert workbook().settings.learn_from_residents is True
    assert workbook().settings.learn_min_residents == 2
    result = validate_workbook(
        make_workbook({"FAQ": FAQS, "設定": [["項目", "値"], ["住民の言葉から学ぶ", "たぶん"]]})
    )
    assert not result.ok
    assert any("「する」か「しない」" in p.fix for p in result.problems)


def test_the_refusals_sheet():
    book = workbook(
        学習しない言葉=[["言葉", "ID", "メモ"], ["育児手当", "", ""], ["ばか", "F2", ""]]
    )
    assert [(r.words, r.faq_id, r.row) for r in book.refusals] == [
        ("育児手当", "", 2),
        ("ばか", "F2", 3),
    ]
    result = validate_workbook(
        make_workbook({"FAQ": FAQS, "学習しない言葉": [["言葉", "ID"], ["育児", "F404"]]})
    )
    assert result.ok
    assert result.workbook.refusals[0].faq_id == ""
    assert any("F404" in p.message for p in result.problems)


def test_the_upload_report_says_what_was_learned():
    from madoguchi.publish.upload_report import UploadReport, UploadStatus, learning_lines

    learned = {"enabled": True, "phrasings": 12, "residents": 30, "faqs": 9, "refused": 2}
    assert learning_lines(learned) == [
        "住民 30 人の質問から、言い換えを 12 件学びました(FAQ 9 件)。"
        "一覧は検索レポートの「学習した言い換え」シートにあります。",
        "「学習しない言葉」シートにより、2 件を学びませんでした。",
    ]
    assert "しない" in learning_lines({"enabled": False})[0]
    assert "読めなかった" in learning_lines({"enabled": True, "error": "Timeout"})[0]
    assert "まだありません" in learning_lines({"enabled": True, "phrasings": 0})[0]
    report = UploadReport(UploadStatus.PUBLISHED, "uploads/faq.xlsx", learning=learned)
    assert "■ 住民の言葉から学んだ言い換え" in report.text()
    refused = UploadReport(UploadStatus.REFUSED, "uploads/faq.xlsx", learning=learned)
    assert "住民の言葉" not in refused.text()
