"""How long the staff report takes for a large log, and how much memory (`make bench`).

Generates a synthetic month of searches in SQLite (deterministic seed; about a quarter of them
unanswered, feedback and hand-overs mixed in), then times reading the log and making the report
as the indexer's monthly schedule does (staff_report.delivery.scheduled_report: the workbook
and the staff mail), and prints the process's peak memory against the indexer's 1769 MB and
300 s.

    python scripts/bench_report.py [--searches 100000]
"""

from __future__ import annotations

import argparse
import random
import resource
import sys
import tempfile
import time
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

from madoguchi.adapters.search_log import SqliteSearchLog
from madoguchi.model import ActionKind, Faq, FaqWorkbook, MenuButton, MenuTab
from madoguchi.search import build_index
from madoguchi.searchlog import FEEDBACK, HANDOVER, TopHit, new_event, new_search
from madoguchi.searchlog.model import with_opened
from madoguchi.staff_report.delivery import ReportKind, ScheduledPeriod, scheduled_report

INDEXER_MEMORY_MB = 1769  # template.yaml, IndexerFunction
INDEXER_TIMEOUT_S = 300

TOPICS = (
    "粗大ごみ",
    "燃えるごみ",
    "資源ごみ",
    "住民票",
    "戸籍",
    "印鑑登録",
    "マイナンバーカード",
    "児童手当",
    "保育園",
    "国民健康保険",
    "年金",
    "介護保険",
    "予防接種",
    "健康診断",
    "図書館",
    "市民プール",
    "公園",
    "市営住宅",
    "水道料金",
    "下水道",
    "道路の穴",
    "街灯",
    "避難所",
    "ハザードマップ",
    "住民税",
    "固定資産税",
    "軽自動車税",
    "転入",
    "転出",
    "婚姻届",
    "出生届",
    "死亡届",
)
UNKNOWN = (
    "犬の登録",
    "猫の避妊手術",
    "ペットの火葬",
    "空き家バンク",
    "移住支援金",
    "成人式の日程",
    "ふるさと納税",
    "選挙の投票所",
    "防犯カメラ",
    "自転車の放置",
    "カラスの巣",
    "騒音の苦情",
    "花火大会",
    "市長への手紙",
    "職員採用",
    "入札",
    "補助金の申請期限",
    "駐車場の料金",
)
ASKS = (
    "の出し方",
    "について教えて",
    "はどうすればいい",
    "の手続き",
    "の場所",
    "の時間",
    "",
    "の料金",
)


def make_index():
    faqs = tuple(
        Faq(f"F{i:03d}", f"{topic}{ask or 'について'}", f"{topic}の案内です。", category=topic[:2])
        for i, (topic, ask) in enumerate((t, a) for t in TOPICS for a in ASKS[:3])
    )
    menu = (MenuTab("くらし", tuple(MenuButton(f.id, ActionKind.FAQ, f.id) for f in faqs[:6])),)
    return build_index(FaqWorkbook(faqs=faqs, menu=menu)), faqs


def make_log(path: Path, searches: int, faqs, since: date) -> None:
    rng = random.Random(20260401)
    log = SqliteSearchLog(path)
    start = datetime(since.year, since.month, since.day, tzinfo=UTC)
    batch = []
    for n in range(searches):
        at = start + timedelta(seconds=rng.randrange(30 * 24 * 3600))
        user = f"u{rng.randrange(searches // 5 + 1):06d}"
        answered = rng.random() < 0.75
        if answered:
            query = rng.choice(TOPICS) + rng.choice(ASKS)
            top = [TopHit(rng.choice(faqs).id, rng.uniform(3, 12)) for _ in range(4)]
        else:
            query = rng.choice(UNKNOWN) + rng.choice(ASKS) + ("" if rng.random() < 0.7 else str(n))
            top = [TopHit(rng.choice(faqs).id, rng.uniform(0, 2))]
        record = new_search(
            now=at, user=user, query=query, top=top, answered=answered, retention_days=3650
        )
        if answered and rng.random() < 0.2:
            record = with_opened(record, top[1].faq_id)
        batch.append(record)
        if answered and rng.random() < 0.1:
            batch.append(
                new_event(
                    FEEDBACK,
                    now=at,
                    user=user,
                    retention_days=3650,
                    faq_id=top[0].faq_id,
                    helpful=rng.random() < 0.7,
                    search_id=record.id,
                )
            )
        if rng.random() < 0.02:
            batch.append(
                new_event(
                    HANDOVER,
                    now=at,
                    user=user,
                    retention_days=3650,
                    detail={"source": "typed", "in_hours": True},
                )
            )
        if len(batch) >= 5000:
            log.put_many(batch)
            batch.clear()
    log.put_many(batch)
    log.close()


def main(argv: list[str] | None = None) -> int:
    """Print a table: log size, time to read it, time to build the report, file size."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--searches", type=int, default=100_000)
    args = parser.parse_args(argv)
    index, faqs = make_index()
    since = date(2026, 4, 1)
    until = since + timedelta(days=30)
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "log.sqlite3"
        started = time.perf_counter()
        make_log(path, args.searches, faqs, since)
        generate_s = time.perf_counter() - started
        log = SqliteSearchLog(path)
        started = time.perf_counter()
        records = list(log.records(since, until))
        read_s = time.perf_counter() - started
        started = time.perf_counter()
        period = ScheduledPeriod(ReportKind.MONTHLY, since, until, "search/bench.xlsx")
        report = scheduled_report(
            period,
            records,
            index,
            generated_at=datetime.now(UTC),
            city_name="星見ヶ丘市",
            location="reports/search/bench.xlsx",
        )
        data = report.workbook
        build_s = time.perf_counter() - started
        log.close()
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print("## Staff report (scripts/bench_report.py)")
    print()
    print(
        "| searches | log records | generate log s | read log s | report s | xlsx KB "
        "| peak memory MB |"
    )
    print("|---|---|---|---|---|---|---|")
    print(
        f"| {args.searches:,} | {len(records):,} | {generate_s:.2f} | {read_s:.2f} | "
        f"{build_s:.2f} | {len(data) / 1024:.0f} | {peak_mb:.0f} |"
    )
    print()
    seconds = read_s + build_s
    fits = peak_mb < INDEXER_MEMORY_MB and seconds < INDEXER_TIMEOUT_S
    print(
        f"In the indexer ({INDEXER_MEMORY_MB} MB, {INDEXER_TIMEOUT_S} s): "
        f"{'fits' if fits else 'DOES NOT FIT'}, memory {peak_mb / INDEXER_MEMORY_MB:.0%} and "
        f"time {seconds / INDEXER_TIMEOUT_S:.0%} of the limits (the log read from SQLite here)."
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
