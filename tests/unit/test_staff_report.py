"""The staff report built from a hand-made log, opened with openpyxl, numbers checked."""

from __future__ import annotations

import io
from datetime import date, datetime

import openpyxl
import pytest

from madoguchi.clock import JST
from madoguchi.model import ActionKind, Faq, FaqWorkbook, LearnedPhrasing, MenuButton, MenuTab
from madoguchi.search import build_index
from madoguchi.searchlog import (
    CATEGORY_VIEW,
    CRISIS,
    FAQ_VIEW,
    FEEDBACK,
    HANDOVER,
    HANDOVER_MESSAGE,
    SHELTER_SEARCH,
    SMALL_TALK,
    TopHit,
    new_event,
    new_search,
)
from madoguchi.staff_report import build_report
from madoguchi.staff_report.stats import ADD_PARAPHRASE, NEW_FAQ

MADE = datetime(2026, 3, 4, 0, 0, tzinfo=JST)  # when the report says it was made

FAQS = (
    Faq(
        "F001",
        "粗大ごみの出し方を知りたい",
        "粗大ごみは申込制です。",
        category="ごみ",
        paraphrases=("大きいごみを捨てたい",),
    ),
    Faq("F002", "住民票の写しを取りたい", "窓口かコンビニで取れます。", category="住民票"),
    Faq(
        "F003",
        "マイナンバーカードの申請方法",
        "申請書を郵送してください。",
        category="マイナンバー",
    ),
)
MENU = (
    MenuTab(
        "くらし",
        (
            MenuButton("粗大ごみ", ActionKind.FAQ, "F001"),
            MenuButton("ごみの質問", ActionKind.CATEGORY, "ごみ"),
            MenuButton("市のページ", ActionKind.URL, "https://example.jp/"),
            MenuButton("職員に相談", ActionKind.STAFF),
        ),
    ),
)


@pytest.fixture(scope="module")
def index():
    return build_index(FaqWorkbook(faqs=FAQS, menu=MENU))


def jst(day: int, hour: int, minute: int = 0) -> datetime:
    return datetime(2026, 3, day, hour, minute, tzinfo=JST)


def search(at, user, query, top_id, answered, opened=()):
    record = new_search(
        now=at,
        user=user,
        query=query,
        top=[TopHit(top_id, 5.0)] if top_id else [],
        answered=answered,
        retention_days=90,
    )
    for faq_id in opened:
        from madoguchi.searchlog.model import with_opened

        record = with_opened(record, faq_id)
    return record


def event(kind, at, user, **kwargs):
    return new_event(kind, now=at, user=user, retention_days=90, **kwargs)


@pytest.fixture(scope="module")
def log():
    s1 = search(jst(2, 10), "u1", "粗大ごみの出し方", "F001", True, opened=["F002"])
    s2 = search(jst(2, 10, 30), "u2", "住民票", "F002", True)
    s3 = search(jst(2, 21), "u3", "犬の登録", "", False)
    s4 = search(jst(3, 9, 15), "u3", "犬の登録をしたい", "", False)
    s5 = search(jst(3, 9, 20), "u4", "粗大ゴミを出したい", "F001", True)
    s6 = search(jst(3, 11), "u5", "大型ごみを捨てたい", "F001", False)
    outside = [
        search(jst(1, 23, 59), "u1", "前の日の質問", "F001", True),  # Sunday, before the period
        search(jst(4, 0, 0), "u1", "次の日の質問", "F001", True),
    ]
    return [
        *outside,
        s1,
        s2,
        s3,
        s4,
        s5,
        s6,
        # u1 first says "not helpful", then changes their mind: one rating, helpful.
        event(FEEDBACK, jst(2, 10, 1), "u1", faq_id="F001", helpful=False, search_id=s1.id),
        event(FEEDBACK, jst(2, 10, 2), "u1", faq_id="F001", helpful=True, search_id=s1.id),
        event(FEEDBACK, jst(2, 10, 31), "u2", faq_id="F002", helpful=False, search_id=s2.id),
        event(FEEDBACK, jst(3, 9, 21), "u4", faq_id="F001", helpful=False, search_id=s5.id),
        event(HANDOVER, jst(2, 21, 1), "u3", detail={"source": "offer", "in_hours": False}),
        event(HANDOVER, jst(3, 9, 16), "u3", detail={"source": "typed", "in_hours": True}),
        event(HANDOVER_MESSAGE, jst(3, 9, 17), "u3"),
        event(HANDOVER_MESSAGE, jst(3, 9, 18), "u3"),
        event(HANDOVER_MESSAGE, jst(3, 9, 19), "u3"),
        # Taps: a FAQ from the menu, one from a category list, a candidate of s2's search.
        event(FAQ_VIEW, jst(2, 11), "u6", faq_id="F001", detail={"source": "menu"}),
        event(CATEGORY_VIEW, jst(3, 12), "u6", detail={"category": "ごみ", "source": "menu"}),
        event(FAQ_VIEW, jst(3, 12, 1), "u6", faq_id="F003", detail={"source": "category"}),
        event(
            FAQ_VIEW,
            jst(3, 12, 5),
            "u2",
            faq_id="F002",
            search_id=s2.id,
            detail={"source": "candidate"},
        ),
        event(HANDOVER, jst(3, 13), "u6", detail={"source": "menu", "in_hours": True}),
        event(SMALL_TALK, jst(3, 13, 5), "u6", detail={"kind": "thanks"}),
    ]


