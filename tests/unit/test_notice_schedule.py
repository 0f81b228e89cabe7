"""The scheduled notice check decides on the live notice alone: due (sent once, staff mailed
once), not yet, past, already sent, or the setting off; the upload report says a notice whose
start is ahead will be sent then. LINE here is an in-memory stand-in for the adapter (the
loopback HTTP API is in tests/integration/test_notice_check.py)."""

from __future__ import annotations

import json
import threading
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

import pytest

from madoguchi.adapters.line_broadcast import BroadcastResult, Followers, Quota
from madoguchi.adapters.storage import LocalStorage
from madoguchi.clock import JST
from madoguchi.model import BotSettings, MenuTab
from madoguchi.notice import notice_of
from madoguchi.publish.broadcast import NoticeBroadcast, notice_summary
from madoguchi.publish.notice_schedule import (
    NOT_SENT_SUBJECT,
    SENT_SUBJECT,
    UNPUBLISHED,
    check_notice,
    mail_key,
)
from madoguchi.publish.upload_report import notice_lines
from tests.support.clock import FixedClock

PREFIX = "indexes/"
START = datetime(2026, 12, 8, 18, 0, tzinfo=JST)
END = datetime(2026, 12, 9, 12, 0, tzinfo=JST)
TEXT = "台風のため、18時から南中学校に避難所を開設します。"


@dataclass
class Line:
    """Quota, friends and broadcast as LineBroadcastApi answers them."""

    limit: int | None = None
    used: int = 0
    reachable: int = 100
    sent: list[str] = field(default_factory=list)  # retry keys of accepted broadcasts
    calls: int = 0

    def quota(self) -> Quota:
        self.calls += 1
        return Quota(self.limit, self.used)

    def followers(self, day: str) -> Followers:
        self.calls += 1
        return Followers("ready", 120, self.reachable)

    def broadcast(self, messages: Any, retry_key: str) -> BroadcastResult:
        self.calls += 1
        if retry_key in self.sent:
            return BroadcastResult(True, 409, duplicate=True)
        self.sent.append(retry_key)
        return BroadcastResult(True, 200, request_id="r1")


@dataclass
class Published:
    """What the check reads of the live index: its settings and menu."""

    settings: BotSettings
    menu: tuple[MenuTab, ...] = ()


@dataclass
class Live:
    index: Published | None

    def current(self) -> Published | None:
        return self.index


class Mail:
    def __init__(self) -> None:
        self.sent: list[tuple[str, str]] = []

    def notify(self, subject: str, message: str) -> None:
        self.sent.append((subject, message))


def settings(broadcast: bool = True, text: str = TEXT, end: datetime | None = END) -> BotSettings:
    return BotSettings(
        notice=text,
        notice_start=START.isoformat(),
        notice_end=end.isoformat() if end else "",
        notice_broadcast=broadcast,
    )


@pytest.fixture
def world(tmp_path):
    class World:
        storage = LocalStorage(tmp_path)
        line = Line()
        mail = Mail()
        clock = FixedClock(START)
        live = Live(Published(settings()))

        def check(self, api: bool = True):
            return check_notice(
                self.storage,
                index_prefix=PREFIX,
                broadcast_api=(lambda: self.line) if api else None,
                notifier=self.mail,
                clock=self.clock,
                live=self.live,
            )

    return World()


def test_due_at_its_start_it_is_sent_once_and_staff_are_mailed_once(world):
    check = world.check()
    assert (check.status, check.mailed, check.recipients) == ("sent", True, 100)
    assert len(world.line.sent) == 1
    [(subject, text)] = world.mail.sent
    assert subject == SENT_SUBJECT
    assert "友だち 約100人に配信しました(2026年12月8日 18:00(日本時間))" in text
    assert "期間: 2026年12月8日 18:00 から 2026年12月9日 12:00(日本時間)" in text
    assert TEXT in text

    world.clock.advance(5 * 60)  # the next check: already sent, nobody mailed again
    again = world.check()
    assert (again.status, again.mailed) == ("already_sent", False)
    assert len(world.line.sent) == 1 and len(world.mail.sent) == 1


def test_not_yet_before_its_start_nothing_is_read_from_line(world):
    world.clock.set(START - timedelta(minutes=5))
    check = world.check()
    assert check.status == "scheduled" and not check.mailed
    assert world.line.calls == 0 and world.mail.sent == []
    assert world.storage.list(PREFIX) == []  # no record either


def test_past_its_end_nothing_is_sent(world):
    world.clock.set(END)
    assert world.check().status == "not_active"
    assert world.line.calls == 0 and world.mail.sent == []


