"""The front-door check: the request LINE's console sends to verify a webhook URL, signed with
the channel secret and posted to the public URL. The webhook answers it 200 and replies to nobody,
so a scheduled check walks DNS, TLS, API Gateway, the alias, the secret and the signature check
without a resident noticing or LINE counting a message."""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
from collections.abc import Callable
from dataclasses import dataclass

# What LINE sends when "Verify" is pressed: a destination and no events.
VERIFY_BODY = json.dumps({"destination": "", "events": []}, separators=(",", ":"))

# (url, body, headers, timeout seconds) -> HTTP status; raises OSError when nothing answered.
Post = Callable[[str, bytes, dict[str, str], float], int]


def line_signature(body: str, channel_secret: str) -> str:
    """X-Line-Signature: base64 of the body's HMAC-SHA256 under the channel secret."""
    digest = hmac.new(channel_secret.encode(), body.encode(), hashlib.sha256).digest()
    return base64.b64encode(digest).decode()


@dataclass(frozen=True)
class FrontDoorResult:
    """One check: healthy when the webhook answered 200."""

    status: int | None  # None: no HTTP answer (DNS, TLS, connection, time-out)
    error: str = ""  # the exception's type when there was no answer

    @property
    def healthy(self) -> bool:
        """The webhook answered the verification as LINE expects."""
        return self.status == 200


def check_front_door(
    url: str, channel_secret: str, post: Post, timeout: float = 5.0
) -> FrontDoorResult:
    """Post the signed verification body to the webhook URL and report what came back."""
    headers = {
        "content-type": "application/json",
        "x-line-signature": line_signature(VERIFY_BODY, channel_secret),
        "user-agent": "madoguchi-front-door-check",
    }
    try:
        status = post(url, VERIFY_BODY.encode(), headers, timeout)
    except OSError as error:
        return FrontDoorResult(None, type(error).__name__)
    return FrontDoorResult(status)
