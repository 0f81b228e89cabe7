"""After a publish: what the notice does (on or off, when, which menu tab opens first), and its
one broadcast to every friend when 設定 asks for it.

A notice is sent at most once: a record beside the live pointer (VersionStore.broadcast_key)
names it by its text and period. The record is claimed with a retry key before sending and
marked sent after; a retried publish, a redelivered event or a re-upload of the same workbook
finds it and sends nothing, while a broadcast whose answer was lost is sent again with the same
key, which LINE accepts once (X-Line-Retry-Key). Before a first send, the month's quota, what
was used of it and the number of friends are read; when the quota would run out, nothing is
sent and the report says so. A notice whose start is still ahead is "scheduled": the notice
check (publish.notice_schedule) sends it through this same path when its period begins.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any

from linebot.v3.messaging import (
    FlexBox,
    FlexBubble,
    FlexButton,
    FlexMessage,
    FlexText,
    Message,
    PostbackAction,
    URIAction,
)
from linebot.v3.messaging.models.action import Action

from madoguchi.adapters.line_broadcast import (
    BroadcastApiError,
    Followers,
    LineBroadcastApi,
    new_retry_key,
)
from madoguchi.adapters.storage import Storage
from madoguchi.clock import JST, Clock, system_clock, utc_now
from madoguchi.line import postback
from madoguchi.line.messages import MAX_ALT_TEXT_LENGTH, clip
from madoguchi.model import MenuTab
from madoguchi.notice import Notice, default_tab, notice_of
from madoguchi.publish.versions import JSON_TYPE, VersionStore, iso_utc, to_json

if TYPE_CHECKING:
    from madoguchi.search import SearchIndex

log = logging.getLogger(__name__)

SENDING, SENT, RELEASED = "sending", "sent", "released"
CLAIM_ATTEMPTS = 3
RETRY_KEY_SECONDS = 24 * 60 * 60  # how long LINE remembers a retry key
MAX_BUTTONS = 3  # a bubble's footer stays readable with three
DETAILS_LABEL = "くわしく見る"
CATEGORIES_LABEL = "分野から探す"

# Statuses of the broadcast in the report (UploadReport.notice["broadcast"]["status"]).
NO_NOTICE = "no_notice"  # no notice in 設定
OFF = "off"  # 「お知らせの配信」 is not 「する」
NOT_ACTIVE = "not_active"  # its period is over
SCHEDULED = "scheduled"  # its start is still ahead: the scheduled check sends it then
NO_LINE = "no_line"  # this deployment has no LINE token setting
SENT_NOW = "sent"
ALREADY_SENT = "already_sent"
QUOTA = "quota"  # the month's quota would run out
UNCHECKED = "unchecked"  # the quota could not be read, so nothing was sent
FAILED = "failed"
STALE = "stale"  # a send of over a day ago was never confirmed: not sent again
WOULD_SEND = "would_send"  # a dry run: this notice would go out now

# Makes the LINE client for one publish (the token is read from SSM each time).
BroadcastApiFactory = Callable[[], LineBroadcastApi]


@dataclass(frozen=True)
class Audience:
    """What one broadcast would cost: friends it reaches and messages left this month."""

    recipients: int | None  # None: LINE has no figure (the send still goes out)
    remaining: int | None  # None: no monthly limit


def notice_summary(index: SearchIndex, now: datetime) -> dict[str, Any]:
    """The notice as staff should read it in the report (without the broadcast)."""
    notice = notice_of(index.settings)
    tabs = index.menu
    first_tab = tabs[default_tab(tabs, index.settings, now)].name if tabs else ""
    return {
        "text": notice.text.strip(),
        "active": notice.active(now),
        "upcoming": notice.upcoming(now),
        "start": notice.start.isoformat() if notice.start else "",
        "end": notice.end.isoformat() if notice.end else "",
        "url": notice.url,
        "menu_tab": notice.menu_tab,
        "first_tab": first_tab,
        "broadcast_asked": notice.broadcast,
    }


def failed_notice(index: SearchIndex, now: datetime) -> dict[str, Any]:
    """The report's notice section when the broadcast step itself failed."""
    return {**notice_summary(index, now), "broadcast": {"status": FAILED}}


