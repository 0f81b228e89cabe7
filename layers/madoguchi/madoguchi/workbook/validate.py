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
from madoguchi.workbook.bounds import survey
from madoguchi.workbook.cells import fold
from madoguchi.workbook.departments_sheet import (
    DEPARTMENTS_SPEC,
    check_references,
    parse_departments,
)
from madoguchi.workbook.faq_sheet import FAQ_SPEC, parse_faqs
from madoguchi.workbook.lines_sheet import LINES_SPEC, parse_lines
from madoguchi.workbook.menu_sheet import MENU_SPEC, parse_menu
from madoguchi.workbook.problems import Problem, Severity, ValidationResult
from madoguchi.workbook.refusals_sheet import REFUSALS_SPEC, parse_refusals
from madoguchi.workbook.safe_open import check_file, package_notes
from madoguchi.workbook.settings_sheet import SETTINGS_SPEC, parse_settings
from madoguchi.workbook.sheet_match import match_sheets
from madoguchi.workbook.sheet_xml import SheetScan
from madoguchi.workbook.shelters_sheet import SHELTERS_SPEC, parse_shelters
from madoguchi.workbook.synonyms_sheet import SYNONYMS_SPEC, parse_synonyms
from madoguchi.workbook.table import (
    SheetSpec,
    SheetTable,
    far_header,
    iter_bounded,
    iter_bounded_dates,
    read_table,
)
from madoguchi.workbook.tests_sheet import TESTS_SPEC, parse_tests
from madoguchi.workbook.translations_sheet import (
    TRANSLATIONS_SPEC,
    parse_translations,
    with_translations,
)

SPECS: tuple[SheetSpec, ...] = (
    FAQ_SPEC,
    SYNONYMS_SPEC,
    SETTINGS_SPEC,
    MENU_SPEC,
    TESTS_SPEC,
    REFUSALS_SPEC,
    DEPARTMENTS_SPEC,
    LINES_SPEC,
    SHELTERS_SPEC,
    TRANSLATIONS_SPEC,
)


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
) -> FaqWorkbook | None:
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        # Counted before openpyxl opens the file: opening alone reads every string and style.
        surveyed = survey(archive)
        if surveyed.refused is not None:
            problems.append(surveyed.refused)
            return None
        problems.extend(package_notes(archive))
    scans = surveyed.scans
    values_book = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    formulas_book = None
    try:
        sheet_order.extend(values_book.sheetnames)
        states = [(title, values_book[title].sheet_state) for title in sheet_order]
        names = [spec.name for spec in SPECS]
        titles = match_sheets(states, names, problems)
        lost = _report_missing_parts(surveyed.missing, names, titles, problems)
        tables: dict[str, SheetTable] = {}
        for spec in SPECS:
            title = titles.get(spec.name)
            if title is None:
                continue
            sheet = values_book[title]
            if not hasattr(sheet, "iter_rows"):
                problems.append(_chart_sheet(spec.name, title))
                continue
            # Without a scan (no part found), assume formulas so every cell still gets checked.
            scan = scans.get(title) or SheetScan((), True)
            formulas = None
            if scan.has_formulas:
                if formulas_book is None:
                    formulas_book = load_workbook(io.BytesIO(data), read_only=True)
                formulas = iter_bounded(formulas_book[title], spec)
            # 設定 holds the notice's dates, whose cell format tells a day from a moment.
            rows = iter_bounded_dates if spec is SETTINGS_SPEC else iter_bounded
            values = rows(sheet, spec)
            far = far_header(sheet) if spec.has_header else {}
            tables[spec.name] = read_table(title, values, formulas, scan, spec, problems, far)
    finally:
        values_book.close()
        if formulas_book is not None:
            formulas_book.close()
    has_faq = FAQ_SPEC.name in titles or FAQ_SPEC.name in lost
    return _build(tables, problems, has_faq, clock)


def _report_missing_parts(
    missing: tuple[str, ...], names: list[str], titles: dict[str, str], problems: list[Problem]
) -> set[str]:
    """Sheets listed in the workbook whose content is not in the file; returns the names lost."""
    by_key = {fold(name).casefold(): name for name in names}
    lost: set[str] = set()
    for title in missing:
        name = by_key.get(fold(title).casefold())
        if name is None or name in titles:
            continue
        lost.add(name)
        problems.append(
            Problem(
                Severity.ERROR,
                f"「{title}」シートはありますが、その中身がファイルの中に見つかりません"
                "(ファイルが壊れています)。",
                "Excelで開けるか確かめ、開けたら「名前を付けて保存」で .xlsx として"
                "保存し直してください。",
                sheet=title,
            )
        )
    return lost


def _chart_sheet(name: str, title: str) -> Problem:
    return Problem(
        Severity.ERROR,
        f"「{title}」シートはグラフのシートなので、表として読み取れません。",
        f"グラフのシートの名前を別のものに変え、{name}を書いた普通のシートの名前を"
        f"「{name}」にしてください。",
        sheet=title,
    )


def _build(
    tables: dict[str, SheetTable], problems: list[Problem], has_faq: bool, clock: Clock
) -> FaqWorkbook:
    faq_table = tables.get(FAQ_SPEC.name)
    if faq_table is None and not has_faq:
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

    if table := usable(TRANSLATIONS_SPEC.name):
        faqs = with_translations(faqs, parse_translations(table, faqs))
    synonyms = parse_synonyms(table) if (table := usable(SYNONYMS_SPEC.name)) else []
    menu_table = usable(MENU_SPEC.name)
    menu = parse_menu(menu_table, faqs) if menu_table else []
    tabs = [tab.name for tab in menu] if menu_table else None
    settings = BotSettings()
    if table := usable(SETTINGS_SPEC.name):
        settings = parse_settings(table, now=utc_now(clock), menu_tabs=tabs)
    tests = parse_tests(table, faqs) if (table := usable(TESTS_SPEC.name)) else []
    refusals = parse_refusals(table, faqs) if (table := usable(REFUSALS_SPEC.name)) else []
    departments = []
    if table := usable(DEPARTMENTS_SPEC.name):
        departments = parse_departments(table)
        if faq_table is not None:
            check_references(faq_table, faqs, departments)
    lines = parse_lines(table) if (table := usable(LINES_SPEC.name)) else []
    shelters = parse_shelters(table) if (table := usable(SHELTERS_SPEC.name)) else []
    return FaqWorkbook(
        faqs=tuple(faqs),
        synonyms=tuple(synonyms),
        settings=settings,
        menu=tuple(menu),
        tests=tuple(tests),
        refusals=tuple(refusals),
        departments=tuple(departments),
        consultation_lines=tuple(lines),
        shelters=tuple(shelters),
    )


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