@pytest.fixture(scope="module")
def book(log, index):
    data = build_report(log, index, date(2026, 3, 2), date(2026, 3, 3), generated_at=MADE)
    return openpyxl.load_workbook(io.BytesIO(data))


def rows(sheet, first=2):
    return [list(r) for r in sheet.iter_rows(min_row=first, values_only=True) if any(r)]


def figures(sheet) -> dict:
    """The summary's figures: from under its header to the empty row before the hour table."""
    found = {}
    for r in sheet.iter_rows(min_row=5, values_only=True):
        if r[0] is None:
            break
        found[r[0]] = r[1]
    return found


def table(sheet, header: str) -> list[list]:
    """Rows under the header cell `header` in column A, until an empty row."""
    found = []
    start = next(c.row for c in sheet["A"] if c.value == header)
    for r in sheet.iter_rows(min_row=start + 1, values_only=True):
        if r[0] is None:
            break
        found.append(list(r[:4]))
    return found


def test_sheets_are_in_order(book):
    assert book.sheetnames == [
        "概要",
        "よく見られたFAQ",
        "よく検索された言葉",
        "答えられなかった質問",
        "評価の低い回答",
        "メニューの提案",
        "学習した言い換え",
        "相談窓口の案内",
    ]


def test_summary_figures_match_the_log(book):
    got = figures(book["概要"])
    assert got["質問数"] == 6
    assert got["回答できた数"] == 3
    assert got["回答できた割合"] == pytest.approx(0.5)
    assert got["答えられなかった数"] == 3
    assert got["職員への引き継ぎ数"] == 3
    assert got["引き継ぎ中に届いたメッセージ"] == 3
    assert got["あいさつ・お礼など"] == 1
    assert got["役に立った"] == 1
    assert got["役に立たなかった"] == 2
    assert got["役に立った割合"] == pytest.approx(1 / 3)
    # One definition of the period, stated in plain Japanese dates.
    assert book["概要"]["A2"].value.startswith(
        "期間:2026年3月2日〜2026年3月3日(日本時間の日付で2日間。最初と最後の日を含みます)"
    )
    assert "作成:2026年3月4日 0:00" in book["概要"]["A2"].value


def test_summary_counts_every_faq_shown_by_where_it_was_tapped(book):
    got = figures(book["概要"])
    assert got["FAQが表示された回数"] == 3 + 1 + 1 + 2  # answers, menu, category, candidates
    assert got["  FAQの表示:検索の回答"] == 3
    assert got["  FAQの表示:ほかの候補から"] == 2  # one logged before views were, one after
    assert got["  FAQの表示:メニューから"] == 1
    assert got["  FAQの表示:分野の一覧から"] == 1
    assert got["  引き継ぎのきっかけ:メニュー"] == 1
    assert "その他" not in "".join(str(k) for k in got)


