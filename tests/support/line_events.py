"""Build LINE webhook bodies and sign them exactly as LINE does (HMAC-SHA256 of the raw body,
base64), so tests go through real signature verification.

    body, signature = signed_body(text_event("粗大ごみの出し方"))

`python -m tests.support.line_events` rewrites the API Gateway fixtures in tests/events/.
"""

from __future__ import annotations

import hashlib
import itertools
import json
from pathlib import Path
from typing import Any

from madoguchi_dev import lambda_runtime
from madoguchi_dev import line_events as line

TEST_CHANNEL_SECRET = "madoguchi-test-channel-secret-00"
TEST_ACCESS_TOKEN = "madoguchi-test-access-token"
TEST_USER_ID = "U0123456789abcdef0123456789abcdef"
BOT_USER_ID = "Ufedcba9876543210fedcba9876543210"
TEST_TIMESTAMP = 1_767_225_600_000  # fixed, so fixture files stay the same
EVENTS_DIR = Path(__file__).resolve().parent.parent / "events"

_CROCKFORD = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
_counter = itertools.count(1)


def event_id(n: int | None = None) -> str:
    """A ULID-shaped webhookEventId, unique within the test run."""
    n = next(_counter) if n is None else n
    digits = []
    for _ in range(26):
        n, rest = divmod(n, 32)
        digits.append(_CROCKFORD[rest])
    return "01J" + "".join(reversed(digits))[3:]


def sign(body: str, secret: str = TEST_CHANNEL_SECRET) -> str:
    """The x-line-signature LINE would send for this exact body."""
    return line.sign(body, secret)


def _base(
    kind: str,
    *,
    reply_token: str | None,
    user_id: str = TEST_USER_ID,
    webhook_event_id: str | None = None,
    redelivery: bool = False,
    timestamp: int = TEST_TIMESTAMP,
    source: dict | None = None,
) -> dict[str, Any]:
    """The core's common event fields, with the tests' fixed time and counted event ids."""
    event = line.base_event(
        kind,
        user_id=user_id,
        reply_token=reply_token,
        webhook_event_id=webhook_event_id or event_id(),
        redelivery=redelivery,
        timestamp=timestamp,
    )
    if source:
        event["source"] = source  # a group or a room instead of one resident
    return event


def message_event(
    message: dict[str, Any], *, reply_token: str | None = "reply-token", **kwargs: Any
) -> dict[str, Any]:
    """A `message` event carrying `message`; kwargs: user_id, webhook_event_id, redelivery,
    timestamp, source."""
    event = _base("message", reply_token=reply_token, **kwargs)
    event["message"] = {"id": str(next(_counter) + 500_000_000_000_000), **message}
    return event


def text_event(text: str, **kwargs: Any) -> dict[str, Any]:
    """A resident typed `text`."""
    return message_event({"type": "text", "text": text, "quoteToken": "q-" + event_id()}, **kwargs)


def sticker_event(**kwargs: Any) -> dict[str, Any]:
    """A resident sent a sticker."""
    sticker = {
        "type": "sticker",
        "packageId": "446",
        "stickerId": "1988",
        "stickerResourceType": "STATIC",
        "quoteToken": "q-" + event_id(),
    }
    return message_event(sticker, **kwargs)


def image_event(**kwargs: Any) -> dict[str, Any]:
    """A resident sent a photo."""
    image = {"type": "image", "contentProvider": {"type": "line"}, "quoteToken": "q-" + event_id()}
    return message_event(image, **kwargs)


def location_event(
    latitude: float = 35.0, longitude: float = 139.0, **kwargs: Any
) -> dict[str, Any]:
    """A resident shared a location."""
    location = {
        "type": "location",
        "title": "市役所",
        "address": "星見ヶ丘市1-1",
        "latitude": latitude,
        "longitude": longitude,
    }
    return message_event(location, **kwargs)


def follow_event(*, reply_token: str | None = "reply-token", **kwargs: Any) -> dict[str, Any]:
    """A resident added the account as a friend."""
    event = _base("follow", reply_token=reply_token, **kwargs)
    event["follow"] = {"isUnblocked": False}
    return event


def unfollow_event(**kwargs: Any) -> dict[str, Any]:
    """A resident blocked the account (no reply token)."""
    return _base(
        "unfollow",
        reply_token=None,
        user_id=kwargs.get("user_id", TEST_USER_ID),
        webhook_event_id=kwargs.get("webhook_event_id"),
    )


