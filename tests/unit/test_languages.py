"""Another language: detection, the fixed texts, the translation columns and 設定 keys, the
postbacks that carry the language, and the terms of translated questions."""

from __future__ import annotations

import datetime as dt
import json
import re
from pathlib import Path

import pytest

from madoguchi.language import texts
from madoguchi.language.codes import BY_CODE, EASY_JAPANESE, from_profile, language_named
from madoguchi.language.detect import detect
from madoguchi.line import postback
from madoguchi.line.messages import MAX_LABEL_LENGTH, contact_message
from madoguchi.model import (
    BotSettings,
    Department,
    Faq,
    FaqWorkbook,
    Translation,
    faq_from_dict,
    faq_to_dict,
)
from madoguchi.search import SearchIndex, build_index
from madoguchi.search.across import in_language, simple_terms
from madoguchi.workbook import Severity, validate_workbook
from madoguchi.workbook.settings_sheet import translated_key
from tests.support.workbooks import FAQ_HEADER, faq_row, make_workbook

DATA = Path(__file__).resolve().parents[1] / "data"


@pytest.mark.parametrize(
    ("text", "language"),
    [
        ("Where is the evacuation shelter?", "en"),
        ("避难所在哪里？", "zh"),
        ("대피소는 어디에 있나요?", "ko"),
        ("Nơi lánh nạn ở đâu?", "vi"),
        ("Onde fica o abrigo de evacuação?", "pt"),
        ("¿Dónde está el refugio?", "es"),
        ("Saan ang evacuation center?", "tl"),
        ("Di mana tempat evakuasi?", "id"),
        ("आपतकालीन शरणस्थल कहाँ छ?", "ne"),
        ("避難所はどこ", None),
        ("住民票", None),  # kanji alone: Japanese
        ("生活保護", None),
        ("マイナンバーカード 暗証番号", None),
        ("Wi-Fi 使える?", None),
        ("👍", None),
    ],
)
def test_the_language_is_read_from_the_text(text, language):
    assert detect(text).language == language


def test_no_japanese_question_of_the_dev_sets_is_taken_for_another_language():
    for name in ("hard_dev.jsonl", "blind_questions_judged.jsonl", "kana_questions.jsonl"):
        for line in (DATA / name).read_text(encoding="utf-8").splitlines():
            query = json.loads(line)["query"]
            assert detect(query).language is None, (name, query)


def test_every_multilingual_dev_question_is_read_in_its_language():
    lines = (DATA / "multilingual_dev.jsonl").read_text(encoding="utf-8").splitlines()
    questions = [json.loads(line) for line in lines]
    assert len(questions) >= 150
    assert len({q["language"] for q in questions}) >= 6
    wrong = [q["query"] for q in questions if detect(q["query"]).language != q["language"]]
    assert wrong == []


@pytest.mark.parametrize(
    ("text", "profile", "language", "sure"),
    [
        ("PC", None, None, False),  # one Latin word: the profile must decide
        ("PC", "en", "en", True),
        ("PC", "ja", None, True),
        ("garbage", "vi", "vi", True),
        ("Где мусор?", None, EASY_JAPANESE, False),  # a script without texts of its own
        ("Где мусор?", "en", "en", True),
        ("Where is the evacuation shelter?", "ja", "en", True),  # the text tells
    ],
)
def test_the_profile_decides_what_the_text_cannot_tell(text, profile, language, sure):
    found = detect(text, profile)
    assert (found.language, found.sure) == (language, sure)


@pytest.mark.parametrize(
    ("tag", "code"),
    [
        ("en", "en"),
        ("zh-Hant", "zh"),
        ("pt-BR", "pt"),
        ("fil", "tl"),
        ("ja", "ja"),
        ("th", EASY_JAPANESE),
        ("", None),
        (None, None),
    ],
)
def test_line_profile_tags_become_our_codes(tag, code):
    assert from_profile(tag) == code


def test_every_language_has_every_fixed_text_and_short_button_labels():
    for code in texts.LANGUAGE_CODES:
        assert set(texts.TEXTS[code]) == set(texts.SETTING_NAMES), code
        assert all(texts.TEXTS[code].values()), code
        for label in texts.LABELS:
            assert len(texts.TEXTS[code][label]) <= MAX_LABEL_LENGTH, (code, label)
    assert len(texts.LANGUAGE_CODES) == 10  # nine languages and やさしい日本語
    assert len(set(texts.SETTING_NAMES.values())) == len(texts.SETTING_NAMES)


