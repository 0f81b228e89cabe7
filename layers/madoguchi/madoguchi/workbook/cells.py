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
