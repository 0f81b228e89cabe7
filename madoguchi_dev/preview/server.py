"""The whole bot on one machine: the real Lambda handlers, the loopback LINE API, local storage
and SQLite state, behind a chat page that looks and behaves like LINE.

The handlers are loaded as Lambda loads them; their dependencies are then built again through
madoguchi.wiring with the preview's own clock, exactly as the handlers build them."""

from __future__ import annotations

import errno
import json
import logging
import os
import re
import secrets
import shutil
import sys
import threading
import time
import urllib.request
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, replace
from datetime import datetime
from datetime import time as clock_time
from http.server import BaseHTTPRequestHandler
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, unquote, urlsplit

from madoguchi import wiring
from madoguchi.adapters.embed_cache import Progress, cache_key
from madoguchi.adapters.notifier import OutboxNotifier
from madoguchi.clock import JST, Clock, japan_today, system_clock, utc_now
from madoguchi.config import Config
from madoguchi.conversation.handover import settings_office_hours
from madoguchi.handover.office_hours import OfficeHours, OpeningRange
from madoguchi.model import BotSettings
from madoguchi.publish.rebuild import LATEST_REPORT as LATEST_REBUILD
from madoguchi.search.semantic import MODEL_ID
from madoguchi.searchlog import SEARCH, user_ref
from madoguchi_dev import lambda_runtime, line_events, sample_vectors
from madoguchi_dev.line_api import LineApiServer
from madoguchi_dev.loopback_http import LoopbackHTTPServer
from madoguchi_dev.preview.explain import explain_search
from madoguchi_dev.preview.guard import GuardedRequestHandler, RequestGuard

log = logging.getLogger(__name__)

STATIC_DIR = Path(__file__).resolve().parent / "static"
STATIC_TYPES = {".html": "text/html", ".css": "text/css", ".js": "text/javascript"}
LOCAL_BUCKET = "madoguchi-local"  # the name S3 events carry; storage is a local directory
MAX_UPLOAD_BYTES = 25 * 1024 * 1024  # above the validator's own limit, so it can explain
WATCH_SECONDS = 2.0
# The preview runs the indexer's notice check this often (every 5 minutes in AWS), so a notice
# whose start comes while it runs goes out then, as it would from the schedule.
NOTICE_CHECK_SECONDS = 60.0
# "Pretend it is office hours" for staff trying the hand-over on a weekend, or the other way.
OFFICE_MODES = ("auto", "open", "closed")
ALWAYS_OPEN = OfficeHours((OpeningRange(frozenset(range(7)), clock_time(0), clock_time.max),))
MAX_STAFF_TEXT = 5000  # LINE's limit for one text message
PROGRESS_PRINT_SECONDS = 3.0  # how often the console hears how far embedding is
PREPARING = "準備中です。最初の公開(ワークブックの確認と検索の準備)をしています…"


class PortInUseError(OSError):
    """Another program already listens on the preview's port."""


@dataclass(frozen=True)
class PreviewPaths:
    """Where the preview finds its code and keeps its data."""

    repo: Path  # the repository root (functions/ lives here)
    workbook: Path  # the workbook published at start and watched for saves
    data: Path  # local storage and SQLite files; safe to delete


