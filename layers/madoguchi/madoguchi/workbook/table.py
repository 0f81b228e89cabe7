"""Read one sheet as a table: headers found by name, rows bounded, each cell problem located."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Collection, Iterable, Iterator
from dataclasses import dataclass, field
from itertools import repeat

from openpyxl.utils import get_column_letter
from openpyxl.utils.cell import range_boundaries
from openpyxl.worksheet.formula import ArrayFormula, DataTableFormula

from madoguchi.language.codes import LANGUAGES, language_named
from madoguchi.workbook.cells import (
    EXCEL_ERROR_VALUES,
    cell_ref,
    cell_text,
    clean_text,
    describe_invisible,
    fold,
    is_blank,
    needs_cleaning,
)
from madoguchi.workbook.problems import Problem, Severity
from madoguchi.workbook.sheet_xml import SheetScan

MAX_COLUMNS = 40  # columns read per sheet; the workbook uses at most nine
LAST_COLUMN = get_column_letter(MAX_COLUMNS)
EXCEL_COLUMNS = 16_384  # column XFD, the last one Excel has

UNMERGE_FIX = (
    "結合を解除して、それぞれの行に値を入れてください"
    "(「ホーム」→「セルを結合して中央揃え」の▼→「セル結合の解除」)。"
)


@dataclass(frozen=True)
class SheetSpec:
    """What a sheet must and may contain."""

    name: str
    columns: tuple[str, ...] = ()  # every header the sheet understands, in the usual order
    required: tuple[str, ...] = ()
    max_rows: int = 2_000
    has_header: bool = True  # False: row 1 is ignored and every cell is data


@dataclass(frozen=True)
class Row:
    """One non-empty data row; `broken` holds column indexes whose value cannot be trusted."""

    number: int
    values: tuple[object, ...]
    broken: frozenset[int] = frozenset()


@dataclass
class SheetTable:
    """A sheet's header positions and data rows, with helpers that report problems at a cell."""

    title: str
    problems: list[Problem]
    columns: dict[str, int] = field(default_factory=dict)
    rows: list[Row] = field(default_factory=list)
    usable: bool = True  # False when required headers are missing

    def text(self, row: Row, column: str) -> str:
        """Trimmed text of a cell; empty when the column is absent or the cell is broken."""
        index = self.columns.get(column)
        if index is None or index in row.broken:
            return ""
        return cell_text(row.values[index])

    def raw(self, row: Row, column: str) -> object:
        """The cell's value as openpyxl read it (None when absent or broken)."""
        index = self.columns.get(column)
        if index is None or index in row.broken:
            return None
        return row.values[index]

    def is_broken(self, row: Row, column: str) -> bool:
        """True when the cell already has an error reported (a formula without a value, #N/A)."""
        index = self.columns.get(column)
        return index is not None and index in row.broken

    def cell(self, row_number: int, column: str | None) -> str | None:
        """Excel reference of a column in a row, if the column exists."""
        index = self.columns.get(column) if column else None
        return None if index is None else cell_ref(row_number, index)

    def report(
        self,
        severity: Severity,
        row: int | None,
        column: str | None,
        message: str,
        fix: str = "",
        cell: str | None = None,
    ) -> None:
        """Record a problem at a row/column of this sheet."""
        if cell is None and row is not None:
            cell = self.cell(row, column)
        self.problems.append(Problem(severity, message, fix, self.title, row, column, cell))

    def error(self, row: int | None, column: str | None, message: str, fix: str = "") -> None:
        """Record a problem that blocks publishing."""
        self.report(Severity.ERROR, row, column, message, fix)

    def warning(self, row: int | None, column: str | None, message: str, fix: str = "") -> None:
        """Record a problem that is reported but does not block publishing."""
        self.report(Severity.WARNING, row, column, message, fix)