def broadcast_messages(notice: Notice, menu: tuple[MenuTab, ...]) -> list[Message]:
    """One bubble: the notice's text, and buttons to its page and its menu tab's first buttons."""
    from madoguchi.richmenu.layout import MenuLayoutError
    from madoguchi.richmenu.spec import button_action

    actions: list[Action] = []
    if notice.url.strip():
        actions.append(URIAction(label=DETAILS_LABEL, uri=notice.url.strip()))
    tab = next((t for t in menu if t.name == notice.menu_tab.strip()), None)
    for button in tab.buttons if tab else ():
        if len(actions) >= MAX_BUTTONS:
            break
        try:
            actions.append(button_action(button))
        except MenuLayoutError:
            continue  # a button LINE could not take is left out, not the broadcast
    if not actions:
        data = postback.encode(postback.ListCategories())
        actions.append(PostbackAction(label=CATEGORIES_LABEL, data=data, display_text="分野"))
    body = FlexBox(
        layout="vertical",
        spacing="md",
        contents=[
            FlexText(text="【お知らせ】", weight="bold", size="lg", wrap=True, scaling=True),
            FlexText(text=notice.text.strip(), wrap=True, size="md", scaling=True),
        ],
    )
    footer = FlexBox(
        layout="vertical",
        spacing="sm",
        contents=[
            FlexButton(action=action, style="primary" if i == 0 else "secondary", height="sm")
            for i, action in enumerate(actions)
        ],
    )
    alt_text = clip(f"【お知らせ】{notice.text.strip()}", MAX_ALT_TEXT_LENGTH)
    return [FlexMessage(alt_text=alt_text, contents=FlexBubble(body=body, footer=footer))]


