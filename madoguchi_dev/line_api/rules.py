"""LINE's rules for the requests Madoguchi sends: message limits, actions, quick replies and flex
containers, checked as LINE checks them and answered with LINE-shaped errors."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

MAX_MESSAGES = 5
MAX_TEXT_LENGTH = 5000
MAX_QUICK_REPLY_ITEMS = 13
MAX_QUICK_REPLY_LABEL = 20
MAX_ACTION_LABEL = 40  # flex components; quick replies allow only 20
MAX_POSTBACK_DATA = 300
MAX_DISPLAY_TEXT = 300
MAX_ALT_TEXT = 400
MAX_CAROUSEL_BUBBLES = 12
MAX_LOCATION_TEXT = 100  # a location message's title and address
MAX_BUBBLE_BYTES = 30_000
MAX_CAROUSEL_BYTES = 50_000
_ACTION_TYPES = {"postback", "message", "uri", "datetimepicker", "camera", "cameraRoll", "location"}

Detail = dict[str, str]


@dataclass(frozen=True)
class Response:
    """An HTTP answer: status, JSON body, extra headers; `raw` bytes replace the JSON body."""

    status: int
    body: dict[str, Any]
    headers: dict[str, str] = field(default_factory=dict)
    raw: bytes | None = None  # a body LINE would never send (fault injection)


@dataclass(frozen=True)
class ReceivedCall:
    """What a route handler gets: the parsed request."""

    method: str
    path: str
    headers: dict[str, str]
    body: Any


def error(status: int, message: str, details: list[Detail] | None = None) -> Response:
    """A LINE-shaped error."""
    body: dict[str, Any] = {"message": message}
    if details:
        body["details"] = details
    return Response(status, body)


def _detail(prop: str, message: str) -> Detail:
    return {"message": message, "property": prop}


def check_length(value: Any, prop: str, limit: int, *, required: bool = True) -> list[Detail]:
    if value is None:
        return [_detail(prop, "must be specified")] if required else []
    if not isinstance(value, str):
        return [_detail(prop, "must be a string")]
    if required and not value:
        return [_detail(prop, "may not be empty")]
    if len(value) > limit:
        return [_detail(prop, f"Length must be between 0 and {limit}")]
    return []


def validate_action(action: Any, prop: str, *, label_limit: int | None) -> list[Detail]:
    """One action object; `label_limit` None means the label is optional and unchecked."""
    if not isinstance(action, dict):
        return [_detail(prop, "must be specified")]
    kind = action.get("type")
    if kind not in _ACTION_TYPES:
        return [_detail(f"{prop}.type", "invalid action type")]
    details: list[Detail] = []
    if label_limit is not None:
        details += check_length(action.get("label"), f"{prop}.label", label_limit)
    elif action.get("label") is not None:
        details += check_length(action.get("label"), f"{prop}.label", MAX_ACTION_LABEL)
    if kind == "postback":
        details += check_length(action.get("data"), f"{prop}.data", MAX_POSTBACK_DATA)
        for key in ("displayText", "text"):
            details += check_length(
                action.get(key), f"{prop}.{key}", MAX_DISPLAY_TEXT, required=False
            )
    elif kind == "message":
        details += check_length(action.get("text"), f"{prop}.text", MAX_DISPLAY_TEXT)
    elif kind == "uri":
        details += check_length(action.get("uri"), f"{prop}.uri", 1000)
    return details


def _validate_quick_reply(quick_reply: Any, prop: str) -> list[Detail]:
    if not isinstance(quick_reply, dict) or not isinstance(quick_reply.get("items"), list):
        return [_detail(f"{prop}.items", "must be specified")]
    items = quick_reply["items"]
    if not 1 <= len(items) <= MAX_QUICK_REPLY_ITEMS:
        return [_detail(f"{prop}.items", f"Size must be between 1 and {MAX_QUICK_REPLY_ITEMS}")]
    details: list[Detail] = []
    for i, item in enumerate(items):
        where = f"{prop}.items[{i}]"
        if not isinstance(item, dict) or item.get("type") != "action":
            details.append(_detail(f"{where}.type", "must be 'action'"))
            continue
        details += validate_action(
            item.get("action"), f"{where}.action", label_limit=MAX_QUICK_REPLY_LABEL
        )
    return details


def _walk_actions(node: Any, prop: str) -> list[Detail]:
    """Every action inside a flex container."""
    details: list[Detail] = []
    if isinstance(node, dict):
        for key, value in node.items():
            if key == "action":
                details += validate_action(value, f"{prop}.action", label_limit=None)
            else:
                details += _walk_actions(value, f"{prop}.{key}")
    elif isinstance(node, list):
        for i, value in enumerate(node):
            details += _walk_actions(value, f"{prop}[{i}]")
    return details


def _size(node: Any) -> int:
    return len(json.dumps(node, ensure_ascii=False).encode())


def _validate_flex(message: dict, prop: str) -> list[Detail]:
    details = check_length(message.get("altText"), f"{prop}.altText", MAX_ALT_TEXT)
    contents = message.get("contents")
    where = f"{prop}.contents"
    if not isinstance(contents, dict):
        return [*details, _detail(where, "must be specified")]
    kind = contents.get("type")
    if kind == "bubble":
        if _size(contents) > MAX_BUBBLE_BYTES:
            details.append(_detail(where, f"bubble size must be at most {MAX_BUBBLE_BYTES} bytes"))
    elif kind == "carousel":
        bubbles = contents.get("contents")
        if not isinstance(bubbles, list) or not 1 <= len(bubbles) <= MAX_CAROUSEL_BUBBLES:
            details.append(
                _detail(f"{where}.contents", f"Size must be between 1 and {MAX_CAROUSEL_BUBBLES}")
            )
        elif any(not isinstance(b, dict) or b.get("type") != "bubble" for b in bubbles):
            details.append(_detail(f"{where}.contents", "must contain only bubbles"))
        if _size(contents) > MAX_CAROUSEL_BYTES:
            details.append(
                _detail(where, f"carousel size must be at most {MAX_CAROUSEL_BYTES} bytes")
            )
    else:
        details.append(_detail(f"{where}.type", "must be 'bubble' or 'carousel'"))
    return details + _walk_actions(contents, where)


def validate_messages(messages: Any, prop: str = "messages") -> list[Detail]:
    """Check a messages array as LINE does for text, flex, sticker, image and location messages."""
    if not isinstance(messages, list):
        return [_detail(prop, "must be specified")]
    if not 1 <= len(messages) <= MAX_MESSAGES:
        return [_detail(prop, f"Size must be between 1 and {MAX_MESSAGES}")]
    details: list[Detail] = []
    for i, message in enumerate(messages):
        where = f"{prop}[{i}]"
        if not isinstance(message, dict):
            details.append(_detail(where, "must be an object"))
            continue
        kind = message.get("type")
        if kind == "text":
            details += check_length(message.get("text"), f"{where}.text", MAX_TEXT_LENGTH)
        elif kind == "flex":
            details += _validate_flex(message, where)
        elif kind == "sticker":
            for key in ("packageId", "stickerId"):
                details += check_length(message.get(key), f"{where}.{key}", 100)
        elif kind == "image":
            for key in ("originalContentUrl", "previewImageUrl"):
                details += check_length(message.get(key), f"{where}.{key}", 2000)
        elif kind == "location":
            details += _validate_location(message, where)
        else:
            details.append(_detail(f"{where}.type", "unsupported message type"))
        if "quickReply" in message and message["quickReply"] is not None:
            details += _validate_quick_reply(message["quickReply"], f"{where}.quickReply")
    return details


def _validate_location(message: dict[str, Any], where: str) -> list[Detail]:
    """A location message: title and address up to 100 characters, a point on the globe."""
    details = check_length(message.get("title"), f"{where}.title", MAX_LOCATION_TEXT)
    details += check_length(message.get("address"), f"{where}.address", MAX_LOCATION_TEXT)
    for key, limit in (("latitude", 90.0), ("longitude", 180.0)):
        value = message.get(key)
        if isinstance(value, bool) or not isinstance(value, int | float):
            details.append(_detail(f"{where}.{key}", "must be a number"))
        elif not -limit <= value <= limit:
            details.append(_detail(f"{where}.{key}", f"must be between -{limit} and {limit}"))
    return details


def invalid(details: list[Detail]) -> Response:
    return error(400, f"The request body has {len(details)} error(s)", details)