class Preview:
    """Starts the loopback LINE API, publishes the workbook through the indexer handler, and
    answers the chat page through the webhook handler."""

    def __init__(self, paths: PreviewPaths, clock: Clock = system_clock) -> None:
        self.paths = paths
        self.clock = clock  # the handlers' "now" (office hours, hand-over expiry, the log's days)
        self.channel_secret = secrets.token_hex(16)  # fresh each run; never stored
        self.access_token = secrets.token_hex(24)
        self.user_id = line_events.new_user_id()
        self.residents = 1  # how many residents the page has spoken as (「別の住民として話す」)
        self.bot_id = line_events.new_user_id()
        self.office_mode = "auto"  # the page's office-hours switch
        self.line = LineApiServer(access_token=self.access_token)
        # The resident's LINE profile says Japanese: a question typed in another language is
        # still read as that language (madoguchi.language.detect).
        self.line.set_profile(self.user_id, "ja")
        # One webhook invocation at a time and one indexer invocation at a time, like Lambda's
        # concurrency of one each; the two run side by side, so a publish never holds up the chat.
        self._webhook_lock = threading.Lock()
        self._indexer_lock = threading.Lock()
        self._stop = threading.Event()
        # What the page shows while the indexer works: the first publish, an upload, its
        # embedding progress (None when idle); and why the first publish failed, if it did.
        self.activity: str | None = PREPARING
        self.start_error: str | None = None
        self._printed_progress = 0.0
        self._workbook_mtime: float | None = None
        self._saved_environment: dict[str, str | None] = {}
        # The handler modules as Lambda loads them; CONFIG, DEPS and lambda_handler are used.
        self.indexer: Any = None
        self.webhook: Any = None

    # --- lifecycle ---------------------------------------------------------------------------
    def start(self) -> dict[str, Any]:
        """Bring everything up; the workbook on disk is published before the webhook loads."""
        self.prepare()
        return self.publish_first()

    def start_in_background(self) -> threading.Thread:
        """prepare() now, the first publish in a thread: the page answers (「準備中」) meanwhile.
        The thread prints the outcome; `ready` tells whether the chat can answer yet."""
        self.prepare()
        return self.publish_first_in_background()

    def publish_first_in_background(self) -> threading.Thread:
        """The first publish (after prepare()) in a thread of its own."""
        thread = threading.Thread(target=self._first_publish_reported, daemon=True)
        thread.start()
        return thread

    @property
    def ready(self) -> bool:
        """Whether the webhook is loaded (after the first publish) and the chat can answer."""
        return self.webhook is not None

    def _first_publish_reported(self) -> None:
        """The first publish, told on the console; a failure is kept for the page to show."""
        started, cpu = time.perf_counter(), time.process_time()
        try:
            outcome = self.publish_first()
        except Exception as error:
            log.exception("the first publish failed")
            self.start_error = f"起動できませんでした({type(error).__name__}: {error})"
            self.activity = None
            print(self.start_error, flush=True)
            return
        if not outcome["published"]:
            print(outcome["text"], flush=True)
        seconds, cpu = time.perf_counter() - started, time.process_time() - cpu
        took = f"最初の公開 {seconds:.1f} 秒、CPU {cpu:.1f} 秒"
        print(f"準備ができました({took})。ページで質問できます。", flush=True)

    def prepare(self) -> None:
        """Everything before the first publish: the loopback LINE API, the data folder (with the
        sample's passage vectors), the environment and the indexer handler."""
        self.line.start()
        # The loopback LINE API starts empty every run, so published indexes and the record of
        # deployed rich menus start afresh too; the SQLite state (search log) is kept, and so is
        # the FAQ vector cache (embedding the sample takes a minute or two the first time).
        vectors = (self.storage_dir / cache_key(Config().index_prefix, MODEL_ID)).parent
        kept = self.paths.data / "vectors-cache"
        if vectors.is_dir():
            shutil.rmtree(kept, ignore_errors=True)
            vectors.rename(kept)
        shutil.rmtree(self.storage_dir, ignore_errors=True)
        if kept.is_dir():
            vectors.parent.mkdir(parents=True)
            kept.rename(vectors)
        # The sample's passage vectors come with the repository: its first publish embeds nothing.
        sample_vectors.seed_cache(self.storage_dir / cache_key(Config().index_prefix, MODEL_ID))
        self.paths.data.mkdir(parents=True, exist_ok=True)
        environment = self.environment()
        self._saved_environment = {name: os.environ.get(name) for name in environment}
        os.environ.update(environment)
        functions = self.paths.repo / "functions"
        self.indexer = lambda_runtime.load_handler_module(functions / "indexer", "indexer_app")
        self.indexer.DEPS = wiring.indexer_deps(self.indexer.CONFIG, clock=self.clock)
        if self.indexer.DEPS.embedder is not None:
            self.indexer.DEPS.embedder.progress = self._embedding_progress

    def publish_first(self) -> dict[str, Any]:
        """Publish the workbook on disk, then load the webhook on it and watch the file."""
        outcome = self.publish_from_disk()
        webhook: Any = lambda_runtime.load_handler_module(
            self.paths.repo / "functions" / "webhook", "webhook_app"
        )
        webhook.DEPS = wiring.webhook_deps(
            webhook.CONFIG, clock=self.clock, office_hours=self.office_hours
        )
        webhook.DEPS.index.current()  # loaded now, as the handler's own init does
        self.webhook = webhook  # only now does the page leave 「準備中」
        threading.Thread(target=self._watch_workbook, daemon=True).start()
        return outcome

    def _embedding_progress(self, progress: Progress) -> None:
        """Show how far embedding new passages is: on the page at once, on the console every
        few seconds."""
        text = sample_vectors.progress_text(progress)
        self.activity = text
        now = time.monotonic()
        if (
            now - self._printed_progress >= PROGRESS_PRINT_SECONDS
            or progress.done == progress.total
        ):
            self._printed_progress = now
            print("  " + text, flush=True)

    def stop(self) -> None:
        """Stop watching, stop the loopback LINE API and give the environment back."""
        self._stop.set()
        self.line.stop()
        # The handlers read the environment at init only; whoever runs the preview in-process
        # (the tests) gets its own variables back.
        for name, value in self._saved_environment.items():
            if value is None:
                os.environ.pop(name, None)
            else:
                os.environ[name] = value
        self._saved_environment = {}

    def environment(self) -> dict[str, str]:
        """What the handlers read at init: local storage, SQLite, the loopback LINE API."""
        return {
            "MADOGUCHI_LOCAL_DIR": str(self.storage_dir),
            "MADOGUCHI_STATE_PATH": str(self.paths.data / "state.sqlite3"),
            "MADOGUCHI_LINE_API_BASE": self.line.url,
            "MADOGUCHI_LOCAL_CHANNEL_SECRET": self.channel_secret,
            "MADOGUCHI_LOCAL_ACCESS_TOKEN": self.access_token,
            "POWERTOOLS_SERVICE_NAME": "madoguchi-local",
            "POWERTOOLS_METRICS_NAMESPACE": "MadoguchiLocal",
            "POWERTOOLS_METRICS_DISABLED": "true",  # no EMF lines in the terminal
            "POWERTOOLS_LOG_LEVEL": os.environ.get("POWERTOOLS_LOG_LEVEL", "WARNING"),
        }

    # --- the indexer path ----------------------------------------------------------------------
    def publish_from_disk(self) -> dict[str, Any]:
        """Publish the workbook file as if staff had saved it into the bucket."""
        self._workbook_mtime = self.paths.workbook.stat().st_mtime
        return self.publish(self.paths.workbook.read_bytes(), self.paths.workbook.name)

    def publish(self, data: bytes, filename: str) -> dict[str, Any]:
        """Put the workbook into the upload prefix and run the indexer handler on its S3 event."""
        assert self.indexer is not None
        name = Path(filename).name or "faq.xlsx"
        if not name.lower().endswith(".xlsx"):
            name += ".xlsx"  # the validator then explains what the file really is
        deps = self.indexer.DEPS
        key = deps.config.upload_prefix + name
        with self._indexer_lock, self._busy(f"{name} を確認して公開しています…"):
            storage = deps.storage
            storage.put(key, data)
            info = storage.head(key)
            # The bucket keeps versions, so every save is a new upload even when its bytes
            # equal an earlier one (putting back last week's workbook publishes it again).
            version = uuid.uuid4().hex
            event = lambda_runtime.s3_put_event(
                LOCAL_BUCKET, key, len(data), info.etag, version_id=version
            )
            result = self.indexer.lambda_handler(event, lambda_runtime.LocalContext("indexer"))
            outcome = result["processed"][0]
            report = json.loads(storage.get(outcome["report"]) or b"{}")
            text_key = report.get("text_key")
            text = (storage.get(text_key) or b"").decode("utf-8-sig") if text_key else ""
        if self.webhook is not None:
            self.webhook.DEPS.index.expire()  # residents get the new answers on the next message
        return {
            "published": outcome["status"] == "published",
            "status": outcome["status"],
            "report": report,
            "text": text,
        }

    @contextmanager
    def _busy(self, text: str) -> Iterator[None]:
        """What the page says the indexer is doing, for as long as it does it."""
        self.activity = text
        try:
            yield
        finally:
            self.activity = None

    def rebuild(self) -> dict[str, Any]:
        """Run the nightly rebuild now: the indexer handler on the schedule's own event."""
        assert self.indexer is not None
        deps = self.indexer.DEPS
        with self._indexer_lock, self._busy("学び直しています…"):
            result = self.indexer.lambda_handler(
                dict(self.indexer.NIGHTLY_REBUILD), lambda_runtime.LocalContext("indexer")
            )
            key = deps.config.report_prefix + LATEST_REBUILD
            outcome = json.loads(deps.storage.get(key) or b"{}")
        if self.webhook is not None:
            self.webhook.DEPS.index.expire()
        return {"status": result.get("rebuild"), "outcome": outcome}

    def scheduled_report(self, period: str) -> dict[str, Any]:
        """Make last month's or last week's search report now, exactly as the indexer's schedule
        does: saved in the local bucket under reports/search/, its summary in staff mail."""
        from madoguchi.staff_report.delivery import ReportKind

        kind = ReportKind(period)  # ValueError for anything else
        assert self.indexer is not None
        event = {"madoguchi": self.indexer.SEARCH_REPORT, "period": kind.value}
        with self._indexer_lock, self._busy("検索レポートを作っています…"):
            result = self.indexer.lambda_handler(event, lambda_runtime.LocalContext("indexer"))
        return {**result, "download": f"/api/search-report?name={result.get('report', '')}"}

    def saved_report(self, name: str) -> bytes | None:
        """A scheduled report saved under reports/search/ (None for any other name)."""
        if not re.fullmatch(r"search/(weekly/)?[0-9]{4}-W?[0-9]{2}\.xlsx", name):
            return None
        assert self.indexer is not None
        deps = self.indexer.DEPS
        return deps.storage.get(deps.config.report_prefix + name)

    def new_resident(self) -> int:
        """Speak as another resident from now on (a new LINE user id); returns how many so far."""
        self.user_id = line_events.new_user_id()
        self.line.set_profile(self.user_id, "ja")
        self.residents += 1
        return self.residents

    def notice_check(self) -> dict[str, Any]:
        """The indexer's scheduled notice check, run now as the schedule runs it: a notice whose
        start has come is sent (the broadcasts panel) and staff are told (the outbox)."""
        assert self.indexer is not None
        with self._indexer_lock:
            return self.indexer.lambda_handler(
                dict(self.indexer.NOTICE_CHECK), lambda_runtime.LocalContext("indexer")
            )

    def _watch_workbook(self) -> None:
        """Republish when staff save the workbook on disk; run the notice check now and then."""
        checked = time.monotonic()
        while not self._stop.is_set():
            # A plain sleep, not Event.wait(timeout): a timed wait never returns when the clock
            # is faked with libfaketime, which `make test-clocks` uses.
            time.sleep(WATCH_SECONDS)
            if self._stop.is_set():
                return
            if time.monotonic() - checked >= NOTICE_CHECK_SECONDS:
                checked = time.monotonic()
                try:
                    self.notice_check()
                except Exception:
                    log.exception("the notice check failed")
            try:
                mtime = self.paths.workbook.stat().st_mtime
                if mtime == self._workbook_mtime:
                    continue
                outcome = self.publish_from_disk()
            except OSError as error:
                # Excel may hold the file while saving; the next look tries again.
                print(f"{self.paths.workbook.name} を読めませんでした(次の確認で再試行): {error}")
                continue
            except Exception:
                log.exception("publishing the saved workbook failed")
                continue
            if outcome["published"]:
                print(f"{self.paths.workbook.name} が保存されました: 公開しました", flush=True)
            else:
                print(
                    f"{self.paths.workbook.name} が保存されました: 公開できませんでした\n"
                    + outcome["text"],
                    flush=True,
                )

    # --- what staff can try here and not on a weekend in LINE ----------------------------------
    def office_hours(self, settings: BotSettings) -> OfficeHours:
        """The office hours the webhook uses: 設定's, or always open, or closed today."""
        return forced_office_hours(self.office_mode, settings_office_hours(settings), self.clock)

    def set_office_mode(self, mode: str) -> None:
        """ "auto" (設定's office hours), "open" or "closed"."""
        if mode not in OFFICE_MODES:
            raise ValueError(f"unknown office-hours mode {mode!r}")
        self.office_mode = mode

    def staff_reply(self, text: str) -> dict[str, Any]:
        """Send `text` to the resident as staff would from LINE Official Account Manager: a push
        through the (loopback) LINE API, outside the webhook."""
        text = text.strip()
        if not text or len(text) > MAX_STAFF_TEXT:
            raise ValueError(f"返信は1文字から{MAX_STAFF_TEXT:,}文字までです")
        body = {"to": self.user_id, "messages": [{"type": "text", "text": text}]}
        request = urllib.request.Request(
            self.line.url + "/v2/bot/message/push",
            data=json.dumps(body, ensure_ascii=False).encode(),
            headers={
                "Authorization": f"Bearer {self.access_token}",
                "Content-Type": "application/json",
                "X-Line-Retry-Key": str(uuid.uuid4()),
            },
            method="POST",
        )
        with urllib.request.urlopen(request, timeout=5) as response:
            response.read()
        return {"messages": body["messages"]}

    def reset(self) -> None:
        """Start again as a new resident: no hand-over, no linked menu, no last search."""
        self.user_id = line_events.new_user_id()
        self.line.set_profile(self.user_id, "ja")

    # --- the webhook path ----------------------------------------------------------------------
    def send(
        self, kind: str, value: str = "", params: dict[str, str] | None = None
    ) -> dict[str, Any]:
        """Deliver one resident action as a signed webhook request; return what the bot sent.

        `params` go with a postback as LINE sends them (a tab switch says which tab it opened).
        """
        assert self.webhook is not None
        token = self.line.issue_reply_token()
        if kind == "message":
            event = line_events.text_event(value, user_id=self.user_id, reply_token=token)
        elif kind == "postback":
            event = line_events.postback_event(
                value, user_id=self.user_id, reply_token=token, params=params
            )
        elif kind == "follow":
            event = line_events.follow_event(user_id=self.user_id, reply_token=token)
        elif kind == "sticker":
            event = line_events.sticker_event(user_id=self.user_id, reply_token=token)
        elif kind == "image":
            event = line_events.image_event(user_id=self.user_id, reply_token=token)
        elif kind == "location":
            latitude, longitude = self.location_of(value)
            event = line_events.location_event(
                latitude, longitude, user_id=self.user_id, reply_token=token
            )
        else:
            raise ValueError(f"unknown event kind {kind!r}")
        body = line_events.webhook_body([event], self.bot_id)
        headers = {
            "content-type": "application/json; charset=utf-8",
            "x-line-signature": line_events.sign(body, self.channel_secret),
            "user-agent": "LineBotWebhook/2.0",
        }
        request = lambda_runtime.http_api_event(body, headers)
        before = len(self.line.received)
        with self._webhook_lock:
            searched_before = self._searches()
            response = self.webhook.lambda_handler(request, lambda_runtime.LocalContext("webhook"))
            searched = self._searches() > searched_before
        replies = [
            r.body
            for r in self.line.received[before:]
            if r.path == "/v2/bot/message/reply" and r.status == 200
        ]
        messages = [m for body in replies if body["replyToken"] == token for m in body["messages"]]
        return {
            "status": response["statusCode"],
            "messages": messages,
            # Words written to staff, small talk and "もどる" are not searched: no scores then.
            "search": self.explain(value) if kind == "message" and searched else None,
            "linked_menu": self.linked_menu(),
        }

    def linked_menu(self) -> str | None:
        """The rich menu LINE shows this resident instead of the default (職員対応中), if any."""
        return self.line.rich_menus.linked.get(self.user_id)

    def _searches(self) -> int:
        """How many searches this resident made today, from the log the webhook writes."""
        responder = self.webhook.DEPS.responder
        if responder.search_log is None or responder.salt is None:
            return 0
        me = user_ref(self.user_id, responder.salt())
        today = japan_today(self.clock)
        records = responder.search_log.records(today, today)
        return sum(1 for r in records if r.kind == SEARCH and r.user_ref == me)

    def explain(self, query: str) -> dict[str, Any] | None:
        """The scores behind an answer, for staff tuning the workbook: the chat's own decision
        and why (madoguchi_dev.preview.explain)."""
        index = self.webhook.DEPS.index.current() if self.webhook else None
        if index is None:
            return None
        return explain_search(index, query)

    # --- what the page shows -------------------------------------------------------------------
    def state(self) -> dict[str, Any]:
        """Account name, index summary and the rich menus LINE holds right now; while the first
        publish runs, only that the preview is getting ready and how far."""
        if not self.ready:
            return self.preparing_state()
        index = self.webhook.DEPS.index.current() if self.webhook else None
        menus = self.line.rich_menus
        if index is None:
            name, summary = "窓口", "公開中のFAQはありません。"
        else:
            name = index.settings.city_name
            summary = (
                f"公開中のFAQ {len(index.faqs)}件"
                f"(カテゴリ {len(index.categories())}、テスト {len(index.tests)}問)"
                + _built_at_ja(index.meta.get("built_at"))
                + f" / 住民の言葉から学んだ言い換え {len(index.learned)}件"
            )
        settings = index.settings if index is not None else BotSettings()
        open_now = self.office_hours(settings).is_open(utc_now(self.clock))
        return {
            "account_name": name,
            "index_summary": summary,
            "office": {
                "mode": self.office_mode,
                "hours": settings.office_hours,
                "open_now": open_now,
            },
            "richmenu": {
                "menus": {mid: menu.body for mid, menu in menus.menus.items() if menu.image},
                "aliases": dict(menus.aliases),
                "default": menus.default,
                "linked": self.linked_menu(),
            },
            "outbox": self.outbox.messages(),
            "resident": self.residents,
            "ready": True,
            "activity": self.activity,
        }

    def preparing_state(self) -> dict[str, Any]:
        """What the page shows before the chat can answer: 「準備中」 and what is being done."""
        return {
            "ready": False,
            "account_name": "窓口",
            "activity": self.activity or PREPARING,
            "error": self.start_error,
        }

    @property
    def outbox(self) -> OutboxNotifier:
        """What staff would receive by mail (upload reports, hand-over requests)."""
        # Wired from the preview's configuration: local storage means the outbox.
        assert self.indexer is not None and isinstance(self.indexer.DEPS.notifier, OutboxNotifier)
        return self.indexer.DEPS.notifier

    @property
    def storage_dir(self) -> Path:
        """The local stand-in for the bucket (uploads, indexes, reports, outbox)."""
        return self.paths.data / "storage"

    def rich_menu_image(self, menu_id: str) -> bytes | None:
        """The image uploaded for a rich menu."""
        menu = self.line.rich_menus.menus.get(menu_id)
        return menu.image if menu else None

    def report_workbook(self) -> bytes:
        """The staff search report for the same period scripts/report.py uses by default (the
        last 30 Japan days, today included), as an .xlsx file."""
        from madoguchi.staff_report import build_report
        from madoguchi.staff_report.period import last_days

        assert self.webhook is not None
        since, until = last_days(japan_today(self.clock))
        log_store = self.webhook.DEPS.responder.search_log  # the SQLite log the webhook writes
        records = list(log_store.records(since, until)) if log_store is not None else []
        index = self.webhook.DEPS.index.current()
        return build_report(records, index, since, until, generated_at=utc_now(self.clock))

    def location_of(self, text: str) -> tuple[float, float]:
        """The point a resident sends from the picker: 「35.61,138.52」, or else the middle of
        the published shelters (or Tokyo Station when there are none)."""
        parts = text.replace("、", ",").split(",")
        if len(parts) == 2:
            try:
                return float(parts[0]), float(parts[1])
            except ValueError:
                pass  # not two numbers: the default point
        index = self.webhook.DEPS.index.current() if self.webhook else None
        shelters = index.shelters.shelters if index is not None else ()
        if not shelters:
            return 35.6812, 139.7671
        return (
            sum(s.latitude for s in shelters) / len(shelters),
            sum(s.longitude for s in shelters) / len(shelters),
        )

    # --- the notice's broadcast ----------------------------------------------------------------
    def broadcasts(self) -> list[dict[str, Any]]:
        """What LINE (the loopback API) sent to every friend, newest first."""
        return [
            {"messages": sent.messages, "recipients": sent.recipients}
            for sent in reversed(self.line.broadcasts.sent)
        ]

    def notice_dry_run(self) -> dict[str, Any]:
        """「お知らせを配信」 tried without sending: what saving the live workbook now would do
        with its notice (quota and friends read from the loopback LINE API), and the message."""
        from madoguchi.publish.broadcast import NoticeBroadcast
        from madoguchi.publish.upload_report import notice_lines

        assert self.webhook is not None and self.indexer is not None
        deps = self.indexer.DEPS
        # Beside the chat, like a publish: the dry run reads the live index and the bucket.
        with self._indexer_lock:
            index = self.webhook.DEPS.index.current()
            if index is None:
                return {"text": "公開中のワークブックがありません。", "messages": []}
            announce = NoticeBroadcast(
                deps.storage, deps.config.index_prefix, deps.broadcast_api, self.clock
            )
            outcome = announce.dry_run(index)
        return {**outcome, "text": "\n".join(notice_lines(outcome))}


