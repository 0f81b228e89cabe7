"""The optional sheets 同義語, 設定, メニュー, テスト: read and checked against the FAQ sheet."""

from __future__ import annotations

import datetime as dt
from datetime import datetime

from madoguchi.clock import JST
from madoguchi.model import ActionKind, BotSettings
from madoguchi.workbook import Severity, validate_workbook
from tests.support.clock import FixedClock
from tests.support.workbooks import FAQ_HEADER, faq_row, make_workbook

FAQ_ROWS = [
    FAQ_HEADER,
    faq_row(1, "粗大ごみの出し方", "予約してください。", category="ごみ"),
    faq_row(2, "住民票の取り方", "窓口でどうぞ。", category="届出・証明"),
    faq_row(3, "下書き", "まだ公開しません。", category="下書き", published="×"),
]


def check(**sheets):
    return validate_workbook(make_workbook({"FAQ": FAQ_ROWS, **sheets}))


def at(result, sheet, cell):
    return [p for p in result.problems if p.sheet == sheet and p.cell == cell]


def only_at(result, sheet, cell, severity=Severity.ERROR):
    found = at(result, sheet, cell)
    assert len(found) == 1, result.problems
    assert found[0].severity is severity
    return found[0]


def test_optional_sheets_absent_means_defaults():
    result = check()
    assert result.ok
    assert result.workbook.settings == BotSettings()
    assert (result.workbook.synonyms, result.workbook.menu, result.workbook.tests) == ((), (), ())


# --- 同義語


def test_synonym_groups_are_rows_of_words():
    rows = [
        ["見出しは無視"],
        ["ごみ", "ゴミ", None, "塵"],
        ["住民票", "じゅうみんひょう、住民票の写し"],
    ]
    result = check(同義語=rows)
    assert result.ok
    assert result.workbook.synonyms == (
        ("ごみ", "ゴミ", "塵"),
        ("住民票", "じゅうみんひょう", "住民票の写し"),
    )


def test_lonely_word_and_word_in_two_groups_warn():
    rows = [["語"], ["ごみ", "ゴミ"], [None, "ひとつ"], ["塵", "ごみ"]]
    result = check(同義語=rows)
    assert result.ok
    assert "1つしかありません" in only_at(result, "同義語", "B3", Severity.WARNING).message
    assert "2行目 と 4行目" in only_at(result, "同義語", "B4", Severity.WARNING).message
    assert result.workbook.synonyms == (("ごみ", "ゴミ"), ("塵", "ごみ"))


# --- 設定


def settings_rows(*pairs):
    return [["項目", "値", "説明"], *[[k, v, "説明文"] for k, v in pairs]]


def test_settings_become_bot_settings():
    rows = settings_rows(
        ("自治体名", "星見ヶ丘市"),
        ("あいさつ", "{city_name}の窓口です。\n受付は{office_hours}です。"),
        ("職員対応時間", "月-金 8:30-17:15\n土 9:00-12:00"),
        ("休業日", "2026-12-29~2026-12-31, 2027/01/02\n2027-01-03"),
        ("職員対応の自動終了(分)", 30),
        ("検索ログ保存日数", "９０"),
        ("回答しきい値", 1.5),
        ("問い合わせ先", ""),
    )
    result = check(設定=rows)
    assert result.ok, result.problems
    settings = result.workbook.settings
    assert settings.city_name == "星見ヶ丘市"
    assert settings.greeting.startswith("{city_name}の窓口です。")
    assert settings.office_hours == "月-金 8:30-17:15\n土 9:00-12:00"
    assert settings.closed_days == (
        "2026-12-29",
        "2026-12-30",
        "2026-12-31",
        "2027-01-02",
        "2027-01-03",
    )
    assert settings.handover_timeout_minutes == 30
    assert settings.log_retention_days == 90
    assert settings.answer_threshold == 1.5
    assert settings.contact == BotSettings().contact  # empty value keeps the default


def test_a_date_cell_is_a_closed_day():
    result = check(設定=settings_rows(("休業日", dt.datetime(2026, 12, 29))))
    assert result.workbook.settings.closed_days == ("2026-12-29",)