def test_setting_off_or_no_notice_or_no_line_sends_nothing(world):
    world.live.index = Published(settings(broadcast=False))
    assert world.check().status == "off"
    world.live.index = Published(settings(text=""))
    assert world.check().status == "no_notice"
    world.live.index = Published(settings())
    assert world.check(api=False).status == "no_line"
    world.live.index = None
    assert world.check().status == UNPUBLISHED
    assert world.line.calls == 0 and world.mail.sent == []


def test_already_sent_by_an_upload_is_not_sent_again_nor_mailed(world):
    index = world.live.index
    NoticeBroadcast(world.storage, PREFIX, lambda: world.line, world.clock).send(
        index,
        "upload-1",
        world.clock.utc(),
    )
    assert len(world.line.sent) == 1
    check = world.check()
    assert (check.status, check.mailed) == ("already_sent", False)
    assert len(world.line.sent) == 1 and world.mail.sent == []


def test_quota_refused_once_told_then_sent_when_the_plan_allows(world):
    world.line.limit, world.line.used = 1_000, 950
    check = world.check()
    assert (check.status, check.mailed) == ("quota", True)
    [(subject, text)] = world.mail.sent
    assert subject == NOT_SENT_SUBJECT
    assert "今月送れるメッセージが足りないためです(友だち 約100人、今月の残り 50通)" in text
    assert "5分ごとに確かめ直し" in text and "「しない」にして保存" in text
    world.clock.advance(5 * 60)
    assert world.check().mailed is False  # told once
    assert world.line.sent == [] and len(world.mail.sent) == 1

    world.line.limit = 5_000
    world.clock.advance(5 * 60)
    assert world.check().status == "sent"
    assert len(world.line.sent) == 1
    assert [s for s, _ in world.mail.sent] == [NOT_SENT_SUBJECT, SENT_SUBJECT]


class MailDown(Mail):
    def notify(self, subject: str, message: str) -> None:
        raise ConnectionError("SNS is down")


def test_a_mail_sns_refused_is_owed_to_the_next_check_without_sending_again(world):
    world.mail, working = MailDown(), world.mail
    with pytest.raises(ConnectionError):
        world.check()
    assert len(world.line.sent) == 1
    notice = notice_of(world.live.index.settings)
    announce = NoticeBroadcast(world.storage, PREFIX, None)
    owed = json.loads(world.storage.get(mail_key(announce, notice, "sent")))
    assert owed["state"] == "owed"

    world.mail = working
    world.clock.advance(60)  # Lambda's retry
    check = world.check()
    assert (check.status, check.mailed) == ("already_sent", True)
    assert len(world.line.sent) == 1 and [s for s, _ in world.mail.sent] == [SENT_SUBJECT]
    assert world.check().mailed is False


def test_the_upload_report_says_a_future_notice_goes_out_at_its_start(world):
    world.clock.set(datetime(2026, 12, 8, 15, 0, tzinfo=JST))
    index = world.live.index
    announce = NoticeBroadcast(world.storage, PREFIX, lambda: world.line, world.clock)
    summary = announce(index, "upload-1")
    assert summary["active"] is False and summary["upcoming"] is True
    assert summary["broadcast"] == {"status": "scheduled"}
    text = "\n".join(notice_lines(summary))
    assert "お知らせ: まだ出していません(開始時刻の前です)。" in text
    assert "開始時刻 12月8日 18:00 になったら自動で配信します" in text
    assert world.line.calls == 0

    # Past its end it says so, and never suggests saving again.
    world.clock.set(END + timedelta(hours=1))
    past = notice_summary(index, world.clock.utc())
    past["broadcast"] = announce.send(index, "upload-2", world.clock.utc())
    words = "\n".join(notice_lines(past))
    assert "お知らせ: 出していません(期間外です)。" in words
    assert "期間が終わっているためです" in words


def test_eight_checks_at_once_send_once_and_mail_once(world):
    lock = threading.Lock()
    line = world.line
    accept = line.broadcast

    def broadcast(messages: Any, retry_key: str) -> BroadcastResult:
        with lock:  # LINE answers each retry key once, whatever arrives together
            return accept(messages, retry_key)

    line.broadcast = broadcast
    with ThreadPoolExecutor(8) as pool:
        checks = list(pool.map(lambda _: world.check(), range(8)))
    assert len(line.sent) == 1
    assert sum(c.mailed for c in checks) == 1 and len(world.mail.sent) == 1
    assert {c.status for c in checks} <= {"sent", "already_sent"}