def forced_office_hours(mode: str, hours: OfficeHours, clock: Clock) -> OfficeHours:
    """設定's office hours ("auto"), always open ("open"), or closed now ("closed").

    Closed now changes nothing while 設定 says the office is closed anyway, so the next opening
    is the one 設定 gives (before 8:30 on a weekday: today's); during opening hours the rest of
    today is closed, and the next opening is the next real one after today.
    """
    if mode == "open":
        return ALWAYS_OPEN
    if mode == "closed" and hours.is_open(utc_now(clock)):
        return replace(hours, closed_days=hours.closed_days | {japan_today(clock)})
    return hours


def _built_at_ja(built_at: Any) -> str:
    """' / 作成 2026年4月1日 9:05' in Japan time, or '' when the index does not say."""
    try:
        moment = datetime.fromisoformat(str(built_at).replace("Z", "+00:00"))
    except ValueError:
        return ""
    if moment.tzinfo is None:
        return ""
    local = moment.astimezone(JST)
    return f" / 作成 {local.year}年{local.month}月{local.day}日 {local.hour}:{local.minute:02d}"


def handler_for(
    preview: Preview, guard: RequestGuard | None = None
) -> type[BaseHTTPRequestHandler]:
    """The HTTP handler serving the page and its small JSON API, behind `guard`."""
    checks = guard or RequestGuard()

    class Handler(GuardedRequestHandler):
        server_version = "MadoguchiPreview"
        guard = checks

        def do_GET(self) -> None:
            answer_safely(self, self._get)

        def do_POST(self) -> None:
            answer_safely(self, self._post)

        def _get(self) -> None:
            path = self.path.split("?", 1)[0]
            if path == "/favicon.ico":
                self._send(204, b"", "image/x-icon")
            elif path in ("/", "/index.html"):
                self._file(STATIC_DIR / "index.html")
            elif path.startswith("/static/"):
                self._file(STATIC_DIR / Path(path).name)
            elif path == "/api/state":
                self._json(200, preview.state())
            elif path.startswith("/api/richmenu/") and path.endswith("/image"):
                image = preview.rich_menu_image(unquote(path.split("/")[3]))
                if image is None:
                    self._json(404, {"error": "画像がありません"})
                else:
                    self._send(200, image, "image/png")
            elif path == "/api/broadcasts":
                self._json(200, {"broadcasts": preview.broadcasts()})
            elif path == "/api/search-report":
                name = parse_qs(urlsplit(self.path).query).get("name", [""])[0]
                saved = preview.saved_report(name)
                if saved is None:
                    self._json(404, {"error": "レポートが見つかりません"})
                    return
                filename = name.replace("/", "-")
                self._send(
                    200,
                    saved,
                    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                    {"Content-Disposition": f'attachment; filename="madoguchi-{filename}"'},
                )
            elif path == "/api/report.xlsx":
                if not preview.ready:
                    self._json(503, not_ready(preview))
                    return
                data = preview.report_workbook()
                self._send(
                    200,
                    data,
                    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                    {"Content-Disposition": 'attachment; filename="madoguchi-report.xlsx"'},
                )
            else:
                self._json(404, {"error": "ページが見つかりません"})

        def _post(self) -> None:
            length = int(self.headers.get("Content-Length") or 0)
            if length > MAX_UPLOAD_BYTES:
                self._json(413, {"error": "ファイルが大きすぎます(25MBまで)"})
                return
            raw = self.rfile.read(length)
            if self.path in NEEDS_WEBHOOK and not preview.ready:
                self._json(503, not_ready(preview))
            elif self.path == "/api/events":
                try:
                    request = json.loads(raw or b"{}")
                    kind = request.get("kind", "")
                    value = request.get("text") or request.get("data") or ""
                    params = request.get("params")
                    if params is not None and not isinstance(params, dict):
                        raise ValueError("params must be an object")
                    self._json(200, preview.send(kind, value, params))
                except (ValueError, AttributeError) as error:
                    self._json(400, {"error": f"送信できませんでした: {error}"})
            elif self.path in ("/api/office-hours", "/api/staff-reply", "/api/reset"):
                self._control(raw)
            elif self.path == "/api/notice-dry-run":
                self._json(200, preview.notice_dry_run())
            elif self.path == "/api/notice-check":
                self._json(200, preview.notice_check())
            elif self.path == "/api/resident":
                self._json(200, {"resident": preview.new_resident()})
            elif self.path == "/api/scheduled-report":
                try:
                    period = str(json.loads(raw or b"{}").get("period", ""))
                    self._json(200, preview.scheduled_report(period))
                except ValueError:
                    self._json(400, {"error": "期間は monthly か weekly です"})
            elif self.path == "/api/rebuild":
                try:
                    self._json(200, preview.rebuild())
                except Exception as error:
                    log.exception("the rebuild failed")
                    self._json(500, {"error": f"学び直せませんでした: {type(error).__name__}"})
            elif self.path == "/api/workbook":
                filename = unquote(self.headers.get("X-Filename") or "faq.xlsx")
                try:
                    outcome = preview.publish(raw, filename)
                except Exception as error:
                    # The indexer keeps the last good index whatever happens; say so plainly.
                    log.exception("publishing the uploaded workbook failed")
                    self._json(500, {"error": f"確認の途中で止まりました: {type(error).__name__}"})
                    return
                self._json(
                    200,
                    {
                        "published": outcome["published"],
                        "status": outcome["status"],
                        "report_text": outcome["text"],
                        "report": outcome["report"],
                    },
                )
            else:
                self._json(404, {"error": "ページが見つかりません"})

        def _control(self, raw: bytes) -> None:
            """The page's office-hours switch, staff reply box and reset button."""
            try:
                request = json.loads(raw or b"{}")
                if not isinstance(request, dict):
                    raise ValueError("a JSON object is needed")
                if self.path == "/api/office-hours":
                    preview.set_office_mode(str(request.get("mode", "")))
                    self._json(200, preview.state()["office"])
                elif self.path == "/api/staff-reply":
                    self._json(200, preview.staff_reply(str(request.get("text", ""))))
                else:
                    preview.reset()
                    self._json(200, {"reset": True})
            except ValueError as error:
                self._json(400, {"error": f"できませんでした: {error}"})

        def _file(self, path: Path) -> None:
            if not path.is_file():
                self._json(404, {"error": "ファイルが見つかりません"})
                return
            kind = STATIC_TYPES.get(path.suffix, "application/octet-stream")
            self._send(200, path.read_bytes(), f"{kind}; charset=utf-8")

        def _json(self, status: int, data: Any) -> None:
            body = json.dumps(data, ensure_ascii=False).encode()
            self._send(status, body, "application/json; charset=utf-8")

        def _send(
            self, status: int, body: bytes, kind: str, headers: dict[str, str] | None = None
        ) -> None:
            self.send_response(status)
            self.send_header("Content-Type", kind)
            self.send_header("Content-Length", str(len(body)))
            self.send_header("Cache-Control", "no-store")
            for name, value in (headers or {}).items():
                self.send_header(name, value)
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, format: str, *args: Any) -> None:
            # Request lines would carry nothing useful and clutter the terminal.
            return

    return Handler


