"""Write the staff report (Excel) from the search log.

    .venv/bin/python scripts/report.py --since 2026-04-01 --until 2026-04-30 --out report.xlsx \
        (--table madoguchi-search-log | --sqlite .local/preview/state.sqlite3) \
        [--workbook faq/faq.xlsx | --index index.bin | --local-dir DIR]

The period is whole days in Japan time, both ends included; without --since/--until it is the
last 30 days, today included (the same period as the local preview's report).
"""

from __future__ import annotations

import argparse
import sys
from datetime import date
from pathlib import Path

from madoguchi.clock import Clock, japan_today, system_clock, utc_now
from madoguchi.staff_report import build_report
from madoguchi.staff_report.period import REPORT_DAYS, last_days, period_text


def _day(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(
            f"日付は 2026-04-01 の形で書いてください: {text}"
        ) from None


def _index(args: argparse.Namespace):
    from madoguchi.search import SearchIndex

    if args.index:
        return SearchIndex.from_bytes(args.index.read_bytes())
    if args.workbook:
        from madoguchi.search import build_index
        from madoguchi_dev.evaluation import read_workbook

        workbook, checksum = read_workbook(args.workbook)
        return build_index(workbook, checksum=checksum)
    if args.local_dir:
        from madoguchi.adapters.storage import LocalStorage
        from madoguchi.config import Config
        from madoguchi.publish import VersionStore

        config = Config.from_env({"MADOGUCHI_LOCAL_DIR": str(args.local_dir)})
        return VersionStore(LocalStorage(args.local_dir), config.index_prefix).load_index()
    return None


def _log(args: argparse.Namespace):
    if args.table:
        from madoguchi.adapters.search_log import DynamoSearchLog

        return DynamoSearchLog(args.table)
    from madoguchi.adapters.search_log import SqliteSearchLog

    if not args.sqlite.exists():
        raise FileNotFoundError(f"検索ログのファイルがありません: {args.sqlite}")
    return SqliteSearchLog(args.sqlite)


def main(argv: list[str] | None = None, clock: Clock = system_clock) -> int:
    """Read the log for the period and save the workbook."""
    since, until = last_days(japan_today(clock))
    parser = argparse.ArgumentParser(
        description="検索ログから職員向けレポート(Excel)を作ります。"
        f"期間は日本時間の日付で、終了日を含みます(指定しなければ今日までの{REPORT_DAYS}日間)。"
    )
    parser.add_argument("--since", type=_day, default=since, help="開始日(例: 2026-04-01)")
    parser.add_argument("--until", type=_day, default=until, help="終了日(この日を含む)")
    parser.add_argument("--out", type=Path, default=Path("report.xlsx"), help="保存先")
    source = parser.add_mutually_exclusive_group(required=True)
    source.add_argument("--table", help="検索ログの DynamoDB テーブル名")
    source.add_argument("--sqlite", type=Path, help="ローカルの検索ログ (SQLite ファイル)")
    faqs = parser.add_mutually_exclusive_group()
    faqs.add_argument("--workbook", type=Path, help="FAQ ワークブック(FAQ の質問文を表示するため)")
    faqs.add_argument("--index", type=Path, help="索引ファイル(FAQ の質問文を表示するため)")
    faqs.add_argument("--local-dir", type=Path, help="ローカル保存先(公開中の索引を読みます)")
    args = parser.parse_args(argv)
    if args.until < args.since:
        print("終了日が開始日より前です。", file=sys.stderr)
        return 2
    try:
        index = _index(args)
        records = list(_log(args).records(args.since, args.until))
        data = build_report(records, index, args.since, args.until, generated_at=utc_now(clock))
        args.out.write_bytes(data)
    except Exception as error:  # one clear line for staff; the details are not theirs to read
        print(f"レポートを作れませんでした: {type(error).__name__}: {error}", file=sys.stderr)
        return 2
    if index is None:
        print(
            "注意: ワークブックを指定しなかったため、FAQ の質問文と「いちばん近いFAQ」は空欄です。"
        )
    period = period_text(args.since, args.until)
    print(f"{period}の記録 {len(records)} 件から {args.out} を作りました。")
    return 0


if __name__ == "__main__":
    sys.exit(main())
