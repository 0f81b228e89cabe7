"""Fitting staff-written labels into a box: Japanese line breaks, then shrinking, never overflow."""

from __future__ import annotations

import bisect
import functools
import json
import re
import unicodedata
from dataclasses import dataclass
from pathlib import Path

from PIL import ImageFont

FONTS = Path(__file__).parent / "fonts"
FONT_PATH = FONTS / "BIZUDPGothic-Bold.ttf"  # Japanese, and the menu's default
CJK_FONT = FONTS / "NotoSansCJKsc-Bold-menu.otf"  # simplified Chinese and Hangul
LATIN_FONT = FONTS / "NotoSans-Bold-menu.ttf"  # Latin with Vietnamese tone letters
DEVANAGARI_FONT = FONTS / "NotoSansDevanagari-Bold-menu.ttf"  # Nepali
COVERAGE = FONTS / "coverage.json"  # the characters each font has (scripts/subset_menu_fonts.py)
# The font a language's labels are drawn in first; a character it lacks comes from the next
# font in FALLBACK that has it, so a Japanese word in an English label is still drawn.
PRIMARY = {"zh": CJK_FONT, "ko": CJK_FONT, "ne": DEVANAGARI_FONT}
LATIN_LANGUAGES = frozenset({"en", "vi", "pt", "es", "tl", "id"})
FALLBACK = (FONT_PATH, CJK_FONT, LATIN_FONT, DEVANAGARI_FONT)
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
# Latin words (with accents and Vietnamese tone marks), numbers, Devanagari and Hangul words stay
# whole, e.g. "LINE", "2025", "cồng", "नागरिक", "쓰레기"; kana and hanzi may break anywhere.
_UNIT = re.compile(
    r"[A-Za-z0-9@._%+\-/:'\u00c0-\u024f\u0300-\u036f\u1e00-\u1eff]+"
    r"|[\u0900-\u097f\ua8e0-\ua8ff\u200c\u200d]+|[\uac00-\ud7a3\u3131-\u318e]+|\s+|.",
    re.DOTALL,
)


@dataclass(frozen=True)
class FittedText:
    """A label broken into lines at a font size that fits its box."""

    size: int
    lines: tuple[str, ...]
    truncated: bool = False
    language: str | None = None  # whose fonts draw it (None: Japanese)

    @property
    def line_height(self) -> int:
        """Distance between baselines in pixels."""
        return round(self.size * LINE_SPACING)


@functools.lru_cache(maxsize=128)
def font(size: int, path: Path = FONT_PATH) -> ImageFont.FreeTypeFont:
    """A bundled font (BIZ UDPGothic Bold unless told) at a pixel size (cached: loading the
    file costs ~10 ms, the CJK one more)."""
    return ImageFont.truetype(str(path), size)


def fonts_for(language: str | None) -> tuple[Path, ...]:
    """The fonts a language's labels are drawn with, the first one preferred."""
    if language in PRIMARY:
        first = PRIMARY[language]
    elif language in LATIN_LANGUAGES:
        first = LATIN_FONT
    else:
        first = FONT_PATH
    return (first, *(path for path in FALLBACK if path != first))


@functools.lru_cache(maxsize=1)
def _coverage() -> dict[str, tuple[list[int], list[int]]]:
    """Font file name -> (first code points, last code points) of the runs it has glyphs for."""
    ranges = json.loads(COVERAGE.read_text(encoding="utf-8"))
    return {name: ([r[0] for r in runs], [r[1] for r in runs]) for name, runs in ranges.items()}


def has_glyph(path: Path, char: str) -> bool:
    """Whether a bundled font draws this character (not its empty "tofu" box)."""
    firsts, lasts = _coverage()[path.name]
    code = ord(char)
    at = bisect.bisect_right(firsts, code) - 1
    return at >= 0 and code <= lasts[at]


@functools.lru_cache(maxsize=4096)
def font_runs(text: str, language: str | None = None) -> tuple[tuple[str, Path], ...]:
    """The text cut into runs drawn with one font each: every character in the first of the
    language's fonts that has it. Spaces and combining marks stay with the run before them, so
    a Devanagari or Vietnamese word is shaped in one piece."""
    chain = fonts_for(language)
    runs: list[tuple[str, Path]] = []
    for char in text:
        joins = (
            char.isspace() or unicodedata.category(char).startswith("M") or char in "\u200c\u200d"
        )
        if runs and joins and (char.isspace() or has_glyph(runs[-1][1], char)):
            runs[-1] = (runs[-1][0] + char, runs[-1][1])
            continue
        path = next((p for p in chain if has_glyph(p, char)), chain[0])
        if runs and runs[-1][1] == path:
            runs[-1] = (runs[-1][0] + char, path)
        else:
            runs.append((char, path))
    return tuple(runs)


