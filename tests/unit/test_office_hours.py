"""Office hours: parsing the 設定 text, open or closed, and the next opening, in Japan time."""

from datetime import UTC, datetime, time

import pytest

from madoguchi.handover.office_hours import (
    JST,
    OfficeHoursError,
    format_moment_ja,
    parse_office_hours,
)


def jst(year: int, month: int, day: int, hour: int = 0, minute: int = 0) -> datetime:
    return datetime(year, month, day, hour, minute, tzinfo=JST)


def test_weekday_range_is_open_inside_and_closed_at_the_edges():
    hours = parse_office_hours("月-金 8:30-17:15")
    assert hours.is_open(jst(2026, 1, 5, 8, 30))  # Monday, opening minute
    assert hours.is_open(jst(2026, 1, 9, 17, 14))  # Friday
    assert not hours.is_open(jst(2026, 1, 5, 8, 29))
    assert not hours.is_open(jst(2026, 1, 5, 17, 15))  # the end is exclusive
    assert not hours.is_open(jst(2026, 1, 10, 10, 0))  # Saturday


def test_utc_moments_are_judged_in_japan_time():
    hours = parse_office_hours("月-金 8:30-17:15")
    # 2026-01-05 00:00 UTC is Monday 9:00 in Japan.
    assert hours.is_open(datetime(2026, 1, 5, 0, 0, tzinfo=UTC))
    # Sunday 23:30 UTC is Monday 8:30 in Japan.
    assert hours.is_open(datetime(2026, 1, 4, 23, 30, tzinfo=UTC))


def test_weekend_waits_for_monday_morning():
    hours = parse_office_hours("月-金 8:30-17:15")
    saturday_noon = jst(2026, 1, 10, 12, 0)
    assert hours.next_opening(saturday_noon) == jst(2026, 1, 12, 8, 30)
    assert format_moment_ja(hours.next_opening(saturday_noon)) == "1月12日（月）8:30"


def test_closed_days_are_skipped():
    hours = parse_office_hours("月-金 8:30-17:15", ["2026-12-29", "2026-12-30", "2026-12-31"])
    # Monday 28 December after hours: 29-31 closed, 1 January is a Friday and open by the weekly
    # rule, so it is the next opening unless it is closed as well.
    assert hours.next_opening(jst(2026, 12, 28, 18, 0)) == jst(2027, 1, 1, 8, 30)
    assert not hours.is_open(jst(2026, 12, 29, 10, 0))
    closed_more = parse_office_hours(
        "月-金 8:30-17:15", ["2026-12-29", "2026-12-30", "2026-12-31", "2027-01-01"]
    )
    assert closed_more.next_opening(jst(2026, 12, 28, 18, 0)) == jst(2027, 1, 4, 8, 30)


def test_several_ranges_with_lunch_break_and_listed_days():
    hours = parse_office_hours("月,水,金 9:00-12:00; 月,水,金 13:00-16:00\n土 9:00-12:00")
    assert hours.is_open(jst(2026, 1, 7, 9, 0))  # Wednesday
    assert not hours.is_open(jst(2026, 1, 7, 12, 30))  # lunch
    assert hours.next_opening(jst(2026, 1, 7, 12, 30)) == jst(2026, 1, 7, 13, 0)
    assert not hours.is_open(jst(2026, 1, 6, 10, 0))  # Tuesday
    assert hours.next_opening(jst(2026, 1, 6, 10, 0)) == jst(2026, 1, 7, 9, 0)
    assert hours.is_open(jst(2026, 1, 10, 11, 59))  # Saturday


def test_full_width_and_japanese_forms_are_understood():
    hours = parse_office_hours("平日 ８時３０分〜１７時１５分")
    assert hours.ranges[0].weekdays == frozenset(range(5))
    assert hours.ranges[0].start == time(8, 30) and hours.ranges[0].end == time(17, 15)
    every = parse_office_hours("毎日 0:00-24:00")
    assert every.is_open(jst(2026, 1, 11, 23, 59))
    wrap = parse_office_hours("金-月 10:00-11:00")  # a span across the weekend
    assert wrap.ranges[0].weekdays == frozenset({4, 5, 6, 0})


def test_next_opening_is_now_when_open():
    hours = parse_office_hours("月-金 8:30-17:15")
    now = jst(2026, 1, 6, 10, 0)
    assert hours.next_opening(now) == now


@pytest.mark.parametrize(
    ("text", "closed", "words"),
    [
        ("", [], "空"),
        ("いつでも", [], "読めません"),
        ("月-金 17:00-9:00", [], "終了が開始より前"),
        ("月-金 8:30-25:00", [], "ありません"),
        ("祝 9:00-10:00", [], "曜日「祝」"),
        ("月-金 8:30-17:15", ["12月29日"], "休業日「12月29日」"),
    ],
)
def test_bad_text_gives_a_japanese_error_naming_the_problem(text, closed, words):
    with pytest.raises(OfficeHoursError, match=words):
        parse_office_hours(text, closed)


def test_naive_datetimes_are_refused():
    hours = parse_office_hours("月-金 8:30-17:15")
    with pytest.raises(ValueError):
        hours.is_open(datetime(2026, 1, 5, 10, 0))
