"""Turning raw cell values into the text staff meant, and naming cells the way Excel does."""

from __future__ import annotations

import datetime as dt
import re
import unicodedata

from openpyxl.utils import get_column_letter

# Values Excel stores in a cell whose formula failed; showing them to residents would be wrong.
EXCEL_ERROR_VALUES = frozenset(
    {"#NULL!", "#DIV/0!", "#VALUE!", "#REF!", "#NAME?", "#NUM!", "#N/A", "#GETTING_DATA"}
)

_LIST_SEPARATORS = re.compile(r"[、,，\n]+")


def fold(text: str) -> str:
    """NFKC-normalize and trim, so full-width letters and digits compare equal to half-width."""
    return unicodedata.normalize("NFKC", text).strip()


def cell_text(value: object) -> str:
    """The text of a cell as staff typed it: trimmed, Windows line ends unified, numbers plain."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() else repr(value)
    if isinstance(value, dt.datetime):
        return value.date().isoformat() if value.time() == dt.time() else value.isoformat(" ")
    if isinstance(value, (dt.date, dt.time)):
        return value.isoformat()
    text = str(value).replace("\r\n", "\n").replace("\r", "\n")
    return text.strip()


def id_text(value: object) -> str:
    """An FAQ ID as comparable text: 12, 12.0, "12" and "１２" are all "12"."""
    return fold(cell_text(value))


def split_list(text: str) -> list[str]:
    """Split on 、 , ， and newlines, dropping blanks (for keywords, IDs, synonyms)."""
    return [part.strip() for part in _LIST_SEPARATORS.split(text) if part.strip()]


def split_lines(text: str) -> list[str]:
    """One entry per line, dropping blank lines (for paraphrases)."""
    return [line.strip() for line in text.split("\n") if line.strip()]


def is_blank(value: object) -> bool:
    """True for a cell with nothing but whitespace in it."""
    return value is None or (isinstance(value, str) and not value.strip())


def cell_ref(row: int, column_index: int) -> str:
    """Excel reference such as "F12" for a 1-based row and 0-based column index."""
    return f"{get_column_letter(column_index + 1)}{row}"


# Excel writes characters XML cannot hold as _xHHHH_ (e.g. _x000D_ for a carriage return), and a
# literal "_x" sequence as _x005F_x...; one left-to-right pass undoes both. (openpyxl already drops
# the _x005F_ of shared strings, so there a typed "_x0041_" reads as "A": no FAQ text looks so.)
_ESCAPE = re.compile(r"_x([0-9A-Fa-f]{4})_")

# Characters nobody sees that still change text: Unicode format characters (Cf: bidi controls,
# zero-width spaces, the BOM, tags), control characters other than tab and line breaks, and
# halves of surrogate pairs. The tests hold this list against unicodedata.
_INVISIBLE = re.compile(
    "[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u00ad\u0600-\u0605\u061c\u06dd\u070f\u0890\u0891"
    "\u08e2\u180e\u200b-\u200f\u202a-\u202e\u2060-\u2064\u2066-\u206f\ufeff\ufff9-\ufffb"
    "\ud800-\udfff\U000110bd\U000110cd\U00013430-\U0001343f\U0001bca0-\U0001bca3"
    "\U0001d173-\U0001d17a\U000e0001\U000e0020-\U000e007f]"
)
_ZWJ = "\u200d"
_TAGS = ("\U000e0020", "\U000e007f")
_BLACK_FLAG = "\U0001f3f4"
_BIDI = frozenset("\u061c\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")
_ZERO_WIDTH = frozenset("\u200b\u200c\u200d\u2060\ufeff")


def clean_text(text: str) -> tuple[str, str]:
    """Escapes decoded and invisible characters removed; returns (text, the removed characters)."""
    if "_x" in text:
        text = _ESCAPE.sub(lambda m: chr(int(m.group(1), 16)), text)
        if any("\ud800" <= ch <= "\udfff" for ch in text):
            # A character beyond U+FFFF is escaped as its two UTF-16 halves: join each pair.
            text = text.encode("utf-16-le", "surrogatepass").decode("utf-16-le", "surrogatepass")
    if _INVISIBLE.search(text) is None:
        return text, ""
    kept: list[str] = []
    removed: list[str] = []
    for index, ch in enumerate(text):
        if _INVISIBLE.match(ch) and not _part_of_emoji(text, index):
            removed.append(ch)
        else:
            kept.append(ch)
    return "".join(kept), "".join(removed)


def needs_cleaning(text: str) -> bool:
    """True when clean_text may change the text; fast enough to ask of whole rows at once."""
    if "_x" in text:
        return True
    # Every invisible character is unprintable to Python, which checks far faster than a pattern;
    # line breaks and the ideographic space are unprintable too but common, so they are set aside
    # (anything else unprintable, a tab say, only costs the pattern).
    plain = text.replace("\n", " ").replace("\u3000", " ")
    return not plain.isprintable() and _INVISIBLE.search(text) is not None


def _part_of_emoji(text: str, index: int) -> bool:
    # A zero-width joiner between two pictographs builds one emoji (👨‍👩‍👧); tag characters after
    # a black flag spell a region's flag. Both are what staff typed and stay.
    ch = text[index]
    if ch == _ZWJ:
        return 0 < index < len(text) - 1 and _pictograph(text[index - 1], text[index + 1])
    if _TAGS[0] <= ch <= _TAGS[1]:
        before = index - 1
        while before >= 0 and _TAGS[0] <= text[before] <= _TAGS[1]:
            before -= 1
        return before >= 0 and text[before] == _BLACK_FLAG
    return False


def _pictograph(before: str, after: str) -> bool:
    return (before == "\ufe0f" or unicodedata.category(before) in ("So", "Sk")) and (
        unicodedata.category(after) == "So"
    )


def describe_invisible(removed: str) -> str:
    """「U+202E 文字の向きを変える制御文字、U+200B 幅のない文字」: each kind once, at most three."""
    seen = list(dict.fromkeys(removed))
    named = [f"U+{ord(ch):04X} {_invisible_kind(ch)}" for ch in seen[:3]]
    more = f" ほか{len(seen) - 3}種類" if len(seen) > 3 else ""
    return "、".join(named) + more


def _invisible_kind(ch: str) -> str:
    if ch in _BIDI:
        return "文字の向きを変える制御文字"
    if ch in _ZERO_WIDTH:
        return "幅のない文字(ゼロ幅スペースなど)"
    if ch == "\u00ad":
        return "ソフトハイフン"
    if "\ud800" <= ch <= "\udfff":
        return "壊れた文字(対になっていないサロゲート)"
    if unicodedata.category(ch) == "Cc":
        return "制御文字"
    return "見えない書式文字"