# What cannot be answered before the first publish has loaded the webhook.
NEEDS_WEBHOOK = ("/api/events", "/api/staff-reply", "/api/reset", "/api/resident")


def not_ready(preview: Preview) -> dict[str, Any]:
    """The answer to a chat request before the chat can answer."""
    return {"error": preview.start_error or PREPARING, "preparing": True}


def answer_safely(handler: BaseHTTPRequestHandler, answer: Callable[[], None]) -> None:
    """Run one request's answer: a browser that went away is let go quietly, anything else is
    one line on the console and a short JSON error, never a traceback on the page."""
    try:
        answer()
    except ConnectionError:
        return  # the page was reloaded or closed while we answered: nobody to tell
    except Exception as error:
        log.debug("preview request failed", exc_info=True)
        print(
            f"プレビューのサーバーで問題が起きました({type(error).__name__}: {error})", flush=True
        )
        try:
            body = json.dumps(
                {"error": f"処理できませんでした({type(error).__name__})"}, ensure_ascii=False
            ).encode()
            handler.send_response(500)
            handler.send_header("Content-Type", "application/json; charset=utf-8")
            handler.send_header("Content-Length", str(len(body)))
            handler.end_headers()
            handler.wfile.write(body)
        except OSError:
            return  # the headers may have gone already, or the browser has


class PreviewHTTPServer(LoopbackHTTPServer):
    """The page's server: a connection the browser dropped is no error worth a traceback."""

    def handle_error(self, request: Any, client_address: Any) -> None:
        error = sys.exc_info()[1]
        if isinstance(error, ConnectionError):
            return
        print(
            f"プレビューのサーバーで問題が起きました({type(error).__name__}: {error})", flush=True
        )


def serve(
    preview: Preview, host: str, port: int, guard: RequestGuard | None = None
) -> LoopbackHTTPServer:
    """Bind the page's HTTP server; a busy port raises PortInUseError. Without `guard`, the
    one for `host` (a token is then required beyond loopback)."""
    handler = handler_for(preview, guard or RequestGuard.for_host(host))
    try:
        server = PreviewHTTPServer((host, port), handler)
    except OSError as error:
        if error.errno == errno.EADDRINUSE:
            raise PortInUseError(error.errno, f"port {port} is already in use") from error
        raise
    return server
