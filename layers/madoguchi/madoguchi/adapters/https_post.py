"""A plain HTTPS POST (the standard library's), for the front-door check of our own webhook."""

from __future__ import annotations

import urllib.error
import urllib.request


def post(url: str, body: bytes, headers: dict[str, str], timeout: float) -> int:
    """The HTTP status the URL answers; an HTTP error status is an answer, not an exception."""
    if not url.startswith(("https://", "http://127.0.0.1", "http://localhost")):
        raise ValueError("the front-door check posts to https URLs (or loopback in tests) only")
    request = urllib.request.Request(url, data=body, headers=headers, method="POST")
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:  # scheme checked above
            return int(response.status)
    except urllib.error.HTTPError as error:
        return int(error.code)
