"""Validate an uploaded FAQ workbook end to end: never raises, reports every problem at once."""

from __future__ import annotations

import hashlib
import io
import time
import zipfile

from openpyxl import load_workbook
from openpyxl.utils.cell import column_index_from_string

from madoguchi.clock import Clock, system_clock, utc_now
from madoguchi.model import BotSettings, FaqWorkbook
from madoguchi.workbook.cells import fold
from madoguchi.workbook.faq_sheet import FAQ_SPEC, parse_faqs
from madoguchi.workbook.menu_sheet import MENU_SPEC, parse_menu
from madoguchi.workbook.problems import Problem, Severity, ValidationResult
from madoguchi.workbook.safe_open import check_file
from madoguchi.workbook.settings_sheet import SETTINGS_SPEC, parse_settings
from madoguchi.workbook.sheet_xml import SheetScan, scan_sheet, sheet_paths
from madoguchi.workbook.synonyms_sheet import SYNONYMS_SPEC, parse_synonyms
from madoguchi.workbook.table import SheetSpec, SheetTable, iter_bounded, read_table
from madoguchi.workbook.tests_sheet import TESTS_SPEC, parse_tests

SPECS: tuple[SheetSpec, ...] = (FAQ_SPEC, SYNONYMS_SPEC, SETTINGS_SPEC, MENU_SPEC, TESTS_SPEC)
GUIDE_SHEET = "使い方"
KNOWN_SHEETS = "・".join(f"「{name}」" for name in [s.name for s in SPECS] + [GUIDE_SHEET])


def validate_workbook(
    data: bytes, *, filename: str = "faq.xlsx", clock: Clock = system_clock
) -> ValidationResult:
    """Read and check a workbook file; the result says whether it may be published and why not.

    `clock` tells a notice in 設定 that has already ended."""
    started = time.perf_counter()
    data = bytes(data)
    problems: list[Problem] = []
    workbook: FaqWorkbook | None = None
    sheet_order: list[str] = []
    refused = check_file(data, filename)
    if refused is not None:
        problems.append(refused)
    else:
        try:
            workbook = _read(data, problems, sheet_order, clock)
        except Exception as exc:  # a corrupt part may fail anywhere inside openpyxl
            workbook = None
            problems = [_corrupt(exc)]
    return ValidationResult(
        workbook=workbook,
        problems=_in_sheet_order(problems, sheet_order),
        checksum=hashlib.sha256(data).hexdigest(),
        seconds=time.perf_counter() - started,
    )


def _corrupt(exc: Exception) -> Problem:
    return Problem(
        Severity.ERROR,
        f"ファイルの中身が壊れているため、読み取れませんでした(詳細: {type(exc).__name__})。",
        "Excelで開けるか確かめ、開けたら「名前を付けて保存」で .xlsx として保存し直してください。",
    )


def _read(
    data: bytes, problems: list[Problem], sheet_order: list[str], clock: Clock
) -> FaqWorkbook:
    archive = zipfile.ZipFile(io.BytesIO(data))
    values_book = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    formulas_book = None
    try:
        paths = sheet_paths(archive)
        sheet_order.extend(values_book.sheetnames)
        titles = _match_sheets(values_book.sheetnames, problems)
        tables: dict[str, SheetTable] = {}
        for spec in SPECS:
            title = titles.get(spec.name)
            if title is None:
                continue
            path = paths.get(title)
            # Without a known part, assume formulas so every cell still gets checked.
            scan = scan_sheet(archive, path) if path else SheetScan((), True)
            formulas = None
            if scan.has_formulas:
                if formulas_book is None:
                    formulas_book = load_workbook(io.BytesIO(data), read_only=True)
                formulas = iter_bounded(formulas_book[title], spec)
            values = iter_bounded(values_book[title], spec)
            tables[spec.name] = read_table(title, values, formulas, scan, spec, problems)
    finally:
        archive.close()
        values_book.close()
        if formulas_book is not None:
            formulas_book.close()
    return _build(tables, problems, clock)


def _build(tables: dict[str, SheetTable], problems: list[Problem], clock: Clock) -> FaqWorkbook:
    faq_table = tables.get(FAQ_SPEC.name)
    if faq_table is None:
        problems.append(
            Problem(
                Severity.ERROR,
                "「FAQ」シートが見つかりません。",
                "FAQを書いたシートの名前を「FAQ」にしてください(シート見出しをダブルクリックで変更)。",
            )
        )
    faqs = parse_faqs(faq_table) if faq_table is not None and faq_table.usable else []

    def usable(name: str) -> SheetTable | None:
        table = tables.get(name)
        return table if table is not None and table.usable else None

    synonyms = parse_synonyms(table) if (table := usable(SYNONYMS_SPEC.name)) else []
    menu_table = usable(MENU_SPEC.name)
    menu = parse_menu(menu_table, faqs) if menu_table else []
    tabs = [tab.name for tab in menu] if menu_table else None
    settings = BotSettings()
    if table := usable(SETTINGS_SPEC.name):
        settings = parse_settings(table, now=utc_now(clock), menu_tabs=tabs)
    tests = parse_tests(table, faqs) if (table := usable(TESTS_SPEC.name)) else []
    return FaqWorkbook(
        faqs=tuple(faqs),
        synonyms=tuple(synonyms),
        settings=settings,
        menu=tuple(menu),
        tests=tuple(tests),
    )


def _match_sheets(sheetnames: list[str], problems: list[Problem]) -> dict[str, str]:
    """Canonical sheet name -> title in the file; unknown and doubled sheets are reported."""
    wanted = {fold(s.name).casefold(): s.name for s in SPECS}
    wanted[fold(GUIDE_SHEET)] = GUIDE_SHEET
    found: dict[str, str] = {}
    for title in sheetnames:
        name = wanted.get(fold(title).casefold())
        if name is None:
            problems.append(
                Problem(
                    Severity.WARNING,
                    f"「{title}」シートは使われません(読み飛ばします)。",
                    f"使えるシートは {KNOWN_SHEETS} です。"
                    "メモ用のシートなら、このままで大丈夫です。",
                    sheet=title,
                )
            )
        elif name in found:
            problems.append(
                Problem(
                    Severity.WARNING,
                    f"「{name}」シートが2つあります。左側の「{found[name]}」だけを読みます。",
                    "使わない方のシートを削除するか、名前を変えてください。",
                    sheet=title,
                )
            )
        else:
            found[name] = title
    return found


def _in_sheet_order(problems: list[Problem], sheet_order: list[str]) -> list[Problem]:
    """File-level problems first, then by sheet tab order, row and column."""
    rank = {title: i for i, title in enumerate(sheet_order)}

    def key(problem: Problem) -> tuple[int, int, int]:
        sheet_rank = -1 if problem.sheet is None else rank.get(problem.sheet, len(rank))
        return (sheet_rank, problem.row or 0, _column_number(problem.cell))

    return sorted(problems, key=key)


def _column_number(cell: str | None) -> int:
    letters = "".join(ch for ch in (cell or "").split(":")[0] if ch.isalpha())
    try:
        return column_index_from_string(letters.upper()) if letters else 0
    except ValueError:
        return 0
