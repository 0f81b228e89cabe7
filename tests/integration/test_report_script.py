"""scripts/report.py end to end: a SQLite log and an index file in, an Excel report out."""

from __future__ import annotations

import subprocess
import sys
from datetime import UTC, datetime, timedelta
from pathlib import Path

import openpyxl

from madoguchi.adapters.search_log import SqliteSearchLog
from madoguchi.model import Faq, FaqWorkbook
from madoguchi.search import build_index
from madoguchi.searchlog import TopHit, new_search
from tests.support.workbooks import FAQ_HEADER, faq_row, make_workbook

ROOT = Path(__file__).resolve().parents[2]


def run(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, str(ROOT / "scripts" / "report.py"), *args],
        capture_output=True,
        text=True,
        cwd=ROOT,
        env={"PYTHONPATH": f"{ROOT / 'layers' / 'madoguchi'}:{ROOT}", "PATH": "/usr/bin:/bin"},
    )


def most_viewed(report: Path) -> tuple:
    """ID and question of the first row of the report's most viewed FAQs."""
    book = openpyxl.load_workbook(report)
    return next(book["よく見られたFAQ"].iter_rows(min_row=2, values_only=True))[1:3]


def test_report_from_sqlite_log_with_index_file(tmp_path):
    index = build_index(FaqWorkbook(faqs=(Faq("F1", "粗大ごみの出し方", "申し込みです。"),)))
    (tmp_path / "index.bin").write_bytes(index.to_bytes())
    log = SqliteSearchLog(tmp_path / "log.sqlite3")
    # A fixed past week with a retention long enough that the script's own clock keeps it.
    now = datetime(2026, 3, 4, 3, 0, tzinfo=UTC)
    for i, (query, answered) in enumerate([("粗大ごみの出し方", True), ("犬の登録", False)] * 3):
        log.put(
            new_search(
                now=now - timedelta(minutes=i),
                user=f"u{i}",
                query=query,
                top=[TopHit("F1", 4.0)],
                answered=answered,
                retention_days=100_000,
            )
        )
    log.close()
    today = (now + timedelta(hours=9)).date()
    period = ["--since", str(today - timedelta(days=1)), "--until", str(today)]
    log_file = ["--sqlite", str(tmp_path / "log.sqlite3")]
    done = run(
        *period,
        *log_file,
        "--index",
        str(tmp_path / "index.bin"),
        "--out",
        str(tmp_path / "report.xlsx"),
    )
    assert done.returncode == 0, done.stderr
    assert "6 件" in done.stdout
    book = openpyxl.load_workbook(tmp_path / "report.xlsx")
    summary = {r[0]: r[1] for r in book["概要"].iter_rows(min_row=5, max_row=8, values_only=True)}
    assert summary["質問数"] == 6 and summary["回答できた数"] == 3
    assert most_viewed(tmp_path / "report.xlsx") == ("F1", "粗大ごみの出し方")
    # The same from the workbook staff keep, instead of an index file.
    workbook = make_workbook(
        {"FAQ": [FAQ_HEADER, faq_row("F1", "粗大ごみの出し方", "申し込みです。")]}
    )
    (tmp_path / "faq.xlsx").write_bytes(workbook)
    done = run(
        *period,
        *log_file,
        "--workbook",
        str(tmp_path / "faq.xlsx"),
        "--out",
        str(tmp_path / "from-workbook.xlsx"),
    )
    assert done.returncode == 0, done.stderr
    assert most_viewed(tmp_path / "from-workbook.xlsx") == ("F1", "粗大ごみの出し方")


def test_missing_log_and_reversed_period_give_clear_messages(tmp_path):
    done = run("--sqlite", str(tmp_path / "none.sqlite3"), "--out", str(tmp_path / "r.xlsx"))
    assert done.returncode == 2 and "検索ログのファイルがありません" in done.stderr
    assert not (tmp_path / "r.xlsx").exists()
    done = run("--since", "2026-04-02", "--until", "2026-04-01", "--sqlite", "x")
    assert done.returncode == 2 and "終了日が開始日より前です" in done.stderr
    done = run("--since", "4月1日", "--sqlite", "x")
    assert done.returncode == 2 and "2026-04-01 の形" in done.stderr


def test_the_default_period_is_the_last_30_japan_days_as_in_the_preview(tmp_path, capsys):
    from madoguchi.staff_report.period import REPORT_DAYS, last_days
    from scripts import report
    from tests.support.clock import FixedClock

    clock = FixedClock(datetime(2026, 4, 30, 23, 30, tzinfo=UTC))  # 1 May, 8:30 in Japan
    log = SqliteSearchLog(tmp_path / "log.sqlite3", clock=clock)
    log.close()
    out = tmp_path / "r.xlsx"
    assert report.main(["--sqlite", str(tmp_path / "log.sqlite3"), "--out", str(out)], clock) == 0
    printed = capsys.readouterr().out
    assert "2026年4月2日〜2026年5月1日(日本時間の日付で30日間。" in printed
    assert last_days(clock.japan_today()) == (datetime(2026, 4, 2).date(), clock.japan_today())
    assert REPORT_DAYS == 30
    period = openpyxl.load_workbook(out)["概要"]["A2"].value
    assert period.startswith("期間:2026年4月2日〜2026年5月1日")