def test_setting_values_are_type_checked():
    rows = settings_rows(
        ("職員対応の自動終了(分)", "0"),
        ("検索ログ保存日数", "1.5"),
        ("回答しきい値", "-1"),
        ("職員対応時間", "平日の昼間"),
        ("休業日", "2026-12-29, 12月30日"),
    )
    result = check(設定=rows)
    assert not result.ok
    assert "1以上の整数" in only_at(result, "設定", "B2").message
    assert "1以上の整数" in only_at(result, "設定", "B3").message
    assert "0以上の数" in only_at(result, "設定", "B4").message
    assert "職員対応時間" in only_at(result, "設定", "B5").message
    assert "「12月30日」" in only_at(result, "設定", "B6").message
    assert result.workbook.settings == BotSettings()  # invalid values keep the defaults


def test_answer_certainty_takes_plain_words_and_names_the_cell_otherwise():
    result = check(設定=settings_rows(("回答の確かさ", "慎重")))
    assert result.ok and result.workbook.settings.answer_certainty == "慎重"
    assert (
        check(設定=settings_rows(("回答の確かさ", " 積極的 "))).workbook.settings.answer_certainty
        == "積極的"
    )
    wrong = check(設定=settings_rows(("回答の確かさ", "0.9")))
    problem = only_at(wrong, "設定", "B2")
    assert "「回答の確かさ」の値「0.9」は使えません" in problem.message
    assert "「ふつう」「慎重」「積極的」" in problem.fix
    assert wrong.workbook.settings.answer_certainty == "ふつう"


def test_unknown_and_repeated_setting_keys_warn():
    rows = settings_rows(("色", "青"), ("自治体名", "A市"), ("自治体名", "B市"))
    result = check(設定=rows)
    assert result.ok
    unknown = only_at(result, "設定", "A2", Severity.WARNING)
    assert "使われません" in unknown.message and "「自治体名」" in unknown.fix
    assert "3行目" in only_at(result, "設定", "A4", Severity.WARNING).message
    assert result.workbook.settings.city_name == "A市"


def test_resident_texts_fit_line_and_placeholders_are_checked():
    rows = settings_rows(
        ("あいさつ", "あ" * 5001),
        ("回答なしメッセージ", "{name}さん、すみません"),
        ("職員引き継ぎメッセージ", "受付は｛office_hours｝です"),
    )
    result = check(設定=rows)
    assert "5,000文字" in only_at(result, "設定", "B2").message
    assert "{name}" in only_at(result, "設定", "B3", Severity.WARNING).message
    assert "半角" in only_at(result, "設定", "B4", Severity.WARNING).fix


def test_small_talk_replies_are_read_and_checked_like_the_other_texts():
    rows = settings_rows(
        ("お礼への返事", "どういたしまして。"),
        ("あいさつへの返事", "{city_name}です。"),
        ("あいづちへの返事", "あ" * 5001),
        ("短いメッセージへの返事", "{どうぞ}"),
    )
    result = check(設定=rows)
    assert "5,000文字" in only_at(result, "設定", "B4").message
    assert "{どうぞ}" in only_at(result, "設定", "B5", Severity.WARNING).message
    pairs = (("お礼への返事", "どういたしまして。"), ("あいさつへの返事", "{city_name}です。"))
    settings = check(設定=settings_rows(*pairs)).workbook.settings
    assert (settings.thanks_reply, settings.hello_reply) == (
        "どういたしまして。",
        "{city_name}です。",
    )
    assert settings.nod_reply == BotSettings().nod_reply  # not given: the default


def notice_check(*pairs, menu=None, now=datetime(2026, 9, 1, 12, tzinfo=JST)):
    sheets = {"設定": settings_rows(*pairs)}
    if menu is not None:
        sheets["メニュー"] = [MENU_HEADER, *menu]
    return validate_workbook(make_workbook({"FAQ": FAQ_ROWS, **sheets}), clock=FixedClock(now))


TABS = [["くらし", "住民票", "FAQ", 2], ["防災", "避難所", "テキスト", "避難所はどこ"]]