def test_hour_weekday_and_day_tables_with_charts(book):
    sheet = book["概要"]
    hours = {r[0]: (r[1], r[2]) for r in table(sheet, "時間帯")}
    assert len(hours) == 24
    assert hours["9時"] == (2, 1) and hours["10時"] == (2, 2)
    assert hours["11時"] == (1, 0) and hours["21時"] == (1, 0)
    assert sum(n for n, _ in hours.values()) == 6
    weekdays = {r[0]: (r[1], r[2]) for r in table(sheet, "曜日")}
    assert weekdays["月曜日"] == (3, 2) and weekdays["火曜日"] == (3, 1)
    assert weekdays["日曜日"] == (0, 0)
    days = table(sheet, "日付")
    assert days == [["3月2日(月)", 3, 2, 1], ["3月3日(火)", 3, 1, 2]]
    titles = [c.title.tx.rich.p[0].r[0].t for c in sheet._charts]
    assert titles == ["時間帯別の質問数", "曜日別の質問数", "日別の質問数"]


def test_popular_faqs_count_answers_and_opened_candidates(book):
    sheet = book["よく見られたFAQ"]
    assert sheet.freeze_panes == "A2"
    assert [c.value for c in sheet[1]][4:11] == [
        "検索の回答",
        "ほかの候補から",
        "選択肢から",
        "メニューから",
        "分野の一覧から",
        "その他のボタンから",
        "合計",
    ]
    got = rows(sheet)
    assert got[0] == [1, "F001", "粗大ごみの出し方を知りたい", "ごみ", 2, 0, 0, 1, 0, 0, 3, 1, 1]
    assert got[1] == [2, "F002", "住民票の写しを取りたい", "住民票", 1, 2, 0, 0, 0, 0, 3, 0, 1]
    assert got[2][:11] == [
        3,
        "F003",
        "マイナンバーカードの申請方法",
        "マイナンバー",
        0,
        0,
        0,
        0,
        1,
        0,
        1,
    ]
    assert len(got) == 3


def test_searched_words_count_questions_and_misses(book):
    got = {r[1]: (r[2], r[3]) for r in rows(book["よく検索された言葉"])}
    assert got["犬"] == (2, 2)
    assert got["住民票"] == (1, 0)
    assert "の" not in got


def test_unanswered_questions_are_grouped_with_the_closest_faq(book):
    got = rows(book["答えられなかった質問"])
    assert len(got) == 2
    dogs, bulky = got
    assert dogs[1] == 2 and dogs[2] in {"犬の登録", "犬の登録をしたい"}
    assert set(dogs[3].split("\n")) == {"犬の登録", "犬の登録をしたい"}
    assert dogs[6] == NEW_FAQ
    assert bulky[1] == 1 and bulky[2] == "大型ごみを捨てたい"
    assert bulky[4].startswith("F001 ")
    assert bulky[6] == ADD_PARAPHRASE


def test_low_rated_answers_show_ratio_and_the_questions_behind_them(book):
    got = rows(book["評価の低い回答"])
    assert [r[0] for r in got] == ["F002", "F001"]  # 1 of 1 unhelpful before 1 of 2
    assert got[0][2:5] == [0, 1, 1.0]
    assert got[1][2:5] == [1, 1, 0.5]
    assert got[1][5] == "粗大ゴミを出したい"


def test_menu_suggestions_leave_out_faqs_already_on_the_menu(book):
    sheet = book["メニューの提案"]
    got = rows(sheet)
    assert got[0][:5] == [1, "F002", "住民票の写しを取りたい", "住民票", 3]
    assert got[1][:5] == [2, "F003", "マイナンバーカードの申請方法", "マイナンバー", 1]
    assert "F001" not in [r[1] for r in got[:2]]  # on the menu already
    start = next(c.row for c in sheet["A"] if c.value == "タブ")
    buttons = [list(r[:6]) for r in sheet.iter_rows(min_row=start + 1, values_only=True)]
    # Every button residents tapped is counted, so none of them is suggested for removal.
    assert buttons == [
        ["くらし", "市のページ", "URL", "https://example.jp/", "—", buttons[0][5]],
        ["くらし", "粗大ごみ", "FAQ", "F001", 1, None],
        ["くらし", "ごみの質問", "カテゴリ", "ごみ", 1, None],
        ["くらし", "職員に相談", "職員に相談", None, 1, None],
    ]
    assert "数えられません" in buttons[0][5]


