"""Notice times typed as Excel date cells, and dates too far away for a clock."""

from __future__ import annotations

import datetime as dt

import pytest

from madoguchi.clock import JST
from madoguchi.notice import active_notice
from madoguchi.workbook import Severity, validate_workbook
from tests.support.clock import FixedClock
from tests.support.workbooks import FAQ_HEADER, faq_row, make_workbook

NOW = dt.datetime(2026, 9, 1, 8, tzinfo=JST)


def validated(*pairs: tuple[str, object]):
    rows = [["項目", "値"], ["お知らせ", "台風のため、窓口は閉まります。"], *pairs]
    data = make_workbook(
        {"FAQ": [FAQ_HEADER, faq_row(1, "粗大ごみの出し方", "予約します。")], "設定": rows}
    )
    return validate_workbook(data, clock=FixedClock(NOW))


def test_an_end_typed_as_an_excel_date_cell_lasts_all_that_day_in_japan():
    result = validated(
        ("お知らせの開始", dt.date(2026, 9, 1)), ("お知らせの終了", dt.date(2026, 9, 1))
    )
    assert result.ok and not result.problems, result.problems
    settings = result.workbook.settings
    assert settings.notice_start == "2026-09-01T00:00:00+09:00"
    assert settings.notice_end == "2026-09-02T00:00:00+09:00"
    evening = dt.datetime(2026, 9, 1, 23, 59, tzinfo=JST)
    assert active_notice(settings, NOW) and active_notice(settings, evening)
    assert active_notice(settings, evening + dt.timedelta(minutes=1)) is None


def test_an_end_typed_as_a_date_and_time_cell_keeps_its_time():
    result = validated(("お知らせの終了", dt.datetime(2026, 9, 2, 0, 0)))
    assert result.workbook.settings.notice_end == "2026-09-02T00:00:00+09:00"


@pytest.mark.parametrize(
    "value",
    [dt.date(9999, 12, 31), "9999-12-31", "9999/12/31 24:00", dt.datetime(9999, 12, 31, 23, 59)],
)
def test_a_date_too_far_away_is_named_at_its_cell(value):
    result = validated(("お知らせの終了", value))
    assert not result.ok
    [problem] = [p for p in result.problems if p.severity is Severity.ERROR]
    assert (problem.sheet, problem.cell) == ("設定", "B3")
    assert "「お知らせの終了」" in problem.message and "壊れ" not in problem.message
    assert "空欄" in problem.fix
