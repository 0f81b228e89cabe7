"""The LINE webhook: verify the signature, answer each event once, never let one failure stop
the others, and be done within LINE's patience."""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import Any, Protocol

from linebot.v3.exceptions import InvalidSignatureError
from linebot.v3.messaging import Message
from linebot.v3.webhook import WebhookParser

from madoguchi.adapters.event_claims import EventClaims
from madoguchi.adapters.line_api import SendResult
from madoguchi.adapters.secrets import LineCredentials
from madoguchi.conversation import Index, Responder, Turn
from madoguchi.conversation.turns import MenuSwitch
from madoguchi.model import BotSettings, MenuTab
from madoguchi.request_time import RequestTime
from madoguchi.store_guard import StoreGuard, error_fields

logger = logging.getLogger(__name__)

# LINE redelivers for up to about a day; remembering events two days covers every redelivery.
EVENT_TTL_SECONDS = 2 * 24 * 3600
# LINE waits about 2 s for the webhook's answer. Everything after the signature check (index,
# claims, state, search, and the replies, sent in parallel) must be over by then, with room for
# Lambda and API Gateway.
REQUEST_DEADLINE_SECONDS = 1.5
# With less time than this left, a reply would most likely not make it: the event is skipped
# (and counted) instead of holding the whole request past LINE's patience.
MIN_REPLY_SECONDS = 0.2
MAX_PARALLEL_REPLIES = 8  # LINE sends a handful of events per request at most, usually one


class Messenger(Protocol):
    """Sends replies to LINE (see madoguchi.adapters.line_api.LineMessenger)."""

    def reply(
        self, reply_token: str, messages: Sequence[Message], *, timeout: float | None = None
    ) -> SendResult: ...


class ResidentMenus(Protocol):
    """Changes residents' rich menus (see madoguchi.richmenu.live.LiveMenus); never raises."""

    def switch(self, user_id: str, switch: MenuSwitch, language: str = "") -> bool: ...

    def link_language(
        self, user_id: str, language: str, menu: Sequence[MenuTab], settings: BotSettings
    ) -> bool: ...

    def keep_default(self, menu: Sequence[MenuTab], settings: BotSettings) -> None: ...

    def bound_by(self, request_time: RequestTime | None) -> None: ...


class IndexSource(Protocol):
    """Gives the search index to answer with, or None while nothing is published."""

    def current(self) -> Index | None: ...

    def expire(self) -> None: ...


@dataclass(frozen=True)
class WebhookOutcome:
    """What happened to one webhook request; `status` is the HTTP status for LINE."""

    status: int
    reason: str = "ok"
    turns: tuple[Turn, ...] = ()
    duplicates: int = 0  # events already handled (LINE redelivered them)
    # Events not answered: LINE did not accept or never acknowledged the reply, the event could
    # not be handled, or there was no time left to send it (those are also in `skipped`).
    failures: int = 0
    skipped: int = 0
    state_failures: int = 0  # calls to the conversation state or event claims that failed
    # Calls to the state table, the search log or LINE's menu API not made (so writes lost,
    # never retried) because they could not have ended before the deadline.
    calls_skipped: int = 0


@dataclass
class WebhookDeps:
    """Everything handle_webhook talks to; madoguchi.wiring builds it once per container."""

    credentials: Callable[[], LineCredentials]
    claims: EventClaims
    index: IndexSource
    messenger_for: Callable[[str], Messenger]  # access token -> messenger
    responder: Responder = field(default_factory=Responder)
    menus_for: Callable[[str], ResidentMenus] | None = None  # access token -> menus; None: none
    event_ttl_seconds: int = EVENT_TTL_SECONDS
    # The claims live in the conversation-state table: wiring gives both one guard.
    state_guard: StoreGuard = field(default_factory=lambda: StoreGuard("conversation state"))
    deadline_seconds: float = REQUEST_DEADLINE_SECONDS
    # The deadline as every store and LINE call of a request sees it (handle_webhook binds it).
    request_time: RequestTime = field(default_factory=RequestTime)
    stopwatch: Callable[[], float] = time.monotonic  # tests give their own


@dataclass(frozen=True)
class Deadline:
    """The moment a request must be done by, on a monotonic stopwatch."""

    at: float
    stopwatch: Callable[[], float]

    @classmethod
    def after(cls, seconds: float, stopwatch: Callable[[], float]) -> Deadline:
        return cls(stopwatch() + seconds, stopwatch)

    def remaining(self) -> float:
        """Seconds left (never negative)."""
        return max(0.0, self.at - self.stopwatch())


def prefetch_secrets(deps: WebhookDeps) -> None:
    """Read the LINE credentials and the log salt now (at init) rather than on the first
    resident's message; a failure is logged and the first request tries again."""
    for name, read in (("credentials", deps.credentials), ("log salt", deps.responder.salt)):
        if read is None:
            continue
        try:
            read()
        except Exception as error:
            logger.warning("could not be read at init", extra={"what": name, **_kind(error)})


