"""The scheduled look at the live notice (every 5 minutes: the indexer's NoticeCheck event in
template.yaml): a notice whose start was still ahead when it was uploaded is sent to every
friend once its period begins, and staff get one mail saying so, or why it was not sent.

Nothing is rebuilt: the live pointer is read (one small object) and the published index only
when the pointer moved since the last check. The send goes through the publish's own once-only
path (publish.broadcast: the same record, quota check and retry key), so a notice goes out once
whether an upload or this check sees it first, and never twice under redelivery or overlap.
"""

from __future__ import annotations

import json
import logging
import uuid
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from madoguchi.adapters.notifier import Notifier
from madoguchi.adapters.storage import Storage
from madoguchi.clock import Clock, system_clock, utc_now
from madoguchi.notice import Notice, notice_of
from madoguchi.publish.broadcast import (
    ALREADY_SENT,
    FAILED,
    QUOTA,
    SENT_NOW,
    STALE,
    UNCHECKED,
    BroadcastApiFactory,
    NoticeBroadcast,
)
from madoguchi.publish.upload_report import (
    BROADCAST_WORDS,
    SUBJECT_PREFIX,
    clip_line,
    friends_count,
    japan_moment,
    japan_time,
    messages_left,
)
from madoguchi.publish.versions import (
    BROADCASTS_DIR,
    JSON_TYPE,
    Pointer,
    VersionStore,
    iso_utc,
    to_json,
)

if TYPE_CHECKING:
    from madoguchi.search import SearchIndex

log = logging.getLogger(__name__)

UNPUBLISHED = "unpublished"  # nothing is live yet
# The record of a send this check made names it so (the publish's own names the upload).
SCHEDULE_SENDER = "schedule@"
# Outcomes staff hear of by mail, once per notice each.
TOLD = (SENT_NOW, QUOTA, UNCHECKED, FAILED, STALE)
MAIL_SUFFIX = ".mail-{status}.json"
MAILED, OWED = "mailed", "owed"


@dataclass(frozen=True)
class NoticeCheck:
    """What one check did: the broadcast's status, and whether staff were mailed now."""

    status: str
    mailed: bool = False
    recipients: int | None = None

    def to_dict(self) -> dict[str, Any]:
        """The handler's answer and the log's fields (no notice text)."""
        return {"notice": self.status, "mailed": self.mailed, "recipients": self.recipients}


class LiveNotices:
    """The published index, read again only when the live pointer moved (a warm function reads
    one small object per check)."""

    def __init__(self, storage: Storage, index_prefix: str) -> None:
        self.versions = VersionStore(storage, index_prefix)
        self._pointer: Pointer | None = None
        self._index: SearchIndex | None = None

    def current(self) -> SearchIndex | None:
        """The live index, or None before the first publish."""
        pointer = self.versions.pointer()
        if pointer is None:
            return None
        if self._index is None or self._pointer is None or not _same(pointer, self._pointer):
            self._index = self.versions.load_index(pointer)
            self._pointer = pointer
        return self._index


def _same(a: Pointer, b: Pointer) -> bool:
    return (a.version, a.checksum) == (b.version, b.checksum)


def check_notice(
    storage: Storage,
    *,
    index_prefix: str,
    broadcast_api: BroadcastApiFactory | None,
    notifier: Notifier | None,
    clock: Clock = system_clock,
    live: LiveNotices | None = None,
) -> NoticeCheck:
    """Send the live notice when it is due and not sent yet; mail staff what became of it."""
    live = live or LiveNotices(storage, index_prefix)
    index = live.current()
    if index is None:
        return NoticeCheck(UNPUBLISHED)
    now = utc_now(clock)
    announce = NoticeBroadcast(storage, index_prefix, broadcast_api, clock)
    # Each check names itself: a send this very check finishes reports "sent", one an earlier
    # or overlapping check or an upload made reports "already sent".
    sender = f"{SCHEDULE_SENDER}{iso_utc(now)}#{uuid.uuid4().hex[:8]}"
    outcome = announce.send(index, sender, now)
    status = str(outcome.get("status"))
    notice = notice_of(index.settings)
    told = status
    if status == ALREADY_SENT and _sent_by_schedule(storage, announce, notice):
        told = SENT_NOW  # an earlier check sent it; its mail may still be owed
    if status == FAILED and "line_status" not in outcome:
        told = ""  # never sent to LINE: overlapping checks kept the claim; they tell staff
    mailed = False
    if told in TOLD and notifier is not None:
        mailed = _tell_once(
            storage, mail_key(announce, notice, told), notifier, notice, outcome, told
        )
    return NoticeCheck(status, mailed, outcome.get("recipients"))