def postback_event(
    data: str, *, reply_token: str | None = "reply-token", **kwargs: Any
) -> dict[str, Any]:
    """A resident tapped a button carrying `data`."""
    event = _base("postback", reply_token=reply_token, **kwargs)
    event["postback"] = {"data": data}
    return event


def unknown_event(**kwargs: Any) -> dict[str, Any]:
    """An event type this SDK version does not know."""
    return _base(
        "futureFeature",
        reply_token=kwargs.get("reply_token"),
        webhook_event_id=kwargs.get("webhook_event_id"),
    )


def body_of(*events: dict[str, Any], destination: str = BOT_USER_ID) -> str:
    """The webhook body, compact as LINE sends it."""
    return line.webhook_body(list(events), destination)


def signed_body(*events: dict[str, Any], secret: str = TEST_CHANNEL_SECRET) -> tuple[str, str]:
    """(body, signature) for these events."""
    body = body_of(*events)
    return body, sign(body, secret)


def api_gateway_event(
    body: str,
    signature: str | None,
    *,
    base64_body: bool = False,
    header_name: str = "x-line-signature",
) -> dict[str, Any]:
    """An API Gateway HTTP API (payload v2) request carrying a webhook body, with the tests'
    fixed request id and time."""
    headers = {
        "content-type": "application/json; charset=utf-8",
        "user-agent": "LineBotWebhook/2.0",
        "host": "abc123.execute-api.ap-northeast-1.amazonaws.com",
    }
    if signature is not None:
        headers[header_name] = signature
    return lambda_runtime.http_api_event(
        body,
        headers,
        base64_body=base64_body,
        request_id="req-" + hashlib.sha256(body.encode()).hexdigest()[:16],
        time_epoch_ms=TEST_TIMESTAMP,
        source_ip="203.0.113.10",
        api_id="abc123",
        account_id="123456789012",
    )


# Fixtures: fixed ids and reply tokens so the files are stable; tests register the tokens.
FIXTURES: dict[str, Any] = {
    "line_text_answered": lambda: text_event(
        "粗大ごみの出し方を教えて",
        reply_token="fixture-reply-text-answered",
        webhook_event_id=event_id(1),
    ),
    "line_text_unanswered": lambda: text_event(
        "宇宙旅行の補助金はありますか",
        reply_token="fixture-reply-text-unanswered",
        webhook_event_id=event_id(2),
    ),
    "line_follow": lambda: follow_event(
        reply_token="fixture-reply-follow", webhook_event_id=event_id(3)
    ),
    "line_sticker": lambda: sticker_event(
        reply_token="fixture-reply-sticker", webhook_event_id=event_id(4)
    ),
    "line_postback_faq": lambda: postback_event(
        "a=faq&id=1", reply_token="fixture-reply-postback-faq", webhook_event_id=event_id(5)
    ),
}


def write_fixtures(directory: Path = EVENTS_DIR) -> list[Path]:
    """Write signed API Gateway events; the verify request has no events at all."""
    directory.mkdir(parents=True, exist_ok=True)
    written = []
    for name, make in FIXTURES.items():
        body, signature = signed_body(make())
        written.append(_write(directory / f"{name}.json", api_gateway_event(body, signature)))
    body, signature = signed_body()
    written.append(_write(directory / "line_verify.json", api_gateway_event(body, signature)))
    body, signature = signed_body(FIXTURES["line_text_answered"]())
    written.append(
        _write(
            directory / "line_text_base64.json",
            api_gateway_event(body, signature, base64_body=True, header_name="X-Line-Signature"),
        )
    )
    return written


def _write(path: Path, event: dict[str, Any]) -> Path:
    path.write_text(json.dumps(event, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    return path


def load_fixture(name: str, directory: Path = EVENTS_DIR) -> dict[str, Any]:
    """One API Gateway event from tests/events/."""
    return json.loads((directory / f"{name}.json").read_text(encoding="utf-8"))


def load_fixture_event(name: str, directory: Path = EVENTS_DIR) -> dict[str, Any]:
    """The first LINE event inside a fixture's body."""
    return json.loads(load_fixture(name, directory)["body"])["events"][0]


if __name__ == "__main__":
    for path in write_fixtures():
        print(path)
