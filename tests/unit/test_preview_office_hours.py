"""The preview's office-hours switch: 「受付時間外として試す」 names the next opening that
「設定のとおり」 names whenever 設定 says the office is closed, and the next day's during opening
hours."""

from datetime import datetime

import pytest

from madoguchi.clock import JST
from madoguchi.handover.office_hours import format_moment_ja, parse_office_hours
from madoguchi_dev.preview.server import forced_office_hours
from tests.support.clock import FixedClock

HOURS = parse_office_hours("月-金 8:30-17:15", ["2026-12-29"])


def next_opening(mode: str, moment: datetime) -> tuple[bool, str]:
    clock = FixedClock(moment)
    hours = forced_office_hours(mode, HOURS, clock)
    opening = hours.next_opening(clock.utc())
    assert opening is not None
    return hours.is_open(clock.utc()), format_moment_ja(opening)


@pytest.mark.parametrize(
    ("moment", "opening"),
    [
        # Tuesday 01:23 in Japan (Monday evening UTC): today's 8:30, not Wednesday's.
        (datetime(2026, 12, 8, 1, 23, tzinfo=JST), "12月8日（火）8:30"),
        (datetime(2026, 12, 7, 18, 0, tzinfo=JST), "12月8日（火）8:30"),  # Monday after hours
        (datetime(2026, 12, 5, 11, 0, tzinfo=JST), "12月7日（月）8:30"),  # Saturday
        (datetime(2026, 12, 28, 20, 0, tzinfo=JST), "12月30日（水）8:30"),  # before a closed day
    ],
)
def test_closed_anyway_the_switch_gives_the_settings_next_opening(moment, opening):
    assert next_opening("auto", moment) == (False, opening)
    assert next_opening("closed", moment) == (False, opening)


def test_during_opening_hours_closed_means_until_the_next_day_that_opens():
    friday_morning = datetime(2026, 12, 4, 10, 0, tzinfo=JST)
    assert next_opening("auto", friday_morning) == (True, "12月4日（金）10:00")
    assert next_opening("closed", friday_morning) == (False, "12月7日（月）8:30")


def test_open_is_open_whenever():
    sunday_night = datetime(2026, 11, 29, 23, 30, tzinfo=JST)
    assert next_opening("open", sunday_night)[0] is True
