"""The form residents' questions are compared and grouped in before they are learned."""

from __future__ import annotations

from madoguchi.search.normalize import fold_kana, strip_boilerplate, surface


def phrasing_key(text: str) -> str:
    """The form questions are grouped by: 「粗大ゴミ 出し方教えて?」 = 「粗大ごみ出し方」."""
    # Small differences in typing (script, spaces, 教えて, punctuation) must not split the
    # residents who asked the same thing into groups too small to learn from.
    return fold_kana(strip_boilerplate(surface(text or ""))).replace(" ", "")