def test_every_translation_keeps_the_placeholders_its_reply_fills():
    english = texts.TEXTS["en"]
    for code in texts.LANGUAGE_CODES:
        for key, text in texts.TEXTS[code].items():
            wanted = set(re.findall(r"\{(\w+)\}", english[key]))
            assert set(re.findall(r"\{(\w+)\}", text)) == wanted, (code, key)


@pytest.mark.parametrize(
    ("code", "expected"),
    [
        ("en", "Tue 29 Dec, 8:30"),
        ("zh", "12月29日（周二）8:30"),
        ("ko", "12월 29일(화) 8:30"),
        ("vi", "8:30 Thứ Ba, ngày 29/12"),
        ("es", "29/12 (mar) a las 8:30"),
        (EASY_JAPANESE, "12がつ 29にち(火) 8:30"),
    ],
)
def test_a_moment_is_written_as_each_language_writes_it_in_japan_time(code, expected):
    moment = dt.datetime(2026, 12, 28, 23, 30, tzinfo=dt.UTC)  # 8:30 on the 29th in Japan
    assert texts.moment_text(moment, code) == expected


def test_fixed_texts_fill_their_placeholders():
    filled = texts.text_for(texts.HOW_TO_GO_BACK, "en", {}, "Hoshimi", back="Back")
    assert filled == "To go back to automatic answers, tap “Back”."


def test_the_city_s_wording_replaces_a_fixed_text():
    overrides = {texts.override_key(texts.GREETING, "en"): "Welcome to {city_name}!"}
    assert texts.text_for(texts.GREETING, "en", overrides, "Hoshimi") == "Welcome to Hoshimi!"
    default = texts.text_for(texts.GREETING, "vi", overrides, "Hoshimi")
    assert default.startswith("Cảm ơn") and "Hoshimi" in default


@pytest.mark.parametrize(
    ("key", "expected"),
    [
        ("あいさつ (English)", "greeting:en"),
        ("あいさつ（英語）", "greeting:en"),
        ("回答なしメッセージ(やさしい日本語)", "not_found:ja-easy"),
        ("職員に相談ボタン (Tiếng Việt)", "staff:vi"),
        ("あいさつ (Klingon)", None),
        ("あいさつ", None),
    ],
)
def test_settings_keys_name_a_text_and_a_language(key, expected):
    assert translated_key(key) == expected


def test_settings_sheet_keeps_the_translated_texts_and_checks_their_length():
    result = validate_workbook(
        make_workbook(
            {
                "FAQ": [FAQ_HEADER, faq_row(1, "粗大ごみの出し方", "予約してください。")],
                "設定": [
                    ["項目", "値"],
                    ["あいさつ (English)", "Hello from {city_name}."],
                    ["回答なしメッセージ (English)", "x" * 5001],
                ],
            }
        )
    )
    assert result.workbook is not None
    assert result.workbook.settings.translated_texts == {"greeting:en": "Hello from {city_name}."}
    (problem,) = [p for p in result.problems if p.sheet == "設定"]
    assert problem.severity is Severity.ERROR and problem.cell == "B3"


def translated_workbook(*rows):
    header = [*FAQ_HEADER, "質問 (English)", "回答(English)", "質問 (Tiếng Việt)"]
    return validate_workbook(make_workbook({"FAQ": [header, *rows]}))


def test_translation_columns_are_read_into_each_faq():
    result = translated_workbook(
        [
            *faq_row(1, "粗大ごみの出し方", "予約してください。"),
            "Oversized garbage",
            "Book it.",
            "",
        ],
        [*faq_row(2, "住民票の取り方", "窓口でどうぞ。"), "", "", "Lấy phiếu cư trú"],
    )
    assert result.workbook is not None and not result.errors
    first, second = result.workbook.faqs
    assert first.translations == (Translation("en", "Oversized garbage", "Book it."),)
    assert second.translations == (Translation("vi", "Lấy phiếu cư trú", ""),)
    # A question without its answer is used (the answer stays Japanese), with a warning there.
    (warning,) = [p for p in result.problems if p.cell == "L3"]
    assert warning.severity is Severity.WARNING and "回答 (Tiếng Việt)" in warning.message


