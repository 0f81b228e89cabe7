"""Drive the conversation with SDK event objects and read back what it would send."""

from __future__ import annotations

from typing import Any

from linebot.v3 import WebhookParser

from tests.support import line_events as ev


def parsed(event: dict[str, Any]) -> Any:
    """The SDK event object for one event dict, through real signature verification."""
    body, signature = ev.signed_body(event)
    (event_object,) = WebhookParser(ev.TEST_CHANNEL_SECRET).parse(body, signature)
    return event_object


def reply_json(turn: Any) -> list[dict]:
    """The messages of a turn's reply, as the JSON LINE would receive."""
    assert turn.reply is not None
    return [m.to_dict() for m in turn.reply.messages]
