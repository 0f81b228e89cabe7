"""Writing cells of the workbooks the project makes: text stays text, never a formula.

A resident's question or a learned phrasing may start with `=`, `+`, `-`, `@`, a tab or a line
break. openpyxl stores a string starting with `=` as a formula (a live HYPERLINK or DDE call in a
report staff trust), and Excel reads `+ - @` as the start of one when staff edit the cell. Such
text is stored as a string cell with Excel's quote prefix (shown as typed, edited as text).
"""

from __future__ import annotations

import re
from typing import Any

from openpyxl.cell.cell import Cell
from openpyxl.worksheet.worksheet import Worksheet

# What a spreadsheet may read as the start of a formula (CSV/formula injection).
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r", "\n", "＝", "＋", "－", "＠")
# Control characters an .xlsx file cannot hold (openpyxl refuses them): dropped, not fatal.
_UNWRITABLE = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")


def write_cell(sheet: Worksheet, row: int, column: int, value: Any) -> Cell:
    """Put a value into a cell; strings are always stored as text (see the module docstring)."""
    cell = sheet.cell(row=row, column=column)
    set_value(cell, value)
    return cell


def set_value(cell: Any, value: Any) -> None:
    """Give a cell its value; strings become text cells, never formulas."""
    if not isinstance(value, str):
        cell.value = value
        return
    text = _UNWRITABLE.sub("", value)
    cell.value = text
    cell.data_type = "s"  # openpyxl made "=…" a formula; this is text a resident typed
    if is_formula_like(text):
        cell.quotePrefix = True  # Excel keeps it text even when staff edit the cell


def is_formula_like(text: str) -> bool:
    """Whether a spreadsheet could read this text as a formula."""
    return text.lstrip(" ").startswith(FORMULA_STARTS)