def text_width(text: str, size: int, language: str | None = None) -> float:
    """Advance width of one line in pixels."""
    return sum(font(size, path).getlength(run) for run, path in font_runs(text, language))


def fit_text(
    text: str,
    max_width: int,
    max_height: int,
    *,
    largest: int,
    smallest: int,
    max_lines: int,
    language: str | None = None,
) -> FittedText:
    """The biggest size (largest..smallest) at which the text fits in at most max_lines lines.

    Lines break between phrases ("ごみの|出し方", "市の|ホームページ") unless that would make the
    text much smaller than breaking anywhere. When even the smallest size does not fit, the last
    line ends with an ellipsis, so nothing is ever drawn outside the box.
    """
    text = _clean(text)
    sizes = (largest, smallest)
    by_phrase = _largest_fit(text, max_width, max_height, sizes, max_lines, True, language)
    by_char = _largest_fit(text, max_width, max_height, sizes, max_lines, False, language)
    if by_phrase and (by_char is None or by_phrase.size >= PHRASE_SIZE_RATIO * by_char.size):
        return by_phrase
    if by_char:
        return by_char
    return _truncate(text, smallest, max_width, max_height, max_lines, language)


def _largest_fit(
    text: str,
    max_width: int,
    max_height: int,
    sizes: tuple[int, int],
    max_lines: int,
    phrases: bool,
    language: str | None,
) -> FittedText | None:
    """Linear search from the largest size down (a few dozen cheap width measurements)."""
    largest, smallest = sizes
    for size in range(largest, smallest - 1, -2):
        lines_allowed = min(max_lines, max(1, int(max_height // round(size * LINE_SPACING)) + 1))
        lines = wrap(text, size, max_width, lines_allowed, phrases=phrases, language=language)
        if lines is not None and _block_height(size, len(lines)) <= max_height:
            return FittedText(size, tuple(lines), language=language)
    return None


def wrap(
    text: str,
    size: int,
    max_width: float,
    max_lines: int,
    *,
    phrases: bool = True,
    language: str | None = None,
) -> list[str] | None:
    """Balanced lines no wider than max_width, or None when more than max_lines are needed."""
    lines: list[str] = []
    for paragraph in text.split("\n"):
        units = _units(paragraph)
        if phrases:
            units = _phrases(units)
        if any(text_width(u.strip(), size, language) > max_width for u in units):
            return None
        greedy = _greedy(units, size, max_width, language)
        lines.extend(_balance(units, size, max_width, len(greedy), language))
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


def _greedy(
    units: list[str], size: int, max_width: float, language: str | None = None
) -> list[str]:
    """Fill each line as far as it goes."""
    lines: list[str] = []
    current = ""
    for unit in units:
        candidate = current + unit
        if current and text_width(candidate.rstrip(), size, language) > max_width:
            lines.append(current.rstrip())
            current = unit.lstrip()
        else:
            current = candidate
    if current.strip() or not lines:
        lines.append(current.strip())
    return lines


def _balance(
    units: list[str], size: int, max_width: float, count: int, language: str | None = None
) -> list[str]:
    """The same number of lines as greedy filling, but as even as possible (no lone last char)."""
    if count <= 1:
        return _greedy(units, size, max_width, language)
    low, high = 1.0, max_width
    best = _greedy(units, size, max_width, language)
    for _ in range(12):  # binary search on the narrowest width that still needs `count` lines
        middle = (low + high) / 2
        if max(text_width(u, size, language) for u in units) <= middle:
            lines = _greedy(units, size, middle, language)
            if len(lines) <= count:
                best, high = lines, middle
                continue
        low = middle
    return best


def _block_height(size: int, line_count: int) -> int:
    """Height of a block of lines: full pitch between lines, the font size for the last one."""
    return round(size * LINE_SPACING) * (line_count - 1) + size


def _truncate(
    text: str,
    size: int,
    max_width: int,
    max_height: int,
    max_lines: int,
    language: str | None = None,
) -> FittedText:
    """Hard-wrap at the smallest size and cut the last line with an ellipsis."""
    lines_allowed = max(1, min(max_lines, (max_height - size) // round(size * LINE_SPACING) + 1))
    flat = text.replace("\n", "")
    lines: list[str] = []
    current = ""
    for char in flat:
        if text_width(current + char, size, language) > max_width:
            lines.append(current)
            current = char
        else:
            current += char
    lines.append(current)
    cut = len(lines) > lines_allowed
    if cut:
        lines = lines[:lines_allowed]
        last = lines[-1]
        while last and text_width(last + ELLIPSIS, size, language) > max_width:
            last = last[:-1]
        lines[-1] = last + ELLIPSIS
    return FittedText(size, tuple(lines), truncated=cut, language=language)