def test_a_menu_button_nobody_tapped_is_suggested_for_replacement(index, log):
    quiet = [r for r in log if r.detail.get("source") != "menu"]
    book = openpyxl.load_workbook(
        io.BytesIO(
            build_report(quiet, index, date(2026, 3, 2), date(2026, 3, 3), generated_at=MADE)
        )
    )
    sheet = book["メニューの提案"]
    start = next(c.row for c in sheet["A"] if c.value == "タブ")
    suggested = {r[1]: r[5] for r in sheet.iter_rows(min_row=start + 1, values_only=True) if r[0]}
    assert suggested["粗大ごみ"] == suggested["ごみの質問"] == "入れ替えを検討"


def test_empty_log_still_gives_a_readable_report(index):
    book = openpyxl.load_workbook(
        io.BytesIO(build_report([], index, date(2026, 3, 2), date(2026, 3, 2), generated_at=MADE))
    )
    got = figures(book["概要"])
    assert got["質問数"] == 0 and got["回答できた割合"] == "—"
    assert rows(book["答えられなかった質問"]) == []


def test_report_without_an_index_still_counts(log):
    book = openpyxl.load_workbook(
        io.BytesIO(build_report(log, None, date(2026, 3, 2), date(2026, 3, 3), generated_at=MADE))
    )
    assert figures(book["概要"])["質問数"] == 6
    assert rows(book["よく見られたFAQ"])[0][1] == "F001"


def test_period_ending_before_it_starts_is_refused(index):
    with pytest.raises(ValueError, match="before it starts"):
        build_report([], index, date(2026, 3, 3), date(2026, 3, 2), generated_at=MADE)


def test_learned_phrasings_sheet_says_how_to_refuse_or_keep_each(log):
    learned = [
        LearnedPhrasing(
            "でかいごみ 捨てたい", "F001", 3, 4, "2026-03-01T01:00:00Z", "2026-03-03T14:30:00Z"
        ),
        LearnedPhrasing(
            "住民票ほしい", "F002", 2, 2, "2026-03-02T00:00:00Z", "2026-03-02T00:00:00Z"
        ),
    ]
    index = build_index(FaqWorkbook(faqs=FAQS, menu=MENU), learned=learned)
    data = build_report(log, index, date(2026, 3, 2), date(2026, 3, 3), generated_at=MADE)
    sheet = openpyxl.load_workbook(io.BytesIO(data))["学習した言い換え"]
    found = rows(sheet, first=5)
    assert [r[:7] for r in found] == [
        ["でかいごみ 捨てたい", "F001", "粗大ごみの出し方を知りたい", 3, 4, "2026/3/1", "2026/3/3"],
        ["住民票ほしい", "F002", "住民票の写しを取りたい", 2, 2, "2026/3/2", "2026/3/2"],
    ]
    assert "「学習しない言葉」シート" in found[0][7] and "F001" in found[0][7]
    assert "「言い換え」に「でかいごみ 捨てたい」" in found[0][8]


def test_learned_phrasings_sheet_without_any(book):
    assert "ありません" in rows(book["学習した言い換え"], first=5)[0][0]


# --- residents in danger ----------------------------------------------------------------------


def crisis_log() -> list:
    """Two weeks of crisis messages, and a search logged before the rules knew its wording."""
    return [
        event(CRISIS, jst(2, 22), "u7", detail={"kinds": ["suicide"], "in_hours": False}),
        event(CRISIS, jst(2, 22, 5), "u7", detail={"kinds": ["suicide"], "in_hours": False}),
        event(CRISIS, jst(4, 9), "u8", detail={"kinds": ["danger", "dv"], "in_hours": True}),
        event(CRISIS, jst(9, 10), "u9", detail={"kinds": ["basic_needs"], "in_hours": True}),
        search(jst(3, 1), "u10", "もう死にたい", "F001", False),
        search(jst(3, 2), "u11", "犬の登録", "", False),
    ]


