"""Webhook events shaped and signed exactly as LINE sends them (HMAC-SHA256 of the raw body,
base64), for the local preview and the tests."""

from __future__ import annotations

import itertools
import json
import secrets
import time
from typing import Any

from madoguchi.front_door import line_signature

_CROCKFORD = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
_counter = itertools.count(1)


def sign(body: str, channel_secret: str) -> str:
    """The x-line-signature LINE would send for this exact body."""
    return line_signature(body, channel_secret)


def new_event_id() -> str:
    """A fresh ULID-shaped webhookEventId: 48-bit milliseconds, then 80 random bits."""
    value = (int(time.time() * 1000) << 80) | secrets.randbits(80)
    return "".join(_CROCKFORD[(value >> (5 * i)) & 31] for i in reversed(range(26)))


def new_user_id() -> str:
    """A LINE-shaped user id (U + 32 hex digits)."""
    return "U" + secrets.token_hex(16)


def base_event(
    kind: str,
    *,
    user_id: str,
    reply_token: str | None,
    webhook_event_id: str | None = None,
    redelivery: bool = False,
    timestamp: int | None = None,
) -> dict[str, Any]:
    """The fields every one-to-one chat event carries."""
    event: dict[str, Any] = {
        "type": kind,
        "mode": "active",
        "timestamp": timestamp if timestamp is not None else int(time.time() * 1000),
        "source": {"type": "user", "userId": user_id},
        "webhookEventId": webhook_event_id or new_event_id(),
        "deliveryContext": {"isRedelivery": redelivery},
    }
    if reply_token is not None:
        event["replyToken"] = reply_token
    return event


def text_event(text: str, *, user_id: str, reply_token: str, **kwargs: Any) -> dict[str, Any]:
    """A resident typed `text`."""
    event = base_event("message", user_id=user_id, reply_token=reply_token, **kwargs)
    message_id = str(500_000_000_000_000 + next(_counter))
    event["message"] = {
        "id": message_id,
        "type": "text",
        "text": text,
        "quoteToken": "q-" + new_event_id(),
    }
    return event


def postback_event(
    data: str,
    *,
    user_id: str,
    reply_token: str,
    params: dict[str, str] | None = None,
    **kwargs: Any,
) -> dict[str, Any]:
    """A resident tapped a button carrying `data`; `params` as LINE adds them (for a rich menu
    tab switch: newRichMenuAliasId and status)."""
    event = base_event("postback", user_id=user_id, reply_token=reply_token, **kwargs)
    event["postback"] = {"data": data}
    if params:
        event["postback"]["params"] = dict(params)
    return event


def sticker_event(*, user_id: str, reply_token: str, **kwargs: Any) -> dict[str, Any]:
    """A resident sent a sticker."""
    event = base_event("message", user_id=user_id, reply_token=reply_token, **kwargs)
    event["message"] = {
        "id": str(500_000_000_000_000 + next(_counter)),
        "type": "sticker",
        "packageId": "446",
        "stickerId": "1988",
        "stickerResourceType": "STATIC",
        "quoteToken": "q-" + new_event_id(),
    }
    return event


def image_event(*, user_id: str, reply_token: str, **kwargs: Any) -> dict[str, Any]:
    """A resident sent a photo."""
    event = base_event("message", user_id=user_id, reply_token=reply_token, **kwargs)
    event["message"] = {
        "id": str(500_000_000_000_000 + next(_counter)),
        "type": "image",
        "contentProvider": {"type": "line"},
        "quoteToken": "q-" + new_event_id(),
    }
    return event


def location_event(
    latitude: float, longitude: float, *, user_id: str, reply_token: str, **kwargs: Any
) -> dict[str, Any]:
    """A resident sent a location from LINE's picker."""
    event = base_event("message", user_id=user_id, reply_token=reply_token, **kwargs)
    event["message"] = {
        "id": str(500_000_000_000_000 + next(_counter)),
        "type": "location",
        "title": "位置情報",
        "address": "",
        "latitude": latitude,
        "longitude": longitude,
    }
    return event


def follow_event(*, user_id: str, reply_token: str, **kwargs: Any) -> dict[str, Any]:
    """A resident added the account as a friend."""
    event = base_event("follow", user_id=user_id, reply_token=reply_token, **kwargs)
    event["follow"] = {"isUnblocked": False}
    return event


def webhook_body(events: list[dict[str, Any]], destination: str) -> str:
    """The request body, compact as LINE sends it."""
    payload = {"destination": destination, "events": events}
    return json.dumps(payload, ensure_ascii=False, separators=(",", ":"))
