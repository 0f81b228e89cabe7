"""The search report delivered on a schedule: last month's on the 1st, last week's on Mondays.

The workbook is the same as `scripts/report.py` makes (the live index's FAQ texts and learned
phrasings), saved under the report prefix (`search/2026-11.xlsx`, `search/weekly/2026-W48.xlsx`)
where the staff policy can read it; staff get a short mail with the figures and where to find it.
The mail quotes no resident's words: FAQ questions (the city's own text), counts, and the words
residents used most in unanswered questions.
"""

from __future__ import annotations

import enum
import re
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from urllib.parse import quote

from madoguchi.adapters.notifier import Notifier
from madoguchi.adapters.search_log import SearchLog
from madoguchi.adapters.storage import Storage
from madoguchi.clock import Clock, japan_today, system_clock, utc_now
from madoguchi.config import Config
from madoguchi.crisis.kinds import LABELS, CrisisKind
from madoguchi.learning.personal import has_personal_data
from madoguchi.publish.versions import VersionStore
from madoguchi.searchlog.model import LogRecord
from madoguchi.staff_report.excel import render
from madoguchi.staff_report.period import japanese_moment, period_text
from madoguchi.staff_report.stats import ReportData, ReportIndex, collect

SEARCH_FOLDER = "search/"  # under the report prefix
TOP = 5  # FAQs and unanswered words in the mail
MIN_MAILED = 2  # an unanswered word is mailed only when it came up this often
_LATIN_ONLY = re.compile(r"[\x00-\x7f]+")


class ReportKind(enum.StrEnum):
    """Which scheduled report (the `period` of the schedule's payload)."""

    MONTHLY = "monthly"  # the whole previous month, made on the 1st
    WEEKLY = "weekly"  # the previous Monday to Sunday, made on Mondays


@dataclass(frozen=True)
class ScheduledPeriod:
    """The Japan days a scheduled report covers and the name it is saved under."""

    kind: ReportKind
    since: date
    until: date
    name: str  # under the report prefix, e.g. search/2026-11.xlsx

    @property
    def title(self) -> str:
        """How staff see it named: 2026年11月 or 2026年第48週."""
        if self.kind is ReportKind.MONTHLY:
            return f"{self.since.year}年{self.since.month}月"
        year, week, _ = self.since.isocalendar()
        return f"{year}年第{week}週"


def scheduled_period(kind: ReportKind, today: date) -> ScheduledPeriod:
    """The period of the report made on `today` (a Japan date): the month or the seven days
    before it. A run on another day (a retry, a manual run) still covers whole days before it."""
    if kind is ReportKind.MONTHLY:
        until = today.replace(day=1) - timedelta(days=1)
        since = until.replace(day=1)
        return ScheduledPeriod(kind, since, until, f"{SEARCH_FOLDER}{since:%Y-%m}.xlsx")
    until = today - timedelta(days=1)
    since = today - timedelta(days=7)
    year, week, _ = since.isocalendar()
    return ScheduledPeriod(kind, since, until, f"{SEARCH_FOLDER}weekly/{year}-W{week:02d}.xlsx")


@dataclass(frozen=True)
class DeliveredReport:
    """One scheduled report: the workbook, where it goes, and the staff mail."""

    period: ScheduledPeriod
    workbook: bytes
    subject: str
    message: str
    searches: int


def scheduled_report(
    period: ScheduledPeriod,
    records: Iterable[LogRecord],
    index: ReportIndex | None,
    *,
    generated_at: datetime,
    city_name: str,
    location: str,
) -> DeliveredReport:
    """The workbook and the mail for one period; `location` says where staff find the file."""
    data = collect(records, index, period.since, period.until)
    workbook = render(data, index, generated_at)
    kind = "月次" if period.kind is ReportKind.MONTHLY else "週次"
    subject = f"【{city_name}】検索レポート {period.title}({kind})"
    message = summary_text(data, index, period, generated_at=generated_at, location=location)
    return DeliveredReport(period, workbook, subject, message, data.searches)