class NoticeBroadcast:
    """Sends a published workbook's notice once; `api` is made per publish (a fresh token)."""

    def __init__(
        self,
        storage: Storage,
        index_prefix: str,
        api: BroadcastApiFactory | None,
        clock: Clock = system_clock,
    ) -> None:
        self.versions = VersionStore(storage, index_prefix)
        self.storage = storage
        self.api = api
        self.clock = clock

    def __call__(self, index: SearchIndex, upload_id: str) -> dict[str, Any]:
        """The report's notice section for a published index, sending it when it should go."""
        now = utc_now(self.clock)
        summary = notice_summary(index, now)
        summary["broadcast"] = self.send(index, upload_id, now)
        return summary

    def send(
        self, index: SearchIndex, upload_id: str, now: datetime, attempts: int = CLAIM_ATTEMPTS
    ) -> dict[str, Any]:
        """The broadcast's outcome: why not, or to how many friends."""
        notice = notice_of(index.settings)
        refused = self._refusal(notice, now)
        if refused is not None:
            return {"status": refused}
        assert self.api is not None  # _refusal says NO_LINE without one
        key = self.versions.broadcast_key(notice.identity)
        record, etag = self._record(key)
        if record is not None and record.get("state") == SENT:
            # The same upload again (a retry) reports what it sent; another upload was sent
            # this notice before.
            status = SENT_NOW if record.get("upload_id") == upload_id else ALREADY_SENT
            return {**_sent_fields(record), "status": status}
        api = self.api()
        if record is not None and record.get("state") == SENDING:
            if _stale(record, now):
                # LINE keeps a retry key for a day only: whether that send went out is no
                # longer knowable, and sending again could reach every friend twice.
                log.warning("a notice broadcast of over a day ago was never confirmed")
                return {"status": STALE}
            retry_key = str(record["retry_key"])
            recipients = record.get("recipients")
        else:
            try:
                audience = self._audience(api, now)
            except BroadcastApiError as error:
                log.warning("message quota not read; the notice is not sent", extra=_why(error))
                return {"status": UNCHECKED}
            if _short(audience):
                return {
                    "status": QUOTA,
                    "recipients": audience.recipients,
                    "remaining": audience.remaining,
                }
            retry_key, recipients = new_retry_key(), audience.recipients
            claimed = {
                "state": SENDING,
                "notice": notice.identity,
                "retry_key": retry_key,
                "upload_id": upload_id,
                "recipients": recipients,
                "claimed_at": iso_utc(now),
            }
            if not self._claim(key, claimed, etag):
                if attempts <= 1:
                    return {"status": FAILED}
                # Another delivery claimed it in between: read its record and go on from there.
                return self.send(index, upload_id, now, attempts - 1)
        result = api.broadcast(broadcast_messages(notice, index.menu), retry_key)
        if result.accepted:
            sent = {
                "state": SENT,
                "notice": notice.identity,
                "retry_key": retry_key,
                "upload_id": upload_id,
                "recipients": recipients,
                "sent_at": iso_utc(utc_now(self.clock)),
                "request_id": result.request_id,
            }
            try:
                self.storage.put(key, to_json(sent), JSON_TYPE)
            except Exception:
                # Sent all the same: the claim stays, and the next publish of this notice sends
                # with the same retry key, which LINE accepts once, then records it.
                log.exception("the notice was sent but could not be recorded so")
            log.info(
                "notice broadcast",
                extra={"recipients": recipients, "line_duplicate": result.duplicate},
            )
            return {**_sent_fields(sent), "status": SENT_NOW}
        log.warning(
            "notice broadcast failed",
            extra={"line_status": result.status, "line_error": result.error},
        )
        if not result.retryable:
            # Refused (the month's limit reached, or a message LINE would not take): never
            # accepted, so the next publish checks the quota again with a new key.
            released = {"state": RELEASED, "notice": notice.identity, "status": result.status}
            self.storage.put(key, to_json(released), JSON_TYPE)
        return {"status": FAILED, "line_status": result.status, "recipients": recipients}

    def dry_run(self, index: SearchIndex) -> dict[str, Any]:
        """What publishing this index now would do with its notice (the quota and friends are
        read; nothing is sent or recorded), with the messages friends would get."""
        now = utc_now(self.clock)
        summary = notice_summary(index, now)
        notice = notice_of(index.settings)
        summary["broadcast"] = self._would(notice, now)
        shown = notice.text.strip()
        summary["messages"] = (
            [m.to_dict() for m in broadcast_messages(notice, index.menu)] if shown else []
        )
        return summary

    def _would(self, notice: Notice, now: datetime) -> dict[str, Any]:
        refused = self._refusal(notice, now)
        if refused is not None:
            return {"status": refused}
        assert self.api is not None
        record, _ = self._record(self.versions.broadcast_key(notice.identity))
        if record is not None and record.get("state") == SENT:
            return {**_sent_fields(record), "status": ALREADY_SENT}
        try:
            audience = self._audience(self.api(), now)
        except BroadcastApiError:
            return {"status": UNCHECKED}
        status = QUOTA if _short(audience) else WOULD_SEND
        return {
            "status": status,
            "recipients": audience.recipients,
            "remaining": audience.remaining,
        }

    def _refusal(self, notice: Notice, now: datetime) -> str | None:
        """Why this notice is not for sending now, or None when it is."""
        if not notice.text.strip():
            return NO_NOTICE
        if not notice.broadcast:
            return OFF
        if not notice.active(now):
            if notice.upcoming(now) and self.api is not None:
                return SCHEDULED  # publish.notice_schedule sends it when its start comes
            return NO_LINE if notice.upcoming(now) else NOT_ACTIVE
        if self.api is None:
            return NO_LINE
        return None

    def _record(self, key: str) -> tuple[dict[str, Any] | None, str | None]:
        found = self.storage.get_tagged(key)
        if found is None:
            return None, None
        try:
            data = json.loads(found[0])
        except ValueError:
            return None, found[1]
        if not isinstance(data, dict) or data.get("state") not in (SENDING, SENT):
            return None, found[1]
        return data, found[1]

    def _claim(self, key: str, record: dict[str, Any], etag: str | None) -> bool:
        if etag is None:
            return self.storage.put_if_absent(key, to_json(record), JSON_TYPE)
        return self.storage.put_if_match(key, to_json(record), etag, JSON_TYPE)

    def _audience(self, api: LineBroadcastApi, now: datetime) -> Audience:
        quota = api.quota()
        yesterday = (now.astimezone(JST) - timedelta(days=1)).strftime("%Y%m%d")
        try:
            followers: Followers | None = api.followers(yesterday)
        except BroadcastApiError as error:
            log.warning("number of friends not read", extra=_why(error))
            followers = None
        ready = followers is not None and followers.status == "ready"
        recipients = None
        if ready and followers is not None:
            recipients = followers.reachable if followers.reachable is not None else None
            recipients = recipients if recipients is not None else followers.followers
        return Audience(recipients, quota.remaining)


def _stale(record: dict[str, Any], now: datetime) -> bool:
    """True when a claim is older than LINE's memory of its retry key."""
    try:
        claimed = datetime.fromisoformat(str(record.get("claimed_at")).replace("Z", "+00:00"))
    except ValueError:
        return True
    return (now - claimed).total_seconds() > RETRY_KEY_SECONDS


def _short(audience: Audience) -> bool:
    """True when the month's messages would run out (none left, or fewer than friends)."""
    remaining, recipients = audience.remaining, audience.recipients
    if remaining is None:
        return False
    return remaining == 0 or (recipients is not None and recipients > remaining)


def _sent_fields(record: dict[str, Any]) -> dict[str, Any]:
    return {"recipients": record.get("recipients"), "sent_at": record.get("sent_at")}


def _why(error: BroadcastApiError) -> dict[str, Any]:
    return {"line_operation": error.operation, "line_status": error.status}