def test_a_notice_is_read_with_its_times_in_japan_time():
    result = notice_check(
        ("お知らせ", "台風のため、窓口は午後3時で閉まります。"),
        ("お知らせのURL", "https://www.example.jp/bousai"),
        ("お知らせの開始", "2026/9/1 15:00"),
        ("お知らせの終了", dt.datetime(2026, 9, 2, 9, 0)),  # an Excel date-time cell
        ("お知らせ中のメニュー", "防災"),
        menu=TABS,
    )
    assert result.ok and not result.problems, result.problems
    settings = result.workbook.settings
    assert settings.notice_start == "2026-09-01T15:00:00+09:00"
    assert settings.notice_end == "2026-09-02T09:00:00+09:00"
    assert (settings.notice_url, settings.notice_menu_tab) == (
        "https://www.example.jp/bousai",
        "防災",
    )


def test_wrong_notice_times_are_errors_in_japanese():
    result = notice_check(
        ("お知らせ", "断水のお知らせ"),
        ("お知らせの開始", "9月1日の夕方"),
        ("お知らせの終了", "2026-09-01 10:00"),
    )
    assert not result.ok
    unreadable = only_at(result, "設定", "B3")
    assert "「お知らせの開始」の日時「9月1日の夕方」が読めません" in unreadable.message
    assert "2026-09-01 18:00" in unreadable.fix
    past = only_at(result, "設定", "B4", Severity.WARNING)  # no start to compare with
    assert "2026年9月1日 10:00" in past.message and "過ぎている" in past.message
    result = notice_check(
        ("お知らせ", "断水のお知らせ"),
        ("お知らせの開始", "2026-09-03 10:00"),
        ("お知らせの終了", "2026-09-02 10:00"),
    )
    backwards = only_at(result, "設定", "B4")
    assert "「お知らせの終了」(2026年9月2日 10:00)" in backwards.message
    assert "より前" in backwards.message and not result.ok


def test_a_notice_that_cannot_show_says_why():
    result = notice_check(
        ("お知らせのURL", "www.example.jp"),
        ("お知らせの開始", "2026-09-01"),
        ("お知らせ中のメニュー", "防災"),
        menu=TABS,
    )
    assert "http" in only_at(result, "設定", "B2").message
    assert "文章が空" in only_at(result, "設定", "B3", Severity.WARNING).message
    result = notice_check(("お知らせ", "長い" * 200), ("お知らせ中のメニュー", "緊急"), menu=TABS)
    assert "長め" in only_at(result, "設定", "B2", Severity.WARNING).message
    unknown = only_at(result, "設定", "B3", Severity.WARNING)
    assert "「緊急」というタブがメニューシートにありません" in unknown.message
    assert "「くらし」・「防災」" in unknown.fix
    assert result.ok  # warnings: the answers are still published


# --- メニュー

MENU_HEADER = ["タブ", "ボタン", "動作", "値"]


def test_menu_tabs_group_buttons_in_order_of_first_appearance():
    rows = [
        MENU_HEADER,
        ["くらし", "粗大ごみ", "FAQ", "１"],
        [None, "届出", "カテゴリ", "届出・証明"],
        ["相談", "職員と話す", "職員に相談", "無視される"],
        ["くらし", "市のサイト", "url", "https://www.city.example.jp/"],
        ["相談", "使い方", "テキスト", "使い方"],
    ]
    result = check(メニュー=rows)
    assert result.ok, result.problems
    menu = result.workbook.menu
    assert [t.name for t in menu] == ["くらし", "相談"]
    assert [(b.label, b.action, b.value, b.row) for b in menu[0].buttons] == [
        ("粗大ごみ", ActionKind.FAQ, "1", 2),
        ("届出", ActionKind.CATEGORY, "届出・証明", 3),
        ("市のサイト", ActionKind.URL, "https://www.city.example.jp/", 5),
    ]
    assert [(b.action, b.value) for b in menu[1].buttons] == [
        (ActionKind.STAFF, ""),
        (ActionKind.TEXT, "使い方"),
    ]


def test_menu_values_are_checked_against_the_faq_sheet():
    rows = [
        MENU_HEADER,
        ["くらし", "ない", "FAQ", "99"],
        [None, "非公開", "FAQ", "3"],
        [None, "ない分野", "カテゴリ", "下書き"],
        [None, "変なURL", "URL", "javascript:alert(1)"],
        [None, "空の文字", "テキスト", ""],
        [None, "謎", "ジャンプ", "x"],
    ]
    result = check(メニュー=rows)
    assert "「99」" in only_at(result, "メニュー", "D2").message
    assert "非公開" in only_at(result, "メニュー", "D3").message
    category = only_at(result, "メニュー", "D4")
    assert "「ごみ」" in category.fix and "下書き" not in category.fix.split("今あるカテゴリ")[1]
    assert "http" in only_at(result, "メニュー", "D5").message
    assert "空" in only_at(result, "メニュー", "D6").message
    assert "「職員に相談」" in only_at(result, "メニュー", "C7").fix