def read_table(
    title: str,
    values: Iterable[tuple[object, ...]],
    formulas: Iterable[tuple[object, ...]] | None,
    scan: SheetScan,
    spec: SheetSpec,
    problems: list[Problem],
    far: dict[int, object] | None = None,
) -> SheetTable:
    """Walk the rows once (values and, when needed, formulas in lockstep) and build the table.

    `values`/`formulas` are openpyxl `iter_rows(values_only=True)` iterators over the same bounds,
    from a data_only and a formula-keeping load respectively; `far` holds the header cells beyond
    the columns read (see `far_header`). Text is read as staff see it: Excel's escapes decoded,
    invisible characters removed (with a warning at the cell).
    """
    table = SheetTable(title, problems)
    _report_merges(table, scan)
    rows = zip(values, formulas if formulas is not None else repeat(None), strict=False)
    first = next(rows, None)
    if first is None:
        if spec.required:
            _missing_headers(table, spec, [])
        return table
    header, removed = _cleaned(first[0], range(len(first[0])))
    if spec.has_header:
        _read_header(table, spec, header, far or {})
        used = set(table.columns.values())
        _report_invisible(table, 1, [(i, gone) for i, gone in removed if i in used])
        if not table.usable:
            return table
        watched = sorted(used)
    else:
        watched = list(range(MAX_COLUMNS))
        _report_invisible(table, 1, removed)
    headerless_reported: set[int] = set()
    last_filled = 1
    for number, (value_row, formula_row) in enumerate(rows, start=2):
        if number > spec.max_rows + 1:
            if any(not is_blank(v) for v in value_row):
                table.error(
                    number,
                    None,
                    f"行が多すぎます。このシートは {spec.max_rows:,} 行までしか読めません。",
                    f"{number}行目から下を別のファイルに分けるか、不要な行を削除してください。",
                )
            break
        value_row, removed = _cleaned(value_row, watched)
        broken = _broken_cells(table, number, value_row, formula_row, watched)
        if all(is_blank(value_row[i]) and i not in broken for i in watched):
            continue
        if spec.has_header:
            _headerless_data(table, number, value_row, headerless_reported)
        if number > last_filled + 1:
            _empty_gap(table, last_filled + 1, number - 1)
        last_filled = number
        _report_invisible(table, number, removed)
        table.rows.append(Row(number, tuple(value_row), frozenset(broken)))
    return table


def _cleaned(
    row: tuple[object, ...], indexes: Iterable[int]
) -> tuple[tuple[object, ...], list[tuple[int, str]]]:
    """The row with its text cleaned at `indexes`, and (index, removed characters) for each."""
    texts = [value for index in indexes if isinstance(value := row[index], str)]
    # One test of the row joined by line breaks (which no escape can span) spares most rows.
    if not texts or not needs_cleaning("\n".join(texts)):
        return row, []
    changed: list[object] | None = None
    removed: list[tuple[int, str]] = []
    for index in indexes:
        value = row[index]
        if isinstance(value, str) and needs_cleaning(value):
            text, gone = clean_text(value)
            if changed is None:
                changed = list(row)
            changed[index] = text
            if gone:
                removed.append((index, gone))
    return (row if changed is None else tuple(changed)), removed


def _report_invisible(table: SheetTable, number: int, removed: list[tuple[int, str]]) -> None:
    for index, gone in removed:
        table.report(
            Severity.WARNING,
            number,
            _column_name(table, index),
            f"見えない文字が {len(gone)}個 入っていたので、取り除いて読みました"
            f"({describe_invisible(gone)})。",
            "このままで大丈夫です(ほかの文書やWebページからコピーすると入ることがあります)。"
            "気になるときは、このセルの文字を入力し直してください。",
            cell=cell_ref(number, index),
        )


def _read_header(
    table: SheetTable, spec: SheetSpec, header: tuple[object, ...], far: dict[int, object]
) -> None:
    known = {name.casefold(): name for name in spec.columns}
    # 「質問(English)」 and 「質問 (English)」 name the same column.
    spaced = {"".join(name.split()).casefold(): name for name in spec.columns}
    seen: list[str] = []
    for index, value in enumerate(header):
        text = fold(cell_text(value))
        if not text:
            continue
        seen.append(text)
        name = known.get(text.casefold()) or spaced.get("".join(text.split()).casefold())
        if name is None:
            name = translated_column(text, spec.columns)
        if name is None and (unknown := _unknown_language(text, spec.columns)) is not None:
            table.report(
                Severity.WARNING,
                1,
                text,
                f"見出し「{text}」の「{unknown}」という言語がわかりません(この列は読み飛ばします)。",
                "言語は " + "・".join(f"「{lang.label}」" for lang in LANGUAGES) + " のどれかで"
                f"書いてください(例:「{text.split('(')[0].strip()} (English)」)。",
                cell=cell_ref(1, index),
            )
        elif name is None:
            table.report(
                Severity.WARNING,
                1,
                text,
                f"「{text}」という列は使われません(読み飛ばします)。",
                "使える見出しは " + "・".join(f"「{n}」" for n in spec.columns) + " です。"
                "メモとして残すなら、このままで大丈夫です。",
                cell=cell_ref(1, index),
            )
        elif name in table.columns:
            first = cell_ref(1, table.columns[name])
            table.report(
                Severity.ERROR,
                1,
                name,
                f"見出し「{name}」が2つあります({first} と {cell_ref(1, index)})。",
                "どちらか一方の列の見出しを消すか、名前を変えてください。",
                cell=cell_ref(1, index),
            )
        else:
            table.columns[name] = index
    out_of_reach = _far_headers(table, spec, far, known)
    _missing_headers(table, spec, seen, out_of_reach)


