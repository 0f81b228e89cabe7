"""お知らせ: the times staff write, when a notice is active, and which tab opens first."""

from datetime import date, datetime

import pytest

from madoguchi.clock import JST
from madoguchi.model import BotSettings, MenuTab
from madoguchi.notice import Notice, active_notice, default_tab, moment_of, parse_moment


@pytest.mark.parametrize(
    "text",
    [
        "2026-09-01 18:00",
        "2026/9/1 18:00",
        "2026年9月1日 18時",
        "2026年9月1日(火) 18:00",
        "2026-09-01T18:00",
        "２０２６－０９－０１ １８：００",
    ],
)
def test_times_staff_write_are_read_in_japan_time(text):
    assert parse_moment(text) == datetime(2026, 9, 1, 18, 0, tzinfo=JST)


def test_a_date_alone_starts_at_its_beginning_and_ends_at_its_end():
    assert parse_moment("2026-09-01") == datetime(2026, 9, 1, tzinfo=JST)
    assert parse_moment("2026-09-01", end=True) == datetime(2026, 9, 2, tzinfo=JST)
    assert parse_moment("2026-09-01 24:00") == datetime(2026, 9, 2, tzinfo=JST)
    assert moment_of(date(2026, 9, 1)) == datetime(2026, 9, 1, tzinfo=JST)
    assert moment_of(datetime(2026, 9, 1, 18)) == datetime(2026, 9, 1, 18, tzinfo=JST)


@pytest.mark.parametrize("text", ["9月1日", "明日の夕方", "2026-13-01", "2026-09-01 25:00", ""])
def test_unreadable_times_are_refused(text):
    with pytest.raises(ValueError):
        parse_moment(text)


def test_a_notice_is_active_from_its_start_until_its_end():
    start = datetime(2026, 9, 1, 18, tzinfo=JST)
    end = datetime(2026, 9, 2, 9, tzinfo=JST)
    notice = Notice("台風のため休みます。", start=start, end=end)
    assert not notice.active(datetime(2026, 9, 1, 17, 59, tzinfo=JST))
    assert notice.active(start) and notice.active(datetime(2026, 9, 2, 8, 59, tzinfo=JST))
    assert not notice.active(end)
    assert Notice("いつまでも").active(start)  # no start and no end: always
    assert not Notice("  ", start=start).active(end)  # no text: never


def test_the_notices_tab_opens_first_only_while_it_is_active():
    menu = (MenuTab("くらし"), MenuTab("防災"))
    settings = BotSettings(
        notice="避難所を開設しました。",
        notice_start="2026-09-01T18:00:00+09:00",
        notice_end="2026-09-02T09:00:00+09:00",
        notice_menu_tab="防災",
    )
    during = datetime(2026, 9, 1, 20, tzinfo=JST)
    assert default_tab(menu, settings, during) == 1
    assert default_tab(menu, settings, datetime(2026, 9, 2, 9, tzinfo=JST)) == 0
    assert active_notice(settings, during) is not None
    gone = BotSettings(notice="…", notice_menu_tab="なくなったタブ")
    assert default_tab(menu, gone, during) == 0


def test_the_message_has_the_text_then_the_link():
    notice = Notice("窓口は休みです。", url="https://example.jp/")
    assert notice.message_text() == "【お知らせ】\n窓口は休みです。\nhttps://example.jp/"
    assert Notice("窓口は休みです。").message_text() == "【お知らせ】\n窓口は休みです。"
