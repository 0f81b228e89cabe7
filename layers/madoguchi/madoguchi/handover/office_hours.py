"""Staff office hours from the `設定` sheet: is the office open now, and when does it open next."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from madoguchi.clock import JST

# Japan has had no daylight saving time since 1951, so a fixed offset is exact and needs no tzdata.

WEEKDAYS_JA = "月火水木金土日"  # index = datetime.weekday()
_DAY_WORDS = {
    "平日": (0, 1, 2, 3, 4),
    "毎日": (0, 1, 2, 3, 4, 5, 6),
    "土日": (5, 6),
}
_RANGE_DASHES = "-~〜～ー−―‐"
_LOOKAHEAD_DAYS = 400  # far enough to step over the New Year holidays plus a long closure


class OfficeHoursError(ValueError):
    """The office-hours text cannot be understood; the message is Japanese, for staff."""


@dataclass(frozen=True)
class OpeningRange:
    """One opening window on the given weekdays (0 = Monday), in Japan time."""

    weekdays: frozenset[int]
    start: time
    end: time  # `time.max` stands for 24:00


@dataclass(frozen=True)
class OfficeHours:
    """When staff answer: weekly windows minus closed dates."""

    ranges: tuple[OpeningRange, ...]
    closed_days: frozenset[date] = frozenset()

    def is_open(self, now: datetime) -> bool:
        """True if `now` (aware, any zone) falls inside an opening window on an open day."""
        local = _to_japan(now)
        if local.date() in self.closed_days:
            return False
        clock = local.time().replace(tzinfo=None)
        return any(local.weekday() in r.weekdays and r.start <= clock < r.end for r in self.ranges)

    def next_opening(self, now: datetime) -> datetime | None:
        """The first moment at or after `now` when the office is open, in Japan time."""
        local = _to_japan(now)
        if self.is_open(local):
            return local
        for offset in range(_LOOKAHEAD_DAYS):
            day = local.date() + timedelta(days=offset)
            if day in self.closed_days:
                continue
            starts = sorted(r.start for r in self.ranges if day.weekday() in r.weekdays)
            for start in starts:
                moment = datetime.combine(day, start, JST)
                if moment >= local:
                    return moment
        return None


def _to_japan(moment: datetime) -> datetime:
    if moment.tzinfo is None:
        raise ValueError("office hours need an aware datetime")
    return moment.astimezone(JST)


def parse_office_hours(text: str, closed_days: Iterable[str] = ()) -> OfficeHours:
    """Parse e.g. "月-金 8:30-17:15; 土 9:00-12:00"; raise OfficeHoursError saying what is wrong."""
    parts = [p.strip() for p in re.split(r"[;\n]", _normalize(text)) if p.strip()]
    if not parts:
        raise OfficeHoursError("職員対応時間が空です。例:「月-金 8:30-17:15」")
    ranges = tuple(_parse_range(part) for part in parts)
    return OfficeHours(ranges, frozenset(_parse_closed_day(d) for d in closed_days if d.strip()))


def _normalize(text: str) -> str:
    text = unicodedata.normalize("NFKC", text or "")
    text = text.replace("、", ",").replace("・", ",").replace("；", ";")
    for dash in _RANGE_DASHES:
        text = text.replace(dash, "-")
    return text


def _parse_range(part: str) -> OpeningRange:
    match = re.fullmatch(
        r"(?P<days>[^\d]+?)\s*(?P<start>[\d:時分]+)\s*-\s*(?P<end>[\d:時分]+)", part
    )
    if not match:
        raise OfficeHoursError(
            f"職員対応時間「{part}」が読めません。「曜日 開始-終了」の形で書いてください"
            "(例:「月-金 8:30-17:15」)。"
        )
    start = _parse_clock(match["start"], part)
    end = _parse_clock(match["end"], part)
    if end <= start:
        raise OfficeHoursError(f"職員対応時間「{part}」の終了が開始より前です。")
    return OpeningRange(_parse_days(match["days"].strip(), part), start, end)


def _parse_days(text: str, part: str) -> frozenset[int]:
    days: set[int] = set()
    for item in text.replace(" ", "").replace("曜日", "").replace("曜", "").split(","):
        if item in _DAY_WORDS:
            days.update(_DAY_WORDS[item])
        elif len(item) == 3 and item[1] == "-" and {item[0], item[2]} <= set(WEEKDAYS_JA):
            first, last = WEEKDAYS_JA.index(item[0]), WEEKDAYS_JA.index(item[2])
            span = (last - first) % 7
            days.update((first + i) % 7 for i in range(span + 1))
        elif len(item) == 1 and item in WEEKDAYS_JA:
            days.add(WEEKDAYS_JA.index(item))
        else:
            raise OfficeHoursError(
                f"職員対応時間「{part}」の曜日「{item}」が読めません。"
                "月・火・水・木・金・土・日、「月-金」「平日」「毎日」などで書いてください。"
            )
    return frozenset(days)


def _parse_clock(text: str, part: str) -> time:
    match = re.fullmatch(r"(\d{1,2})(?::(\d{2})|時(?:(\d{1,2})分)?)?", text)
    if not match:
        raise OfficeHoursError(f"職員対応時間「{part}」の時刻「{text}」が読めません(例:8:30)。")
    hour, minute = int(match[1]), int(match[2] or match[3] or 0)
    if hour == 24 and minute == 0:
        return time.max
    if hour > 23 or minute > 59:
        raise OfficeHoursError(f"職員対応時間「{part}」の時刻「{text}」はありません。")
    return time(hour, minute)


def _parse_closed_day(text: str) -> date:
    try:
        return date.fromisoformat(unicodedata.normalize("NFKC", text).strip())
    except ValueError:
        raise OfficeHoursError(
            f"休業日「{text}」が読めません。2026-12-29 のように書いてください。"
        ) from None


def format_moment_ja(moment: datetime) -> str:
    """Japanese phrase for a moment, such as "12月29日（火）8:30" (Japan time)."""
    local = _to_japan(moment)
    weekday = WEEKDAYS_JA[local.weekday()]
    return f"{local.month}月{local.day}日（{weekday}）{local.hour}:{local.minute:02d}"
