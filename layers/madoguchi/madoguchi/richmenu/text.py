"""Fitting staff-written labels into a box: Japanese line breaks, then shrinking, never overflow."""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass
from pathlib import Path

from PIL import ImageFont

FONT_PATH = Path(__file__).parent / "fonts" / "BIZUDPGothic-Bold.ttf"
LINE_SPACING = 1.22  # line pitch as a multiple of the font size
ELLIPSIS = "…"
PHRASE_SIZE_RATIO = 0.7  # break mid-word only when phrase breaks would shrink the text below this

# Characters that must not begin a line (kinsoku shori), and those that must not end one.
NO_LINE_START = set(
    "、。,.,.・:;?!?!)]}」』】〕〉》ー～ぁぃぅぇぉっゃゅょゎァィゥェォッャュョヮヵヶ…‥"
)
PARTICLES = set("のを")
SMALL_KANA = set("ぁぃぅぇぉっゃゅょゎ")
NO_LINE_END = set("([{「『【〔〈《")
# Latin words and numbers stay whole, e.g. "LINE" or "2025".
_UNIT = re.compile(r"[A-Za-z0-9@._%+\-/:]+|\s+|.", re.DOTALL)


@dataclass(frozen=True)
class FittedText:
    """A label broken into lines at a font size that fits its box."""

    size: int
    lines: tuple[str, ...]
    truncated: bool = False

    @property
    def line_height(self) -> int:
        """Distance between baselines in pixels."""
        return round(self.size * LINE_SPACING)


@functools.lru_cache(maxsize=64)
def font(size: int) -> ImageFont.FreeTypeFont:
    """The bundled BIZ UDPGothic Bold at a pixel size (cached: loading the file costs ~10 ms)."""
    return ImageFont.truetype(str(FONT_PATH), size)


def text_width(text: str, size: int) -> float:
    """Advance width of one line in pixels."""
    return font(size).getlength(text)


def fit_text(
    text: str,
    max_width: int,
    max_height: int,
    *,
    largest: int,
    smallest: int,
    max_lines: int,
) -> FittedText:
    """The biggest size (largest..smallest) at which the text fits in at most max_lines lines.

    Lines break between phrases ("ごみの|出し方", "市の|ホームページ") unless that would make the
    text much smaller than breaking anywhere. When even the smallest size does not fit, the last
    line ends with an ellipsis, so nothing is ever drawn outside the box.
    """
    text = _clean(text)
    by_phrase = _largest_fit(text, max_width, max_height, largest, smallest, max_lines, True)
    by_char = _largest_fit(text, max_width, max_height, largest, smallest, max_lines, False)
    if by_phrase and (by_char is None or by_phrase.size >= PHRASE_SIZE_RATIO * by_char.size):
        return by_phrase
    if by_char:
        return by_char
    return _truncate(text, smallest, max_width, max_height, max_lines)