def handle_webhook(body: str, signature: str | None, *, deps: WebhookDeps) -> WebhookOutcome:
    """Verify LINE's signature before anything else, then answer each new event once."""
    deadline = Deadline.after(deps.deadline_seconds, deps.stopwatch)
    if not signature:
        logger.warning("webhook request without a signature")
        return WebhookOutcome(401, "missing signature")
    try:
        credentials = deps.credentials()
    except Exception:
        # A 500 makes LINE redeliver later; nothing was processed.
        logger.exception("LINE credentials could not be read")
        return WebhookOutcome(500, "credentials unavailable")
    parser = WebhookParser(credentials.channel_secret)
    if not _signature_matches(parser, body, signature):
        logger.warning("webhook request with an invalid signature")
        return WebhookOutcome(401, "invalid signature")
    try:
        events = parser.parse(body, signature)
    except InvalidSignatureError:
        logger.warning("webhook request with an invalid signature")
        return WebhookOutcome(401, "invalid signature")
    except (ValueError, KeyError, TypeError, AttributeError, RecursionError) as error:
        # Signed with our secret, so LINE's (or our own test's) body, but not a webhook payload.
        logger.warning("signed webhook body is not a LINE webhook payload", extra=_kind(error))
        return WebhookOutcome(400, "malformed body")
    if not events:
        return WebhookOutcome(200, "no events")  # the console's "Verify" button sends this
    guards = _guards(deps)
    failures_before = sum(g.failures for g in guards)
    index = deps.index.current()
    messenger = deps.messenger_for(credentials.access_token)
    menus = deps.menus_for(credentials.access_token) if deps.menus_for else None
    turns: list[Turn] = []
    switches: list[tuple[Any, Turn]] = []
    duplicates = failures = 0
    # The search log and state writes of the turns, made once the replies are out.
    after_reply: list[Callable[[], object]] = []
    _bind(deps, menus)
    with deps.request_time.running(deadline.remaining):
        with _Replies(messenger, deadline, parallel=len(events) > 1) as replies:
            for event in events:
                event_type = getattr(event, "type", None) or type(event).__name__
                if deadline.remaining() < MIN_REPLY_SECONDS:
                    # Not claimed: should LINE deliver it again, it is answered then.
                    replies.skip(event_type)
                    continue
                # The messenger's LINE client also reads residents' profiles (their language).
                profile = getattr(messenger, "profile_language", None)
                turn, failed = _turn_for(event, event_type, index, deps, after_reply, profile)
                failures += failed
                if turn is None:
                    duplicates += not failed
                    continue
                turns.append(turn)
                if turn.reply is not None:
                    replies.send(turn, event_type)
                if turn.menu is not None and menus is not None:
                    switches.append((event, turn))
        # After the replies: the search log and state writes, then the menus; neither ever costs a
        # resident an answer.
        for write in after_reply:
            try:
                write()
            except Exception as error:  # the stores guard themselves; nothing may stop the others
                logger.error("write after the reply failed", extra=error_fields(error))
        if menus is not None:
            for event, switched in switches:
                _switch_menu(event, switched, menus, index, deps.responder)
            if index is not None:
                menus.keep_default(index.menu, index.settings)  # an お知らせ's tab
    return WebhookOutcome(
        200,
        "ok",
        tuple(turns),
        duplicates,
        failures + replies.failures,
        replies.skipped,
        sum(g.failures for g in guards) - failures_before,
        deps.request_time.turned_away,
    )


def _signature_matches(parser: WebhookParser, body: str, signature: str) -> bool:
    """True when the body is signed with our secret; a body or signature that is not even
    encodable as UTF-8 (a lone surrogate) cannot have been signed by LINE."""
    try:
        return bool(parser.signature_validator.validate(body, signature))
    except UnicodeEncodeError:
        return False


def _kind(error: BaseException) -> dict[str, Any]:
    return {"error": type(error).__name__}


def _bind(deps: WebhookDeps, menus: ResidentMenus | None) -> None:
    """Give every store and LINE call the request makes the request's deadline (the salt is
    left out: it is read at init and cached, and a late read would only answer statelessly)."""
    for guard in (deps.state_guard, deps.responder.state_guard):
        if guard is not None:
            guard.request_time = deps.request_time
    deps.responder.log.request_time = deps.request_time
    if menus is not None:
        menus.bound_by(deps.request_time)


def _guards(deps: WebhookDeps) -> list[StoreGuard]:
    """Each guard once: wiring gives the claims and the responder's state the same one."""
    found = [deps.state_guard, deps.responder.state_guard, deps.responder.salt_guard]
    return list({id(g): g for g in found if g is not None}.values())


