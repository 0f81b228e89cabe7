"""An お知らせ staff put in front of every resident for a while (a typhoon, a closed office): its
text and link, the Japan times it starts and ends, and the menu tab to open by default meanwhile.

Times are stored as ISO text with the Japan offset (2026-09-01T18:00:00+09:00); a notice without a
start is active from its publish, one without an end until staff take it out of 設定.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from madoguchi.clock import JST
from madoguchi.model import BotSettings, MenuTab

_MOMENT = re.compile(
    r"(?P<y>\d{4})\s*[-/年.]\s*(?P<m>\d{1,2})\s*[-/月.]\s*(?P<d>\d{1,2})\s*日?"
    r"(?:\s*(?:\([^)]*\))?\s*[T\s]?\s*(?P<H>\d{1,2})\s*(?:[:時]\s*(?P<M>\d{1,2})?\s*分?)?)?"
)


@dataclass(frozen=True)
class Notice:
    """One notice; `active` says whether residents see it at a moment."""

    text: str
    url: str = ""
    start: datetime | None = None
    end: datetime | None = None
    menu_tab: str = ""
    broadcast: bool = False  # sent once to every friend when published while active

    @property
    def identity(self) -> str:
        """Names this notice for sending it once: its text and period. An edited text or an
        other period is another notice (and is sent again)."""
        parts = (
            self.text.strip(),
            self.start.isoformat() if self.start else "",
            self.end.isoformat() if self.end else "",
        )
        return hashlib.sha256("\n".join(parts).encode()).hexdigest()[:32]

    def active(self, now: datetime) -> bool:
        """True from its start (inclusive) to its end (exclusive), when it has a text."""
        if not self.text.strip():
            return False
        return (self.start is None or self.start <= now) and (self.end is None or now < self.end)

    def upcoming(self, now: datetime) -> bool:
        """True when it has a text and its start is still ahead of `now`."""
        return bool(self.text.strip()) and self.start is not None and now < self.start

    def message_text(self) -> str:
        """What residents read above the answers."""
        text = f"【お知らせ】\n{self.text.strip()}"
        return f"{text}\n{self.url.strip()}" if self.url.strip() else text


def parse_moment(text: str, *, end: bool = False) -> datetime:
    """A Japan date and time staff wrote (2026-09-01 18:00, 2026/9/1 18:00, 2026年9月1日 18時);
    a date alone is the start of that day, or for an end, the end of it; ValueError otherwise."""
    folded = unicodedata.normalize("NFKC", text or "").strip()
    match = _MOMENT.fullmatch(folded)
    if not match:
        raise ValueError(text)
    day = date(int(match["y"]), int(match["m"]), int(match["d"]))
    if match["H"] is None:
        moment = datetime.combine(day, time(0), JST)
        return moment + timedelta(days=1) if end else moment
    hour, minute = int(match["H"]), int(match["M"] or 0)
    if hour == 24 and minute == 0:
        return datetime.combine(day + timedelta(days=1), time(0), JST)
    return datetime.combine(day, time(hour, minute), JST)


def moment_of(cell: datetime | date) -> datetime:
    """A date-time cell from Excel (no zone: Japan time) as an aware moment."""
    if isinstance(cell, datetime):
        return cell.replace(tzinfo=JST) if cell.tzinfo is None else cell.astimezone(JST)
    return datetime.combine(cell, time(0), JST)


def _stored(value: str) -> datetime | None:
    if not value:
        return None
    try:
        moment = datetime.fromisoformat(value)
    except ValueError:
        return None  # the validator refuses unreadable times; an old index simply has none
    return moment if moment.tzinfo is not None else moment.replace(tzinfo=JST)


def notice_of(settings: BotSettings) -> Notice:
    """The notice the 設定 sheet describes (maybe without a text, so never active)."""
    return Notice(
        text=settings.notice,
        url=settings.notice_url,
        start=_stored(settings.notice_start),
        end=_stored(settings.notice_end),
        menu_tab=settings.notice_menu_tab,
        broadcast=settings.notice_broadcast,
    )


def active_notice(settings: BotSettings, now: datetime) -> Notice | None:
    """The notice residents see at `now`, or None."""
    notice = notice_of(settings)
    return notice if notice.active(now) else None


def default_tab(menu: Sequence[MenuTab], settings: BotSettings, now: datetime) -> int:
    """The tab everyone sees first: the one an active notice names, else the first."""
    notice = active_notice(settings, now)
    if notice is not None and notice.menu_tab:
        for number, tab in enumerate(menu):
            if tab.name == notice.menu_tab.strip():
                return number
    return 0