def _largest_fit(
    text: str,
    max_width: int,
    max_height: int,
    largest: int,
    smallest: int,
    max_lines: int,
    phrases: bool,
) -> FittedText | None:
    """Linear search from the largest size down (a few dozen cheap width measurements)."""
    for size in range(largest, smallest - 1, -2):
        lines_allowed = min(max_lines, max(1, int(max_height // round(size * LINE_SPACING)) + 1))
        lines = wrap(text, size, max_width, lines_allowed, phrases=phrases)
        if lines is not None and _block_height(size, len(lines)) <= max_height:
            return FittedText(size, tuple(lines))
    return None


def wrap(
    text: str, size: int, max_width: float, max_lines: int, *, phrases: bool = True
) -> list[str] | None:
    """Balanced lines no wider than max_width, or None when more than max_lines are needed."""
    lines: list[str] = []
    for paragraph in text.split("\n"):
        units = _units(paragraph)
        if phrases:
            units = _phrases(units)
        if any(text_width(u.strip(), size) > max_width for u in units):
            return None
        greedy = _greedy(units, size, max_width)
        lines.extend(_balance(units, size, max_width, len(greedy)))
        if len(lines) > max_lines:
            return None
    return lines


def _clean(text: str) -> str:
    """Trim each line and drop empty ones; staff sometimes leave stray spaces or blank lines."""
    lines = [line.strip() for line in text.replace("\r", "\n").split("\n")]
    return "\n".join(line for line in lines if line) or " "


def _units(paragraph: str) -> list[str]:
    """Pieces that may not be split, with kinsoku characters glued to their neighbours."""
    pieces = _UNIT.findall(paragraph)
    units: list[str] = []
    glue_next = False
    for piece in pieces:
        if units and (glue_next or piece[0] in NO_LINE_START):
            units[-1] += piece
        else:
            units.append(piece)
        glue_next = piece[-1] in NO_LINE_END
    return units


def _phrases(units: list[str]) -> list[str]:
    """Join units into rough phrases: a new one starts after hiragana (a particle or okurigana)
    meets a non-hiragana character, or after a space, comma or middle dot."""
    phrases: list[str] = []
    for unit in units:
        if phrases and not _phrase_ends(phrases[-1], unit):
            phrases[-1] += unit
        else:
            phrases.append(unit)
    return phrases


def _phrase_ends(previous: str, following: str) -> bool:
    """Whether a line may break between two units when keeping phrases whole."""
    last, first = previous[-1], following[0]
    if last.isspace() or last in "・、,/" or first.isspace():
        return True
    if last in PARTICLES and first not in NO_LINE_START:
        return True  # 「引っ越しの|ごみ」: の and を are nearly always particles
    # A small kana ends no phrase: 「引っ|越し」 would split one word.
    ends = _is_hiragana(last) and last not in SMALL_KANA
    return ends and not _is_hiragana(first) and first not in NO_LINE_START


def _is_hiragana(char: str) -> bool:
    """Hiragana letters (particles and okurigana live here)."""
    return "\u3041" <= char <= "\u309f"


def _greedy(units: list[str], size: int, max_width: float) -> list[str]:
    """Fill each line as far as it goes."""
    lines: list[str] = []
    current = ""
    for unit in units:
        candidate = current + unit
        if current and text_width(candidate.rstrip(), size) > max_width:
            lines.append(current.rstrip())
            current = unit.lstrip()
        else:
            current = candidate
    if current.strip() or not lines:
        lines.append(current.strip())
    return lines


def _balance(units: list[str], size: int, max_width: float, count: int) -> list[str]:
    """The same number of lines as greedy filling, but as even as possible (no lone last char)."""
    if count <= 1:
        return _greedy(units, size, max_width)
    low, high = 1.0, max_width
    best = _greedy(units, size, max_width)
    for _ in range(12):  # binary search on the narrowest width that still needs `count` lines
        middle = (low + high) / 2
        if max(text_width(u, size) for u in units) <= middle:
            lines = _greedy(units, size, middle)
            if len(lines) <= count:
                best, high = lines, middle
                continue
        low = middle
    return best


def _block_height(size: int, line_count: int) -> int:
    """Height of a block of lines: full pitch between lines, the font size for the last one."""
    return round(size * LINE_SPACING) * (line_count - 1) + size


def _truncate(text: str, size: int, max_width: int, max_height: int, max_lines: int) -> FittedText:
    """Hard-wrap at the smallest size and cut the last line with an ellipsis."""
    lines_allowed = max(1, min(max_lines, (max_height - size) // round(size * LINE_SPACING) + 1))
    flat = text.replace("\n", "")
    lines: list[str] = []
    current = ""
    for char in flat:
        if text_width(current + char, size) > max_width:
            lines.append(current)
            current = char
        else:
            current += char
    lines.append(current)
    cut = len(lines) > lines_allowed
    if cut:
        lines = lines[:lines_allowed]
        last = lines[-1]
        while last and text_width(last + ELLIPSIS, size) > max_width:
            last = last[:-1]
        lines[-1] = last + ELLIPSIS
    return FittedText(size, tuple(lines), truncated=cut)
