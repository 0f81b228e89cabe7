"""The LINE webhook: verify the signature, answer each event once, and never let one failure stop
the others."""

from __future__ import annotations

import logging
import time
import traceback
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Protocol

from linebot.v3 import WebhookParser
from linebot.v3.exceptions import InvalidSignatureError
from linebot.v3.messaging import Message

from madoguchi.adapters.event_claims import EventClaims
from madoguchi.adapters.line_api import SendResult
from madoguchi.adapters.secrets import LineCredentials
from madoguchi.conversation import Index, Responder, Turn
from madoguchi.conversation.turns import MenuSwitch
from madoguchi.model import BotSettings, MenuTab

logger = logging.getLogger(__name__)

# LINE redelivers for up to about a day; remembering events two days covers every redelivery.
EVENT_TTL_SECONDS = 2 * 24 * 3600


class Messenger(Protocol):
    """Sends replies to LINE (see madoguchi.adapters.line_api.LineMessenger)."""

    def reply(self, reply_token: str, messages: Sequence[Message]) -> SendResult: ...


class ResidentMenus(Protocol):
    """Changes residents' rich menus (see madoguchi.richmenu.live.LiveMenus); never raises."""

    def switch(self, user_id: str, switch: MenuSwitch) -> bool: ...

    def keep_default(self, menu: Sequence[MenuTab], settings: BotSettings) -> None: ...


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
    failures: int = 0  # events whose answer LINE did not accept or never acknowledged


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


def handle_webhook(body: str, signature: str | None, *, deps: WebhookDeps) -> WebhookOutcome:
    """Verify LINE's signature before anything else, then answer each new event once."""
    if not signature:
        logger.warning("webhook request without a signature")
        return WebhookOutcome(401, "missing signature")
    try:
        credentials = deps.credentials()
    except Exception:
        # A 500 makes LINE redeliver later; nothing was processed.
        logger.exception("LINE credentials could not be read")
        return WebhookOutcome(500, "credentials unavailable")
    try:
        events = WebhookParser(credentials.channel_secret).parse(body, signature)
    except InvalidSignatureError:
        logger.warning("webhook request with an invalid signature")
        return WebhookOutcome(401, "invalid signature")
    except (ValueError, KeyError, TypeError, AttributeError):
        logger.warning("signed webhook body is not a LINE webhook payload")
        return WebhookOutcome(400, "malformed body")
    if not events:
        return WebhookOutcome(200, "no events")  # the console's "Verify" button sends this
    index = deps.index.current()
    messenger = deps.messenger_for(credentials.access_token)
    menus = deps.menus_for(credentials.access_token) if deps.menus_for else None
    turns: list[Turn] = []
    duplicates = failures = 0
    for event in events:
        turn, failed = _handle_event(event, index, messenger, deps)
        if turn is not None:
            turns.append(turn)
            if turn.menu is not None and menus is not None:
                _switch_menu(event, turn.menu, menus)
        elif not failed:
            duplicates += 1
        failures += failed
    if menus is not None and index is not None:
        menus.keep_default(index.menu, index.settings)  # after the replies: an お知らせ's tab
    return WebhookOutcome(200, "ok", tuple(turns), duplicates, failures)


def _handle_event(
    event: Any, index: Index | None, messenger: Messenger, deps: WebhookDeps
) -> tuple[Turn | None, bool]:
    """The event's turn (None for a duplicate or an error) and whether answering it failed."""
    event_type = getattr(event, "type", None) or type(event).__name__
    event_id = getattr(event, "webhook_event_id", None)
    if event_id:
        try:
            if not deps.claims.claim_event(event_id, deps.event_ttl_seconds):
                logger.info("redelivered event skipped", extra={"event_type": event_type})
                return None, False
        except Exception as error:
            # Answering twice is kinder than not answering: go on without the claim.
            logger.error(
                "event de-duplication unavailable",
                extra={"event_type": event_type, **error_fields(error)},
            )
    try:
        turn = deps.responder.respond(event, index)
    except Exception as error:
        logger.error(
            "event could not be answered", extra={"event_type": event_type, **error_fields(error)}
        )
        return None, True
    result = None
    if turn.reply is not None:
        started = time.perf_counter()
        result = messenger.reply(turn.reply.reply_token, turn.reply.messages)
        logger.info(
            "event answered" if result.ok else "answer not delivered",
            extra={
                "event_type": event_type,
                "turn": turn.kind,
                "line_status": result.status,
                "send_ms": round((time.perf_counter() - started) * 1000, 1),
            },
        )
    return turn, result is not None and not result.ok


def _switch_menu(event: Any, switch: MenuSwitch, menus: ResidentMenus) -> None:
    """After the reply: the resident's rich menu follows the hand-over (failures are logged)."""
    user_id = getattr(getattr(event, "source", None), "user_id", None)
    if user_id:
        menus.switch(user_id, switch)


def error_fields(error: BaseException) -> dict[str, Any]:
    """An error's type and where it happened, without its message, which may quote a resident."""
    frames = traceback.extract_tb(error.__traceback__)[-3:]
    where = [f"{Path(f.filename).name}:{f.lineno} {f.name}" for f in frames]
    return {"error": type(error).__name__, "where": where}
