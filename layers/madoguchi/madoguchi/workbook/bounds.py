"""Count what openpyxl would parse (strings, cells, tags) and refuse too much before loading.

openpyxl reads every shared string and style when a workbook is opened, and every cell of a sheet
it reads: a few megabytes on disk can hold millions of them and take minutes. These counts stream
each part once in bounded chunks and stop as soon as a limit is passed.
"""

from __future__ import annotations

import re
import zipfile
from dataclasses import dataclass

from madoguchi.workbook.problems import Problem, Severity
from madoguchi.workbook.sheet_xml import SheetScan, scan_sheet, sheet_paths, tag_aligned_chunks

# Each limit is well above what a 20,000-row FAQ workbook needs, and keeps openpyxl's work to
# seconds: it reads about 50,000 shared strings, 100,000 cells or 40,000 styles a second.
MAX_STRINGS = 200_000  # shared strings (distinct texts) in the workbook
MAX_STRING_TAGS = 3_000_000  # tags in the shared strings: formatted runs, phonetic guides
MAX_CELLS = 500_000  # cells in all sheets together
MAX_SHEET_TAGS = 3_000_000  # tags in one sheet: rows and cells with their parts
MAX_PART_TAGS = 300_000  # tags in any other part: styles, defined names, drawings, comments

SHARED_STRINGS = "xl/sharedStrings.xml"
_XML_SUFFIXES = (".xml", ".rels", ".vml")
_STRING = re.compile(rb"<(?:\w+:)?si[\s>/]")
_DOCTYPE = b"<!DOCTYPE"

REBUILD_FIX = (
    "FAQに使うシートだけを新しいブックにコピーし(シート見出しを右クリック→「移動またはコピー」→"
    "「新しいブック」、「コピーを作成する」にチェック)、そのブックを保存してアップロードしてください。"
)


@dataclass(frozen=True)
class PartCount:
    """Tags (an opening or closing "<") and matches of a pattern in one part, counted in chunks."""

    tags: int
    matches: int
    doctype: bool
    complete: bool


def count_part(
    archive: zipfile.ZipFile,
    name: str,
    tag_limit: int,
    pattern: re.Pattern[bytes] | None = None,
    match_limit: int | None = None,
) -> PartCount:
    """Count one part, stopping at the first chunk that passes a limit or holds a DTD."""
    tags = matches = 0
    with archive.open(name) as source:
        for number, chunk in enumerate(tag_aligned_chunks(source)):
            tags += chunk.count(b"<")
            if pattern is not None:
                matches += len(pattern.findall(chunk))
            if number == 0 and _DOCTYPE in chunk:  # a DTD can only precede the root element
                return PartCount(tags, matches, True, False)
            over_matches = match_limit is not None and matches > match_limit
            if tags > tag_limit or over_matches:
                return PartCount(tags, matches, False, False)
    return PartCount(tags, matches, False, True)


@dataclass(frozen=True)
class Survey:
    """Scans of the sheets by title, the sheets whose part is missing, or the refusal."""

    scans: dict[str, SheetScan]
    missing: tuple[str, ...] = ()
    refused: Problem | None = None


def survey(archive: zipfile.ZipFile) -> Survey:
    """Scan every sheet and count every other part; refuse at the first limit passed."""
    for name in ("xl/workbook.xml", "xl/_rels/workbook.xml.rels"):
        # sheet_paths parses these two whole, so they are counted before it runs.
        if name in archive.NameToInfo:
            found = _check_part(archive, name)
            if found is not None:
                return Survey({}, refused=found)
    paths = sheet_paths(archive)
    sheet_parts = set(paths.values())
    for info in archive.infolist():
        name = info.filename
        if name in sheet_parts or name in ("xl/workbook.xml", "xl/_rels/workbook.xml.rels"):
            continue
        if name.lower().endswith(_XML_SUFFIXES) or name == "[Content_Types].xml":
            found = _check_part(archive, name)
            if found is not None:
                return Survey({}, refused=found)
    scans: dict[str, SheetScan] = {}
    missing: list[str] = []
    cells: dict[str, int] = {}
    for title, path in paths.items():
        if path not in archive.NameToInfo:
            missing.append(title)  # openpyxl leaves such a sheet out without a word
            continue
        left = MAX_CELLS - sum(cells.values())
        scan = scan_sheet(archive, path, cell_limit=left, tag_limit=MAX_SHEET_TAGS)
        cells[title] = scan.cells
        if scan.doctype:
            return Survey({}, refused=_doctype(f"「{title}」シート"))
        if scan.tags > MAX_SHEET_TAGS:
            return Survey({}, refused=_too_many_sheet_tags(title))
        if not scan.complete:
            return Survey({}, refused=_too_many_cells(max(cells, key=cells.__getitem__)))
        scans[title] = scan
    return Survey(scans, tuple(missing))