_TRANSLATED = re.compile(r"^(?P<base>[^()]+?)\s*\((?P<language>[^()]+)\)$")


def translated_column(text: str, columns: Collection[str]) -> str | None:
    """The translation column a header names with another name of its language
    (「ボタン (英語)」「ボタン(en)」 are 「ボタン (English)」), or None."""
    found = _TRANSLATED.match(text)
    language = language_named(found["language"]) if found else None
    if found is None or language is None:
        return None
    name = f"{found['base'].strip()} ({language.label})"
    return name if name in columns else None


def _unknown_language(text: str, columns: Collection[str]) -> str | None:
    """The language name of a header shaped like a translation column of this sheet
    (「ボタン (Klingon)」) whose language is not one Madoguchi knows; None otherwise."""
    found = _TRANSLATED.match(text)
    if found is None or language_named(found["language"]) is not None:
        return None
    base = found["base"].strip() + " ("
    if not any(column.startswith(base) for column in columns):
        return None
    return found["language"].strip()


def _far_headers(
    table: SheetTable, spec: SheetSpec, far: dict[int, object], known: dict[str, str]
) -> set[str]:
    """Report known headers written beyond the columns read; returns their names."""
    found: set[str] = set()
    for index, value in sorted(far.items()):
        raw = clean_text(value)[0] if isinstance(value, str) else value
        name = known.get(fold(cell_text(raw)).casefold())
        if name is None or name in table.columns or name in found:
            continue
        found.add(name)
        required = name in spec.required
        ref = cell_ref(1, index)
        table.report(
            Severity.ERROR if required else Severity.WARNING,
            1,
            name,
            f"見出し「{name}」が {ref}({index + 1}列目)にありますが、読み取るのは "
            f"{LAST_COLUMN}列({MAX_COLUMNS}列目)までです。"
            + ("" if required else "この列は読みません。"),
            f"「{name}」の列を {LAST_COLUMN}列より左に移してください"
            "(間の使っていない列を削除すると、左に詰まります)。",
            cell=ref,
        )
        if required:
            table.usable = False
    return found


def _missing_headers(
    table: SheetTable, spec: SheetSpec, seen: list[str], out_of_reach: Collection[str] = ()
) -> None:
    for name in spec.required:
        if name in table.columns or name in out_of_reach:
            continue
        table.usable = False
        existing = "・".join(f"「{s}」" for s in seen) if seen else "(なし)"
        table.error(
            1,
            name,
            f"見出し「{name}」の列が見つかりません。",
            f"1行目に「{name}」という見出しを入れてください。今ある見出し: {existing}",
        )


def _broken_cells(
    table: SheetTable,
    number: int,
    value_row: tuple[object, ...],
    formula_row: tuple[object, ...] | None,
    watched: list[int],
) -> set[int]:
    broken: set[int] = set()
    for index in watched:
        value = value_row[index]
        if value is None and formula_row is not None and _is_formula(formula_row[index]):
            broken.add(index)
            table.report(
                Severity.ERROR,
                number,
                _column_name(table, index),
                "数式の結果が保存されていません。",
                "Excelで開いて保存し直してください(数式をやめて値を直接入力しても構いません)。",
                cell=cell_ref(number, index),
            )
        elif isinstance(value, str) and value.strip() in EXCEL_ERROR_VALUES:
            broken.add(index)
            table.report(
                Severity.ERROR,
                number,
                _column_name(table, index),
                f"セルがエラー({value.strip()})になっています。",
                "数式を直すか、値を直接入力してください。",
                cell=cell_ref(number, index),
            )
    return broken


def _is_formula(value: object) -> bool:
    if isinstance(value, (ArrayFormula, DataTableFormula)):
        return True
    return isinstance(value, str) and value.startswith("=")