def summary_text(
    data: ReportData,
    index: ReportIndex | None,
    period: ScheduledPeriod,
    *,
    generated_at: datetime,
    location: str,
) -> str:
    """The staff mail: figures first, then the most read FAQs and the unanswered words."""
    lines = [
        f"{period.title}の検索レポートができました。",
        f"期間: {period_text(period.since, period.until)}",
        "",
        f"住民の方からの質問: {data.searches:,} 件",
    ]
    if data.searches:
        share = data.answered / data.searches
        lines.append(f"そのまま回答できた質問: {data.answered:,} 件({share:.0%})")
    lines.append(f"職員への相談の依頼: {data.handovers:,} 件")
    lines += _crisis_lines(data)
    if data.helpful or data.unhelpful:
        rated = f"「役に立った」{data.helpful:,} 件 / 「役に立たなかった」{data.unhelpful:,} 件"
        lines.append(rated)
    lines += ["", f"よく読まれた FAQ(上位 {TOP} 件):"]
    lines += _most_read(data, index) or ["  (この期間はありません)"]
    lines += ["", f"答えられなかった質問によく出てきた言葉(上位 {TOP} 語):"]
    missed = sorted((w for w in data.words if _mailable(w)), key=lambda w: (-w[2], w[0]))[:TOP]
    lines += [f"  {word}({count:,} 件)" for word, _, count in missed] or [
        "  (この期間はありません)"
    ]
    lines += [
        "",
        "レポート(Excel)の場所:",
        f"  {location}",
        "答えられなかった質問への FAQ の追加や言い換えの提案は、レポートの各シートをご覧ください。",
        f"(作成: {japanese_moment(generated_at)})",
    ]
    return "\n".join(lines)


def _crisis_lines(data: ReportData) -> list[str]:
    """How often residents who may be in danger were given the consultation lines, by kind:
    counts only, never their words."""
    if not data.crisis:
        return []
    kinds: Counter[str] = Counter()
    for week in data.crisis_by_week.values():
        kinds.update(week)
    shown = "、".join(f"{LABELS[k]} {kinds[k.value]:,}" for k in CrisisKind if kinds[k.value])
    return [f"相談窓口を案内したメッセージ: {data.crisis:,} 件({shown})"]


def _mailable(word: tuple[str, int, int]) -> bool:
    """An unanswered word fit for mail: asked at least twice, not Latin letters alone (URL and
    code fragments a message can plant) and nothing that may name or reach a person."""
    text, _, unanswered = word
    return (
        unanswered >= MIN_MAILED and not _LATIN_ONLY.fullmatch(text) and not has_personal_data(text)
    )


def _most_read(data: ReportData, index: ReportIndex | None) -> list[str]:
    ranked = sorted(data.faqs.values(), key=lambda c: (-c.seen, c.faq_id))
    lines: list[str] = []
    for counts in ranked[:TOP]:
        if not counts.seen:
            break
        faq = index.faq(counts.faq_id) if index is not None else None
        name = faq.question if faq is not None else f"FAQ {counts.faq_id}"
        lines.append(f"  {len(lines) + 1}. {name}({counts.seen:,} 回)")
    return lines


def console_location(bucket: str | None, region: str | None, key: str) -> str:
    """The S3 console page of the report (the key itself when not in S3, e.g. locally)."""
    if not bucket:
        return key
    region_part = f"region={region}&" if region else ""
    return (
        f"https://{region or 'ap-northeast-1'}.console.aws.amazon.com/s3/object/{bucket}"
        f"?{region_part}bucketType=general&prefix={quote(key)}"
    )


XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def deliver_scheduled_report(
    kind: ReportKind,
    *,
    storage: Storage,
    search_log: SearchLog,
    config: Config,
    notifier: Notifier | None,
    clock: Clock = system_clock,
) -> DeliveredReport:
    """Make the period's report from the search log and the live index, save it under the
    report prefix and mail staff the summary. Run again for the same period, it overwrites the
    same file (a retry sends the mail again, never a second file)."""
    period = scheduled_period(kind, japan_today(clock))
    records = list(search_log.records(period.since, period.until))
    index = VersionStore(storage, config.index_prefix).load_index()
    key = config.report_prefix + period.name
    report = scheduled_report(
        period,
        records,
        index,
        generated_at=utc_now(clock),
        city_name=index.settings.city_name if index is not None else "Madoguchi",
        location=console_location(config.bucket_name, config.region, key),
    )
    storage.put(key, report.workbook, XLSX)
    if notifier is not None:
        notifier.notify(report.subject, report.message)
    return report
