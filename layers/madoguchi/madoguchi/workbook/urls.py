"""Checking the links staff put in the workbook."""

from __future__ import annotations

import re
import unicodedata
from urllib.parse import urlsplit

_WHITESPACE = re.compile(r"\s")


def url_problem(url: str) -> tuple[str, str] | None:
    """(message, fix) when a URL would not open on a phone, else None."""
    if unicodedata.normalize("NFKC", url) != url and re.search(r"[Ａ-Ｚａ-ｚ０-９：／．]", url):
        return (
            "URLに全角文字が含まれています。",
            "URLは半角で入力してください(ブラウザのアドレス欄からコピーすると確実です)。",
        )
    if _WHITESPACE.search(url):
        return (
            "URLの途中に空白や改行があります。",
            "空白を取り除いてください。URLは1つのセルに1つだけ入れてください。",
        )
    parts = urlsplit(url)
    if parts.scheme.lower() not in ("http", "https") or not parts.netloc:
        return (
            "URLは http:// か https:// で始まる必要があります。",
            "ブラウザのアドレス欄からURLをコピーして貼り付けてください(例: https://www.city.example.jp/)。",
        )
    return None