def _turn_for(
    event: Any,
    event_type: str,
    index: Index | None,
    deps: WebhookDeps,
    after_reply: list[Callable[[], object]],
    profile_language: Callable[[str], str | None] | None = None,
) -> tuple[Turn | None, bool]:
    """The event's turn (None for a duplicate or an error) and whether handling it failed."""
    event_id = getattr(event, "webhook_event_id", None)
    if event_id:
        # Without the claims (failing, or no time left to ask them), answering twice is kinder
        # than not answering: go on unclaimed.
        claim = lambda: deps.claims.claim_event(event_id, deps.event_ttl_seconds)  # noqa: E731
        if not deps.state_guard.call("claim", claim, True):
            logger.info("redelivered event skipped", extra={"event_type": event_type})
            return None, False
    try:
        turn = deps.responder.respond(
            event, index, after_reply=after_reply, profile_language=profile_language
        )
        return turn, False
    except Exception as error:
        logger.error(
            "event could not be answered", extra={"event_type": event_type, **error_fields(error)}
        )
        return None, True


class _Replies:
    """Sends the replies of one request, in parallel when there are several, each within the
    time the deadline leaves; the results are collected when the block ends.

    No wait here has a timeout of its own (a timed wait hangs under libfaketime and says nothing
    about the socket): every send is bounded by its socket timeouts, which the deadline sets.
    """

    def __init__(self, messenger: Messenger, deadline: Deadline, *, parallel: bool) -> None:
        self._messenger = messenger
        self._deadline = deadline
        self._pool = ThreadPoolExecutor(MAX_PARALLEL_REPLIES) if parallel else None
        self._sent: list[tuple[str, Turn, Future[tuple[SendResult | None, float]]]] = []
        self.failures = self.skipped = 0

    def __enter__(self) -> _Replies:
        return self

    def __exit__(self, *exc: object) -> None:
        try:
            for event_type, turn, future in self._sent:
                result, send_ms = future.result()  # bounded by the send's own timeouts
                self._record(event_type, turn, result, send_ms)
        finally:
            if self._pool is not None:
                self._pool.shutdown(wait=True)

    def skip(self, event_type: str) -> None:
        """Count an event there is no time left to answer."""
        self.failures += 1
        self.skipped += 1
        logger.warning(
            "event skipped: no time left to answer it before LINE gives up",
            extra={"event_type": event_type},
        )

    def send(self, turn: Turn, event_type: str) -> None:
        """Send the turn's reply now (or as soon as a connection is free)."""
        future: Future[tuple[SendResult | None, float]]
        if self._pool is None:
            future = Future()
            future.set_result(self._send(turn))
        else:
            future = self._pool.submit(self._send, turn)
        self._sent.append((event_type, turn, future))

    def _send(self, turn: Turn) -> tuple[SendResult | None, float]:
        """The reply's result (None when it was not sent for lack of time) and its time in ms."""
        assert turn.reply is not None
        seconds = self._deadline.remaining()
        if seconds < MIN_REPLY_SECONDS:
            return None, 0.0
        started = time.perf_counter()
        try:
            result = self._messenger.reply(
                turn.reply.reply_token, turn.reply.messages, timeout=seconds
            )
        except Exception as error:
            # LineMessenger turns failures into results; anything else is still only a failure.
            logger.error("reply could not be sent", extra=error_fields(error))
            result = SendResult(False, None, type(error).__name__)
        return result, round((time.perf_counter() - started) * 1000, 1)

    def _record(
        self, event_type: str, turn: Turn, result: SendResult | None, send_ms: float
    ) -> None:
        if result is None:
            self.skip(event_type)
            return
        self.failures += not result.ok
        logger.info(
            "event answered" if result.ok else "answer not delivered",
            extra={
                "event_type": event_type,
                "turn": turn.kind,
                "line_status": result.status,
                "send_ms": send_ms,
            },
        )


def _switch_menu(
    event: Any, turn: Turn, menus: ResidentMenus, index: Index | None, responder: Responder
) -> None:
    """The resident's rich menu follows the hand-over and the language they write in (failures
    are logged, never raised); a language switch made is remembered, so it is made once."""
    user_id = getattr(getattr(event, "source", None), "user_id", None)
    if not user_id or turn.menu is None:
        return
    if turn.menu is MenuSwitch.LANGUAGE:
        if index is None or not turn.menu_language:
            return
        done = menus.link_language(user_id, turn.menu_language, index.menu, index.settings)
    else:
        # The 職員対応中 menu in the hand-over's language (turn.menu_language), when deployed.
        done = menus.switch(user_id, turn.menu, turn.menu_language or "")
    if done and turn.menu_language:
        responder.remember_menu(user_id, turn.menu_language)
