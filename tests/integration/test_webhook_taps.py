"""Every tap counts: each FAQ shown and each category list opened is logged with where it was
tapped, through the Lambda handler with a rich menu deployed by the indexer's own sync, and the
staff report counts them."""

from __future__ import annotations

import io

import openpyxl
import pytest

from madoguchi.line import postback
from madoguchi.searchlog import CATEGORY_VIEW, FAQ_VIEW, HANDOVER, SEARCH
from madoguchi.staff_report import build_report
from madoguchi.staff_report.period import last_days
from tests.support.conversation_stack import (
    handover_stack,
    log_records,
    menu_action,
    quick,
    rows_of,
    say,
    settings_rows,
    tap,
)

Source = postback.Source


@pytest.fixture
def stack():
    with handover_stack(settings_rows("毎日 0:00-24:00")) as stack:
        yield stack


def resident_taps_everything(stack) -> str:
    """A search answer and a candidate, a choice, the menu, a category list, the staff button
    (a second apart, so the log reads back in the order they happened); the choice's FAQ id."""

    def step(sent):
        stack.clock.advance(1)
        return sent

    answer, candidates = step(say(stack, "粗大ごみの出し方"))[:2]
    assert answer["text"].startswith("■ 粗大ごみの出し方")
    step(tap(stack, rows_of(candidates)[0]))
    (choices,) = step(say(stack, "ごみのこと"))  # unsure: questions to choose from
    choice = rows_of(choices)[0]
    assert choice.source == Source.CHOICE
    step(tap(stack, choice))
    step(tap(stack, menu_action(stack, "粗大ごみ")))
    category = next(a for a in quick(choices) if isinstance(a, postback.ListCategory))
    (listing,) = step(tap(stack, category))
    step(tap(stack, rows_of(listing)[2]))
    step(tap(stack, menu_action(stack, "子育ての質問")))
    step(tap(stack, menu_action(stack, "職員に相談")))
    return choice.faq_id


def test_every_faq_shown_and_list_opened_is_logged_with_where_it_was_tapped(stack):
    chosen = resident_taps_everything(stack)
    (answered, _unsure) = log_records(stack, SEARCH)
    views = log_records(stack, FAQ_VIEW)
    assert [(v.faq_id, v.detail["source"]) for v in views] == [
        (answered.top[1].faq_id, "candidate"),
        (chosen, "choice"),
        ("1", "menu"),
        ("3", "category"),
    ]
    assert views[0].search_id == answered.id  # the candidate belongs to its search
    assert [v.detail for v in log_records(stack, CATEGORY_VIEW)] == [
        {"category": "ごみ", "source": "button"},
        {"category": "子育て", "source": "menu"},
    ]
    (handover,) = log_records(stack, HANDOVER)
    assert handover.detail["source"] == "menu"


def test_the_report_counts_every_tap_and_keeps_used_menu_buttons(stack):
    chosen = resident_taps_everything(stack)
    since, until = last_days(stack.clock.japan_today())
    index = stack.app.DEPS.index.current()
    data = build_report(log_records(stack), index, since, until, generated_at=stack.clock.utc())
    book = openpyxl.load_workbook(io.BytesIO(data))
    summary = {r[0]: r[1] for r in book["概要"].iter_rows(min_row=5, values_only=True) if r[0]}
    assert summary["FAQが表示された回数"] == 5  # one search answer and four taps
    assert summary["  引き継ぎのきっかけ:メニュー"] == 1
    assert not any("その他" in str(label) for label in summary)
    popular = {r[1]: r for r in book["よく見られたFAQ"].iter_rows(min_row=2, values_only=True)}
    assert popular["1"][4:11] == (1, 0, 0, 1, 0, 0, 2)  # its answer, then from the menu
    assert popular[chosen][4:11] == (0, 0, 1, 0, 0, 0, 1)  # a choice
    menu = book["メニューの提案"]
    start = next(c.row for c in menu["A"] if c.value == "タブ")
    buttons = {r[1]: r for r in menu.iter_rows(min_row=start + 1, values_only=True) if r[0]}
    for label in ("粗大ごみ", "子育ての質問", "職員に相談"):
        assert buttons[label][4] == 1 and buttons[label][5] is None, label
    assert buttons["児童手当"][4:6] == (0, "入れ替えを検討")


def test_searched_words_are_the_content_words_of_what_residents_typed(stack):
    typed = (
        "ひなんじょはどこ",  # typed in kana: tinysegmenter cuts it (ひ / なんじょ)
        "田中さんに聞いたら3日かかると言われた",
        "じゅうみんひょう とうろくしたい",
        "住民票の写しの取り方",
        "粗大ごみの出し方",
    )
    for text in typed:
        say(stack, text)
    since, until = last_days(stack.clock.japan_today())
    index = stack.app.DEPS.index.current()
    data = build_report(log_records(stack), index, since, until, generated_at=stack.clock.utc())
    sheet = openpyxl.load_workbook(io.BytesIO(data))["よく検索された言葉"]
    words = {r[1]: r[2] for r in sheet.iter_rows(min_row=2, values_only=True) if r[1]}
    # A name residents typed is personal data: the report masks it (madoguchi.learning.personal).
    assert words["住民票"] == 1 and words["＊＊＊"] == 1 and "田中" not in words
    pieces = {"日", "さん", "うろく", "なんじょ", "ひ", "の", "どこ", "3", "言わ", "れ"}
    assert pieces.isdisjoint(words), sorted(words)