def _column_name(table: SheetTable, index: int) -> str | None:
    for name, position in table.columns.items():
        if position == index:
            return name
    return None


def _headerless_data(
    table: SheetTable, number: int, value_row: tuple[object, ...], reported: set[int]
) -> None:
    # Data without a header is usually a value typed one column too far to the right.
    used = set(table.columns.values())
    for index, value in enumerate(value_row):
        if index in used or index in reported or is_blank(value):
            continue
        reported.add(index)
        ref = cell_ref(number, index)
        table.report(
            Severity.WARNING,
            number,
            None,
            f"見出しのない列にデータがあります({ref})。この列は読みません。",
            "列がずれていないか確かめてください。必要な値なら、見出しのある列に移してください。",
            cell=ref,
        )


def _empty_gap(table: SheetTable, first: int, last: int) -> None:
    where = f"{first}行目" if first == last else f"{first}〜{last}行目"
    table.report(
        Severity.WARNING,
        first,
        None,
        f"{where}が空行ですが、その下にもデータがあります。",
        "うっかり空けた行なら削除してください(空行の下も読み込まれます)。",
    )


def _report_merges(table: SheetTable, scan: SheetScan) -> None:
    for ref in scan.merged:
        try:
            min_col, min_row, _max_col, max_row = range_boundaries(ref)
        except ValueError:
            continue
        if min_col is None or min_row is None or min_col > MAX_COLUMNS:
            continue
        if max_row is not None and max_row <= 1:
            table.report(
                Severity.WARNING,
                1,
                None,
                f"見出しのセルが結合されています({ref})。",
                UNMERGE_FIX,
                cell=ref,
            )
        else:
            table.report(
                Severity.ERROR,
                max(min_row, 2),
                None,
                f"セルが結合されています({ref})。結合されたセルは最初のセルにしか値が入りません。",
                UNMERGE_FIX,
                cell=ref,
            )


def far_header(worksheet: object) -> dict[int, object]:
    """Row-1 cells beyond the columns read, by 0-based index (a header there is out of reach)."""
    # openpyxl knows each sheet's used range from opening it: row 1 is read again only when that
    # range reaches past the columns read, or the file does not record it.
    used = getattr(worksheet, "max_column", None)
    if isinstance(used, int) and used <= MAX_COLUMNS:
        return {}
    rows = worksheet.iter_rows(  # type: ignore[attr-defined]
        min_row=1, max_row=1, min_col=MAX_COLUMNS + 1, max_col=EXCEL_COLUMNS, values_only=True
    )
    for row in rows:
        return {MAX_COLUMNS + i: v for i, v in enumerate(row) if not is_blank(v)}
    return {}


def iter_bounded(worksheet: object, spec: SheetSpec) -> Iterator[tuple[object, ...]]:
    """Rows of a read-only worksheet, bounded to the sheet's row cap and the column cap."""
    return worksheet.iter_rows(  # type: ignore[attr-defined]
        min_row=1, max_row=spec.max_rows + 2, max_col=MAX_COLUMNS, values_only=True
    )


def iter_bounded_dates(worksheet: object, spec: SheetSpec) -> Iterator[tuple[object, ...]]:
    """Like iter_bounded, but a cell formatted as a date without a time reads as a date.

    openpyxl reads every Excel date as a datetime at 0:00; only the cell's number format says
    whether staff typed a day (a notice ending on 9/1 lasts all that day) or a moment (9/1 0:00).
    Reading formats costs more, so only small sheets with dates (設定) are read this way.
    """
    rows = worksheet.iter_rows(  # type: ignore[attr-defined]
        min_row=1, max_row=spec.max_rows + 2, max_col=MAX_COLUMNS
    )
    for row in rows:
        yield tuple(_day_or_value(cell) for cell in row)


_QUOTED_OR_BRACKETED = re.compile(r'"[^"]*"|\[[^\]]*\]|\\.')  # literal text, [$-411] etc.


def _day_or_value(cell: object) -> object:
    value = getattr(cell, "value", None)
    if isinstance(value, dt.datetime) and value.time() == dt.time():
        number_format = str(getattr(cell, "number_format", "") or "")
        shown = _QUOTED_OR_BRACKETED.sub("", number_format).lower()
        if shown and "h" not in shown and "s" not in shown:
            return value.date()
    return value
