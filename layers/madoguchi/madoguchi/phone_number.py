"""Telephone numbers staff write in the workbook, read the way a tel: link dials them."""

from __future__ import annotations

import re
import unicodedata

_SEPARATORS = re.compile(r"[\s\-‐‑–—―−ー()（）]")


def phone_digits(text: str) -> str | None:
    """The number a tel: link dials (0123456789, #7119), or None when the text is not one: a
    number of 10 or 11 digits from 0, or a short number of 3 or 4 digits after #."""
    folded = _SEPARATORS.sub("", unicodedata.normalize("NFKC", text or "").strip())
    if re.fullmatch(r"0\d{9,10}", folded) or re.fullmatch(r"#\d{3,4}", folded):
        return folded
    return None