def _sent_by_schedule(storage: Storage, announce: NoticeBroadcast, notice: Notice) -> bool:
    found = storage.get(announce.versions.broadcast_key(notice.identity))
    try:
        record = json.loads(found) if found else {}
    except ValueError:
        return False
    return isinstance(record, dict) and str(record.get("upload_id", "")).startswith(SCHEDULE_SENDER)


def mail_key(announce: NoticeBroadcast, notice: Notice, status: str) -> str:
    """Where the mail about one outcome of one notice is claimed, beside its record."""
    return (
        announce.versions.prefix
        + BROADCASTS_DIR
        + notice.identity
        + MAIL_SUFFIX.format(status=status)
    )


def _tell_once(
    storage: Storage,
    key: str,
    notifier: Notifier,
    notice: Notice,
    outcome: dict[str, Any],
    status: str,
) -> bool:
    """Mail staff about this outcome unless a check already did: the mail is claimed first (two
    overlapping checks mail once); a mail SNS refused is owed to the next check."""
    found = storage.get_tagged(key)
    claim = to_json({"state": MAILED, "status": status})
    if found is None:
        claimed = storage.put_if_absent(key, claim, JSON_TYPE)
    else:
        try:
            state = json.loads(found[0]).get("state")
        except (ValueError, AttributeError):
            state = OWED
        if state != OWED:
            return False
        claimed = storage.put_if_match(key, claim, found[1], JSON_TYPE)
    if not claimed:
        return False  # an overlapping check mails it
    subject, text = scheduled_mail(notice, status, outcome)
    try:
        notifier.notify(subject, text)
    except Exception:
        storage.put(key, to_json({"state": OWED, "status": status}), JSON_TYPE)
        raise
    return True


SENT_SUBJECT = SUBJECT_PREFIX + "お知らせを友だちに配信しました"
NOT_SENT_SUBJECT = SUBJECT_PREFIX + "お知らせを配信できていません"
RETRY_WORDS = "お知らせの期間中は5分ごとに確かめ直し、送れるようになったら自動で配信します。"
NOT_SENT_WORDS = {
    QUOTA: "今月送れるメッセージが足りないためです(友だち{recipients}、今月の残り {remaining})。"
    "LINE公式アカウントの管理画面でプランを確かめてください。" + RETRY_WORDS,
    UNCHECKED: "今月送れるメッセージの数をLINEに確かめられなかったためです。" + RETRY_WORDS,
    FAILED: "LINEが受け付けなかったためです(LINE: {line_status})。"
    + RETRY_WORDS
    + "同じお知らせが二重に届くことはありません。",
    STALE: BROADCAST_WORDS[STALE].removeprefix("していません。"),
}
STOP_WORDS = (
    "配信をやめるときは、「設定」シートの「お知らせの配信」を「しない」にして保存してください。"
)


def scheduled_mail(notice: Notice, status: str, outcome: dict[str, Any]) -> tuple[str, str]:
    """The short Japanese mail staff get when the scheduled check sent the notice, or not."""
    period = (
        f"{japan_moment(notice.start.isoformat()) if notice.start else '公開したとき'} から "
        f"{japan_moment(notice.end.isoformat()) if notice.end else '「お知らせ」を消すまで'}"
    )
    details = [f"文章: {clip_line(notice.text)}", f"期間: {period}(日本時間)"]
    if status == SENT_NOW:
        sent_at = japan_time(outcome.get("sent_at") or "")
        first = (
            "「設定」シートのお知らせを、期間に入ったので自動で"
            f"友だち{friends_count(outcome.get('recipients'))}に配信しました({sent_at})。"
        )
        return SENT_SUBJECT, "\n".join([first, "", *details])
    why = NOT_SENT_WORDS[status].format(
        recipients=friends_count(outcome.get("recipients")),
        remaining=messages_left(outcome.get("remaining")),
        line_status=outcome.get("line_status") or "応答なし",
    )
    first = f"お知らせの期間に入りましたが、友だちへの配信はまだしていません。{why}"
    return NOT_SENT_SUBJECT, "\n".join([first, "", *details, "", STOP_WORDS])