def test_menu_size_limits():
    rows = [MENU_HEADER]
    rows += [["多すぎ", f"ボタン{i}", "職員に相談", ""] for i in range(7)]
    rows += [["とても長いタブの名前です", "とても長いボタンの文字です", "職員に相談", ""]]
    rows += [
        [
            "長すぎるタブの名前はここまでの長さ",
            "長すぎるボタンの文字はここまでの長さですね",
            "職員に相談",
            "",
        ]
    ]
    rows += [["空のタブ"]]
    rows += [[f"タブ{i}", "b", "職員に相談", ""] for i in range(6)]
    result = check(メニュー=rows)
    assert "6個まで" in only_at(result, "メニュー", "A2").message
    assert only_at(result, "メニュー", "A9", Severity.WARNING)
    assert only_at(result, "メニュー", "B9", Severity.WARNING)
    assert "14文字まで" in only_at(result, "メニュー", "A10").message
    assert "20文字まで" in only_at(result, "メニュー", "B10").message
    assert "ボタンがありません" in only_at(result, "メニュー", "A11").message
    tabs = [p for p in result.errors if "メニューに置けるタブ" in p.message]
    assert len(tabs) == 1 and tabs[0].row == 16  # 「タブ4」, the ninth tab


def test_a_button_row_before_any_tab_is_an_error():
    result = check(メニュー=[MENU_HEADER, [None, "ボタン", "職員に相談", ""]])
    assert "タブの名前が空" in only_at(result, "メニュー", "A2").message


# --- テスト


def test_test_cases_with_several_ids():
    rows = [
        ["質問", "正解ID", "メモ"],
        ["大きいごみ", "1、2\n１", "重複は1つに"],
        ["住民票", 2.0],
    ]
    result = check(テスト=rows)
    assert result.problems == []
    assert [(t.query, t.relevant_ids, t.row) for t in result.workbook.tests] == [
        ("大きいごみ", ("1", "2"), 2),
        ("住民票", ("2",), 3),
    ]


def test_unknown_test_id_is_an_error_and_unpublished_a_warning():
    rows = [["質問", "正解ID"], ["a", "1, 42"], ["b", "3"], [None, "1"], ["c", None]]
    result = check(テスト=rows)
    assert "「42」" in only_at(result, "テスト", "B2").message
    assert "非公開" in only_at(result, "テスト", "B3", Severity.WARNING).message
    assert "質問が空" in only_at(result, "テスト", "A4").message
    assert "使われません" in only_at(result, "テスト", "B5", Severity.WARNING).message
    assert [t.query for t in result.workbook.tests] == ["b"]


def test_missing_header_in_an_optional_sheet_is_reported_and_the_sheet_skipped():
    result = check(テスト=[["質問"], ["a"]])
    assert not result.ok
    assert any(p.sheet == "テスト" and "「正解ID」" in p.message for p in result.errors)
    assert result.workbook.tests == ()


def test_the_inquiry_line_is_a_phone_number_and_its_hours_a_short_text():
    good = check(
        設定=settings_rows(
            ("問い合わせ電話", "０１２３－４５－６７８９"),
            ("問い合わせ受付時間", "平日 8:30-17:15"),
        )
    )
    assert good.ok and not good.problems
    assert good.workbook.settings.inquiry_phone == "０１２３－４５－６７８９"
    assert good.workbook.settings.inquiry_hours == "平日 8:30-17:15"
    bad = check(
        設定=settings_rows(("問い合わせ電話", 123456789), ("問い合わせ受付時間", "あ" * 61))
    )
    assert not bad.ok
    phone = only_at(bad, "設定", "B2")
    assert "「123456789」は電話番号として読めません" in phone.message and "先頭の0" in phone.fix
    assert "長すぎます" in only_at(bad, "設定", "B3").message
    assert bad.workbook.settings.inquiry_phone == ""  # an unreadable number offers no button