def _check_part(archive: zipfile.ZipFile, name: str) -> Problem | None:
    if name == SHARED_STRINGS:
        count = count_part(archive, name, MAX_STRING_TAGS, _STRING, MAX_STRINGS)
        if count.doctype:
            return _doctype("文字列の一覧")
        if count.matches > MAX_STRINGS:
            return _refuse(
                f"ファイルに入っている文字列(セルの文章)が多すぎます"
                f"({MAX_STRINGS:,}種類を超えています)。"
                "読み取りに時間がかかりすぎるため、読み取りを中止しました。",
                "FAQに使わないシートや、大量の文字が入った行・列を削除してから保存し直してください。"
                "消せないときは、" + REBUILD_FIX,
            )
        if not count.complete:
            return _refuse(
                "文字の書式(色・太字・ふりがな など)の情報が多すぎます"
                f"(部品の数が {MAX_STRING_TAGS:,}個を超えています)。"
                "読み取りに時間がかかりすぎるため、読み取りを中止しました。",
                "文字ごとに色や書式を変えた大量のセルを、書式なしの文字にしてください"
                "(「ホーム」→「クリア」→「書式のクリア」)。消せないときは、" + REBUILD_FIX,
            )
        return None
    count = count_part(archive, name, MAX_PART_TAGS)
    if count.doctype:
        return _doctype(f"部品「{name}」")
    if count.complete:
        return None
    what, fix = _part_description(name)
    return _refuse(
        f"{what}が多すぎます(部品「{name}」の要素が {MAX_PART_TAGS:,}個を超えています)。"
        "読み取りに時間がかかりすぎるため、読み取りを中止しました。",
        fix,
    )


def _part_description(name: str) -> tuple[str, str]:
    if name == "xl/styles.xml":
        return (
            "セルの書式(セルのスタイル)",
            "ほかのブックからコピーを重ねると、使わない書式がたまります。" + REBUILD_FIX,
        )
    if name in ("xl/workbook.xml", "xl/_rels/workbook.xml.rels"):
        return (
            "「名前の定義」などのブック全体の情報",
            "「数式」→「名前の管理」で使っていない名前を削除してください。消せないときは、"
            + REBUILD_FIX,
        )
    return (
        "図形・グラフ・コメントなどの情報",
        "不要な図形・グラフ・コメントを削除してください。消せないときは、" + REBUILD_FIX,
    )


def _too_many_cells(title: str) -> Problem:
    return Problem(
        Severity.ERROR,
        f"セルが多すぎます(ブック全体で {MAX_CELLS:,}個を超えています)。"
        "読み取りに時間がかかりすぎるため、読み取りを中止しました。",
        f"「{title}」シートの、使っていない行・列(書式や罫線だけが設定されたものも含みます)を"
        "選んで右クリック→「削除」で消してから保存し直してください。"
        "FAQに使わない大きな表は、別のファイルに移してください。",
        sheet=title,
    )


def _too_many_sheet_tags(title: str) -> Problem:
    return Problem(
        Severity.ERROR,
        f"シートの中身(行・セルの情報)が多すぎます(要素が {MAX_SHEET_TAGS:,}個を超えています)。"
        "読み取りに時間がかかりすぎるため、読み取りを中止しました。",
        f"「{title}」シートの使っていない行・列を削除して保存し直してください。"
        "消せないときは、" + REBUILD_FIX,
        sheet=title,
    )


def _doctype(where: str) -> Problem:
    return _refuse(
        f"{where}に、Excelでは作られない特殊な記述(DTD)が含まれています。"
        "安全のため読み取りを中止しました。",
        "Excel以外のソフトで作ったファイルなら、Excelで開いて「名前を付けて保存」で"
        "「Excel ブック (*.xlsx)」を選んで保存し直してください。",
    )


def _refuse(message: str, fix: str) -> Problem:
    return Problem(Severity.ERROR, message, fix)