@pytest.fixture(scope="module")
def crisis_book(index):
    data = build_report(crisis_log(), index, date(2026, 3, 1), date(2026, 3, 14), generated_at=MADE)
    return openpyxl.load_workbook(io.BytesIO(data))


def test_crisis_messages_are_counted_per_week_by_kind(crisis_book):
    sheet = crisis_book["相談窓口の案内"]
    header = [c.value for c in sheet[4]]
    assert header[:3] == ["週(月曜から)", "件数", "人数"]
    weeks = {r[0]: dict(zip(header[1:], r[1:], strict=True)) for r in rows(sheet, 5)}
    # Weeks start on Monday (2026-03-02); weeks without a crisis message are not listed.
    assert set(weeks) == {"3月2日〜", "3月9日〜"}
    assert weeks["3月2日〜"]["件数"] == 3 and weeks["3月2日〜"]["人数"] == 2
    assert weeks["3月2日〜"]["自殺・自傷"] == 2
    assert weeks["3月2日〜"]["緊急"] == 1 and weeks["3月2日〜"]["DV"] == 1
    assert weeks["3月9日〜"]["食事・住まい"] == 1
    assert figures(crisis_book["概要"])["相談窓口を案内した数"] == 4


def test_crisis_words_never_reach_the_report(crisis_book):
    """Neither listed nor proposed as a FAQ or a phrasing, in any sheet: only counted."""
    for sheet in crisis_book.worksheets:
        for row in sheet.iter_rows(values_only=True):
            assert not any(isinstance(v, str) and "死にたい" in v for v in row), sheet.title
    listed = [r[2] for r in rows(crisis_book["答えられなかった質問"])]
    assert listed == ["犬の登録"]  # an ordinary question still is listed
    assert figures(crisis_book["概要"])["質問数"] == 2  # the search still counts as one


def test_a_topic_word_given_its_questions_is_counted_but_never_proposed_as_a_new_faq():
    from datetime import UTC, date, datetime

    from madoguchi.searchlog.model import TOPIC_LIST, TopHit, new_search
    from madoguchi.staff_report.stats import collect

    at = datetime(2026, 11, 20, 3, 0, tzinfo=UTC)
    topic = [
        new_search(
            now=at,
            user=f"u{i}",
            query="ごみ",
            top=[TopHit("1", 0.0)],
            answered=False,
            retention_days=100_000,
            detail={"reply": TOPIC_LIST},
        )
        for i in range(3)
    ]
    missed = [
        new_search(
            now=at,
            user=f"m{i}",
            query="ドローンの許可",
            top=[TopHit("1", 0.1)],
            answered=False,
            retention_days=100_000,
        )
        for i in range(2)
    ]
    data = collect([*topic, *missed], None, date(2026, 11, 1), date(2026, 11, 30))
    assert data.searches == 5 and data.answered == 0
    listed = [q for group in data.unanswered for q in group.group.examples]
    assert "ドローンの許可" in listed and "ごみ" not in listed
    assert "ごみ" not in [word for word, _, missed_count in data.words if missed_count]


def test_shelter_searches_are_counted_never_their_location(index):
    shelters = [
        event(SHELTER_SEARCH, jst(2, 18), "u1", detail={"shown": 3, "open": 2}),
        event(SHELTER_SEARCH, jst(3, 2), "u2", detail={"shown": 5, "open": 0}),
        event(SHELTER_SEARCH, jst(9, 2), "u3", detail={"shown": 1, "open": 1}),  # after the period
    ]
    data = build_report(shelters, index, date(2026, 3, 2), date(2026, 3, 3), generated_at=MADE)
    book = openpyxl.load_workbook(io.BytesIO(data))
    got = figures(book["概要"])
    assert got["避難所の検索"] == 2
    assert got["  うち開設中の避難所がなかった"] == 1
    assert got["質問数"] == 0  # a location is not a question
