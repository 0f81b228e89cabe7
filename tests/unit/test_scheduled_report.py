"""The scheduled search reports: which days they cover, their names, and the staff mail."""

from datetime import UTC, date, datetime, timedelta

import openpyxl
import pytest

from madoguchi.model import Faq, FaqWorkbook
from madoguchi.search import build_index
from madoguchi.searchlog.model import TopHit, new_search
from madoguchi.staff_report.delivery import (
    ReportKind,
    console_location,
    scheduled_period,
    scheduled_report,
)

MADE = datetime(2026, 12, 1, 6, 0, tzinfo=UTC)


@pytest.mark.parametrize(
    ("today", "since", "until", "name"),
    [
        (date(2026, 12, 1), date(2026, 11, 1), date(2026, 11, 30), "search/2026-11.xlsx"),
        (date(2027, 1, 1), date(2026, 12, 1), date(2026, 12, 31), "search/2026-12.xlsx"),
        (date(2028, 3, 1), date(2028, 2, 1), date(2028, 2, 29), "search/2028-02.xlsx"),
        # A retry later in the month still covers the whole previous month.
        (date(2026, 12, 3), date(2026, 11, 1), date(2026, 11, 30), "search/2026-11.xlsx"),
    ],
)
def test_the_monthly_report_covers_the_previous_month(today, since, until, name):
    period = scheduled_period(ReportKind.MONTHLY, today)
    assert (period.since, period.until, period.name) == (since, until, name)


@pytest.mark.parametrize(
    ("monday", "name", "title"),
    [
        (date(2026, 11, 30), "search/weekly/2026-W48.xlsx", "2026年第48週"),
        # The week of New Year's Eve belongs to ISO year 2026 (its Thursday is 12-31).
        (date(2027, 1, 4), "search/weekly/2026-W53.xlsx", "2026年第53週"),
    ],
)
def test_the_weekly_report_covers_monday_to_sunday_before(monday, name, title):
    period = scheduled_period(ReportKind.WEEKLY, monday)
    assert period.since == monday - timedelta(days=7)
    assert period.until == monday - timedelta(days=1)
    assert period.since.weekday() == 0 and period.until.weekday() == 6
    assert (period.name, period.title) == (name, title)


def search(query: str, faq_id: str, answered: bool, minutes: int):
    return new_search(
        now=datetime(2026, 11, 20, 3, 0, tzinfo=UTC) + timedelta(minutes=minutes),
        user=f"u{minutes}",
        query=query,
        top=[TopHit(faq_id, 3.0)],
        answered=answered,
        retention_days=100_000,
    )


def test_the_mail_gives_figures_and_topics_but_no_residents_words():
    index = build_index(
        FaqWorkbook(
            faqs=(
                Faq("F1", "粗大ごみの出し方を教えてください", "電話で申し込みます。"),
                Faq("F2", "住民票の写しをとりたい", "市民課の窓口で。"),
            )
        )
    )
    records = [search("粗大ごみ 出し方", "F1", True, i) for i in range(6)]
    records += [search("住民票", "F2", True, 10)]
    records += [search(f"ドローン 飛ばす 許可 山田太郎 {i}", "F2", False, 20 + i) for i in range(3)]
    period = scheduled_period(ReportKind.MONTHLY, date(2026, 12, 1))
    report = scheduled_report(
        period,
        records,
        index,
        generated_at=MADE,
        city_name="星見ヶ丘市",
        location="https://console.example/report",
    )
    assert report.subject == "【星見ヶ丘市】検索レポート 2026年11月(月次)"
    assert report.searches == 10
    text = report.message
    assert "住民の方からの質問: 10 件" in text
    assert "そのまま回答できた質問: 7 件(70%)" in text
    assert "1. 粗大ごみの出し方を教えてください(6 回)" in text
    assert "ドローン(3 件)" in text
    assert "https://console.example/report" in text
    # Whole questions are never quoted: a name typed by a resident stays in the log.
    assert "山田太郎" not in text and "ドローン 飛ばす" not in text
    book = openpyxl.load_workbook(__import__("io").BytesIO(report.workbook))
    assert "よく見られたFAQ" in book.sheetnames


def test_the_console_link_names_the_bucket_region_and_key():
    link = console_location("madoguchi-prod-1", "ap-northeast-1", "reports/search/2026-11.xlsx")
    assert link.startswith(
        "https://ap-northeast-1.console.aws.amazon.com/s3/object/madoguchi-prod-1?"
    )
    assert "prefix=reports/search/2026-11.xlsx" in link
    assert (
        console_location(None, None, "reports/search/2026-11.xlsx") == "reports/search/2026-11.xlsx"
    )


def test_the_mail_counts_crisis_messages_by_kind_without_their_words():
    from madoguchi.searchlog.model import CRISIS, new_event

    records = [search("粗大ごみ 出し方", "F1", True, 0)]
    records += [
        new_event(
            CRISIS,
            now=datetime(2026, 11, 20, 3, 0, tzinfo=UTC) + timedelta(minutes=i),
            user=f"c{i}",
            retention_days=100_000,
            detail={"kinds": kinds},
        )
        for i, kinds in enumerate([["suicide"], ["suicide", "dv"], ["basic_needs"]])
    ]
    period = scheduled_period(ReportKind.MONTHLY, date(2026, 12, 1))
    report = scheduled_report(
        period, records, None, generated_at=MADE, city_name="星見ヶ丘市", location="x"
    )
    assert (
        "相談窓口を案内したメッセージ: 3 件(自殺・自傷 2、DV 1、食事・住まい 1)" in report.message
    )
