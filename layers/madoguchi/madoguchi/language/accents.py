"""Latin letters without their accents, as residents often type them (sơ tán → so tan)."""

from __future__ import annotations

import unicodedata


def without_accents(text: str) -> str:
    """Latin letters without their accents (đ as d); other scripts as they are (the vowel signs
    of Devanagari are letters of their own)."""
    plain: list[str] = []
    for c in unicodedata.normalize("NFD", text):
        if unicodedata.combining(c) and plain and plain[-1].isascii():
            continue
        plain.append(c)
    return unicodedata.normalize("NFC", "".join(plain)).replace("đ", "d")