def test_a_translated_answer_without_its_question_is_not_used_and_says_where():
    result = translated_workbook(
        [*faq_row(1, "粗大ごみの出し方", "予約してください。"), "", "Book it.", ""],
    )
    assert result.workbook is not None
    assert result.workbook.faqs[0].translations == ()
    (warning,) = [p for p in result.problems if p.cell == "K2"]
    assert "質問 (English)" in warning.message


def test_a_translated_answer_too_long_for_line_is_an_error_at_its_cell():
    result = translated_workbook(
        [*faq_row(1, "粗大ごみの出し方", "予約してください。"), "Garbage", "x" * 5001, ""],
    )
    (error,) = [p for p in result.problems if p.severity is Severity.ERROR]
    assert error.cell == "K2"


def test_translations_travel_through_the_index_file_and_json():
    faq = Faq("1", "粗大ごみの出し方", "予約", translations=(Translation("en", "Garbage", "Book"),))
    assert faq_from_dict(faq_to_dict(faq)) == faq
    others = (Faq("2", "住民票", "窓口"), Faq("3", "児童手当", "申請"))
    index = build_index(FaqWorkbook(faqs=(faq, *others)))
    loaded = SearchIndex.from_bytes(index.to_bytes())
    assert loaded.faq("1") == faq
    assert loaded.translated["en"].has.tolist() == [True, False, False]
    # BM25 alone reads the English question through the city's translation.
    found = loaded.search_across("oversized garbage", "en")
    assert [hit.faq.id for hit in found.hits] == ["1"] and not found.answered
    assert loaded.search_across("oversized garbage", "vi").hits == []  # nothing in Vietnamese


def test_an_index_without_translations_is_the_same_file_as_before():
    workbook = FaqWorkbook(faqs=(Faq("1", "粗大ごみの出し方", "予約"),))
    index = build_index(workbook, built_at="2026-01-01T00:00:00+00:00")
    assert "translated" not in index.meta and not index.translated
    assert b"translated." not in index.to_bytes()


def test_a_faq_reads_in_the_residents_language_where_translated():
    faq = Faq("1", "粗大ごみ", "予約", translations=(Translation("en", "Garbage", ""),))
    assert in_language(faq, "en").question == "Garbage"
    assert in_language(faq, "en").answer == "予約"  # no translated answer: the Japanese one
    assert in_language(faq, "vi") is faq


def test_simple_terms_fold_accents_and_pair_characters_of_unspaced_scripts():
    assert simple_terms("Where is the Évacuation shelter?") == ["evacuation", "shelter"]
    assert simple_terms("Rác cháy được") == ["rac", "chay", "duoc"]
    assert simple_terms("避难所") == ["避难", "难所"]


@pytest.mark.parametrize(
    "action",
    [
        postback.ShowFaq("12", postback.Source.CHOICE, "en"),
        postback.AskStaff(postback.Source.BUTTON, "vi"),
        postback.ShowFaq("12", postback.Source.CHOICE),
        postback.Feedback("12", False, "s1", "ko"),
        postback.BackToBot("es"),
        postback.ListCategory("ごみ", 2, "", "tl"),
        postback.ListCategories(2, "ne"),
    ],
)
def test_postbacks_carry_the_language(action):
    assert postback.decode(postback.encode(action)) == action


def test_an_unknown_language_in_a_postback_falls_back_to_japanese():
    assert postback.decode("a=faq&id=1&src=choice&l=xx") == postback.ShowFaq("1", "choice", "")


def test_language_names_in_headers_are_matched_loosely():
    assert language_named("english") is BY_CODE["en"]
    assert language_named("ベトナム語") is BY_CODE["vi"]
    assert language_named("Bahasa  Indonesia") is BY_CODE["id"]
    assert language_named("Deutsch") is None


def test_the_department_contact_speaks_the_residents_language_around_the_citys_words():
    faq = Faq(id="1", question="粗大ごみの出し方", answer="予約してください。", department="環境課")
    department = Department(
        "環境課", "0120-000-101", "平日 8:30-17:15", "https://example.jp", "本庁舎2階"
    )
    bubble = contact_message(faq, department, BotSettings(), "en").to_dict()
    texts_shown = [c["text"] for c in bubble["contents"]["body"]["contents"]]
    assert texts_shown == ["Contact", "環境課", "平日 8:30-17:15", "本庁舎2階"]
    call, page = bubble["contents"]["footer"]["contents"]
    assert call["action"]["label"] == "Call 0120-000-101"
    assert call["action"]["uri"] == "tel:0120000101"
    assert page["action"]["label"] == "More information"
