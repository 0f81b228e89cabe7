"""Broken and hostile workbooks, built for real with openpyxl and zipfile, with what staff are told.

Each `Kind` builds the bytes of one upload and states the outcome: refused with a message that
names the cause, or published (possibly with a warning). The reliability test asserts every kind;
`scripts/reliability_workbooks.py` times them and prints the README table.

    for kind in KINDS:
        result = validate_workbook(kind.build())
"""

from __future__ import annotations

import io
import zipfile
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass

from openpyxl import Workbook

from madoguchi.workbook import ValidationResult
from tests.support.workbooks import FAQ_HEADER, faq_row, make_workbook

MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
PKG_REL = "http://schemas.openxmlformats.org/package/2006/relationships"
SHEET_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"
WORKBOOK_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"
MACRO_WORKBOOK_TYPE = "application/vnd.ms-excel.sheet.macroEnabled.main+xml"
STRINGS_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"
STYLES_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"

PUBLISHED, REFUSED = "published", "refused"


@dataclass(frozen=True)
class Kind:
    """One kind of upload: how to build it and what must come of it."""

    name: str
    build: Callable[[], bytes]
    outcome: str  # PUBLISHED or REFUSED
    says: str = ""  # text one problem of the expected severity must contain (message or fix)
    check: Callable[[ValidationResult], None] | None = None  # further assertions


# ---------------------------------------------------------------- building blocks


def package(parts: Mapping[str, bytes | str], method: int = zipfile.ZIP_DEFLATED) -> bytes:
    """A zip with the given members, in order."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", method) as archive:
        for name, content in parts.items():
            archive.writestr(name, content)
    return out.getvalue()


def rezip(data: bytes, change: Callable[[str, bytes], bytes | None]) -> bytes:
    """Copy a package; `change(name, content)` returns new content, or None to drop the member."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as source, zipfile.ZipFile(out, "w") as target:
        for info in source.infolist():
            content = change(info.filename, source.read(info.filename))
            if content is not None:
                target.writestr(info.filename, content, zipfile.ZIP_DEFLATED)
    return out.getvalue()


def good_rows(count: int = 3) -> list[list[object]]:
    rows: list[list[object]] = [list(FAQ_HEADER)]
    return rows + [faq_row(i, f"質問{i}です", f"回答{i}です。") for i in range(1, count + 1)]


def good() -> bytes:
    """A small valid workbook as openpyxl writes it."""
    return make_workbook({"FAQ": good_rows()})


def esc(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def inline_row(number: int, values: Sequence[object]) -> str:
    """A <row> of inline-string and number cells from column A."""
    from openpyxl.utils import get_column_letter

    cells = []
    for index, value in enumerate(values):
        ref = f"{get_column_letter(index + 1)}{number}"
        if value is None:
            continue
        if isinstance(value, (int, float)):
            cells.append(f'<c r="{ref}"><v>{value}</v></c>')
        else:
            cells.append(f'<c r="{ref}" t="inlineStr"><is><t>{esc(str(value))}</t></is></c>')
    return f'<row r="{number}">{"".join(cells)}</row>'


def sheet_xml(rows: str | bytes, *, dimension: str | None = "A1:C4", extra: str = "") -> bytes:
    head = f'<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="{MAIN}">'
    if dimension:
        head += f'<dimension ref="{dimension}"/>'
    body = rows.encode() if isinstance(rows, str) else rows
    return (
        head.encode() + b"<sheetData>" + body + b"</sheetData>" + extra.encode() + b"</worksheet>"
    )


def faq_sheet_xml(count: int = 3) -> bytes:
    rows = [inline_row(1, ["ID", "質問", "回答"])]
    rows += [inline_row(n + 1, [n, f"質問{n}です", f"回答{n}です。"]) for n in range(1, count + 1)]
    return sheet_xml("".join(rows))


def raw_workbook(
    sheets: dict[str, bytes],
    *,
    shared: bytes | None = None,
    styles: bytes | None = None,
    states: dict[str, str] | None = None,
    workbook_extra: str = "",
    workbook_type: str = WORKBOOK_TYPE,
    extra_parts: Mapping[str, bytes | str] | None = None,
) -> bytes:
    """A package written part by part, for what openpyxl would never write itself."""
    states = states or {}
    overrides = [f'<Override PartName="/xl/workbook.xml" ContentType="{workbook_type}"/>']
    rels, entries, parts = [], [], {}
    for number, (title, xml) in enumerate(sheets.items(), start=1):
        path = f"worksheets/sheet{number}.xml"
        parts[f"xl/{path}"] = xml
        overrides.append(f'<Override PartName="/xl/{path}" ContentType="{SHEET_TYPE}"/>')
        rels.append(f'<Relationship Id="rId{number}" Type="{REL}/worksheet" Target="{path}"/>')
        state = f' state="{states[title]}"' if title in states else ""
        entries.append(f'<sheet name="{esc(title)}" sheetId="{number}"{state} r:id="rId{number}"/>')
    for name, content, kind, ctype in (
        ("sharedStrings.xml", shared, "sharedStrings", STRINGS_TYPE),
        ("styles.xml", styles, "styles", STYLES_TYPE),
    ):
        if content is not None:
            parts[f"xl/{name}"] = content
            overrides.append(f'<Override PartName="/xl/{name}" ContentType="{ctype}"/>')
            rels.append(f'<Relationship Id="rIdx{kind}" Type="{REL}/{kind}" Target="{name}"/>')
    content_types = (
        '<?xml version="1.0" encoding="UTF-8"?>'
        '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
        '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.'
        'relationships+xml"/><Default Extension="xml" ContentType="application/xml"/>'
        + "".join(overrides)
        + "</Types>"
    )
    workbook = (
        f'<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="{MAIN}" xmlns:r="{REL}">'
        f"<sheets>{''.join(entries)}</sheets>{workbook_extra}</workbook>"
    )
    root_rels = (
        f'<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="{PKG_REL}">'
        f'<Relationship Id="rId1" Type="{REL}/officeDocument" Target="xl/workbook.xml"/>'
        "</Relationships>"
    )
    workbook_rels = (
        f'<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="{PKG_REL}">'
        + "".join(rels)
        + "</Relationships>"
    )
    return package(
        {
            "[Content_Types].xml": content_types,
            "_rels/.rels": root_rels,
            "xl/workbook.xml": workbook,
            "xl/_rels/workbook.xml.rels": workbook_rels,
            **parts,
            **(extra_parts or {}),
        }
    )


def shared_strings(texts: Iterable[str]) -> bytes:
    body = "".join(f'<si><t xml:space="preserve">{esc(t)}</t></si>' for t in texts)
    return f'<?xml version="1.0" encoding="UTF-8"?><sst xmlns="{MAIN}">{body}</sst>'.encode()


def shared_faq_sheet(rows: Sequence[Sequence[int | None]]) -> bytes:
    """A sheet whose cells point into the shared-string table by index (None leaves it empty)."""
    from openpyxl.utils import get_column_letter

    out = []
    for number, row in enumerate(rows, start=1):
        cells = "".join(
            f'<c r="{get_column_letter(i + 1)}{number}" t="s"><v>{v}</v></c>'
            for i, v in enumerate(row)
            if v is not None
        )
        out.append(f'<row r="{number}">{cells}</row>')
    return sheet_xml("".join(out))


def with_shared(texts: list[str]) -> bytes:
    """FAQ sheet ID/質問/回答 whose cells are the shared strings given (header first)."""
    table = ["ID", "質問", "回答", *texts]
    rows = [[0, 1, 2]]
    for start in range(3, len(table), 3):
        rows.append([start, start + 1, start + 2])
    return raw_workbook({"FAQ": shared_faq_sheet(rows)}, shared=shared_strings(table))


# ---------------------------------------------------------------- hostile packages


def _table_with(filler: bytes) -> bytes:
    """A shared-string table: header, one FAQ row, then `filler` (raw <si> elements)."""
    head = f'<?xml version="1.0" encoding="UTF-8"?><sst xmlns="{MAIN}">'
    base = "".join(f"<si><t>{t}</t></si>" for t in ("ID", "質問", "回答", "1", "質問1", "回答1"))
    return (head + base).encode() + filler + b"</sst>"


def _first_faq_from_table() -> bytes:
    # One formula (with its saved result) makes the validator read the sheet a second time.
    sheet = shared_faq_sheet([[0, 1, 2], [3, 4, 5]])
    return sheet.replace(
        b"</row></sheetData>", b'<c r="D2"><f>1+1</f><v>2</v></c></row></sheetData>'
    )


def strings_bomb(count: int = 3_000_000) -> bytes:
    """Millions of distinct shared strings: small on disk, slow and large for openpyxl to read."""
    filler = b"".join(b"<si><t>s%d</t></si>" % n for n in range(count))
    return raw_workbook({"FAQ": _first_faq_from_table()}, shared=_table_with(filler))


def rich_text_bomb(strings: int = 20_000, runs: int = 100) -> bytes:
    """Shared strings made of a hundred formatted runs each: two million runs in all."""
    filler = b"".join(
        b"<si>" + b"".join(b"<r><t>%d</t></r>" % (n * runs + j) for j in range(runs)) + b"</si>"
        for n in range(strings)
    )
    return raw_workbook({"FAQ": _first_faq_from_table()}, shared=_table_with(filler))


def cells_bomb(rows: int, columns: int, *, title: str = "FAQ", dimension: bool = True) -> bytes:
    """A sheet packed with numeric cells; on `title` FAQ its first rows are a valid FAQ."""
    from openpyxl.utils import get_column_letter

    letters = [get_column_letter(c + 1).encode() for c in range(columns)]
    out = [inline_row(1, ["ID", "質問", "回答"]).encode()]
    for r in range(2, rows + 2):
        cells = [b'<c r="A%d"><v>%d</v></c>' % (r, r)]
        cells.append(f'<c r="B{r}" t="inlineStr"><is><t>質問{r}</t></is></c>'.encode())
        cells.append(f'<c r="C{r}" t="inlineStr"><is><t>回答{r}</t></is></c>'.encode())
        cells += [b'<c r="%s%d"><v>%d</v></c>' % (letters[c], r, r * c) for c in range(3, columns)]
        out.append(b'<row r="%d">' % r + b"".join(cells) + b"</row>")
    xml = sheet_xml(b"".join(out), dimension="A1:C2" if dimension else None)
    sheets = {"FAQ": faq_sheet_xml(), title: xml} if title != "FAQ" else {"FAQ": xml}
    return raw_workbook(sheets)


def styles_bomb(count: int = 1_000_000) -> bytes:
    """A style sheet with a million cell formats (Excel itself stops at 64,000)."""
    xfs = b"".join(
        b'<xf numFmtId="%d" fontId="0" fillId="0" borderId="0" xfId="0"/>' % (n % 50)
        for n in range(count)
    )
    styles = (
        f'<?xml version="1.0" encoding="UTF-8"?><styleSheet xmlns="{MAIN}">'
        '<fonts count="1"><font><sz val="11"/><name val="Calibri"/></font></fonts>'
        '<fills count="1"><fill><patternFill patternType="none"/></fill></fills>'
        '<borders count="1"><border><left/><right/><top/><bottom/><diagonal/></border></borders>'
        '<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/>'
        f'</cellStyleXfs><cellXfs count="{count}">'
    ).encode()
    return raw_workbook({"FAQ": faq_sheet_xml()}, styles=styles + xfs + b"</cellXfs></styleSheet>")


def names_bomb(count: int = 500_000) -> bytes:
    """Half a million defined names in the workbook part."""
    names = "".join(f'<definedName name="n{n}">FAQ!$A$1</definedName>' for n in range(count))
    return raw_workbook(
        {"FAQ": faq_sheet_xml()}, workbook_extra=f"<definedNames>{names}</definedNames>"
    )


def many_members(count: int = 6_000) -> bytes:
    """A valid workbook carrying thousands of tiny extra members."""
    extra = {f"customXml/item{n}.xml": "<a/>" for n in range(count)}
    return raw_workbook({"FAQ": faq_sheet_xml()}, extra_parts=extra)


def big_in_total(members: int = 120) -> bytes:
    """Members just under the per-member check, but well over the total once unpacked."""
    blank = b" " * (900 * 1024)
    extra = {f"customXml/item{n}.xml": blank for n in range(members)}
    return raw_workbook({"FAQ": faq_sheet_xml()}, extra_parts=extra)


def ratio_bomb() -> bytes:
    def inflate(name: str, content: bytes) -> bytes:
        return content + b" " * (30 * 1024 * 1024) if name == "xl/styles.xml" else content

    return rezip(good(), inflate)


def strict_open_xml() -> bytes:
    """The same workbook saved as "Strict Open XML Spreadsheet" (other namespaces)."""

    def strict(name: str, content: bytes) -> bytes:
        return content.replace(
            MAIN.encode(), b"http://purl.oclc.org/ooxml/spreadsheetml/main"
        ).replace(REL.encode(), b"http://purl.oclc.org/ooxml/officeDocument/relationships")

    return rezip(good(), strict)


def with_doctype(part: str, doctype: bytes) -> bytes:
    """A valid workbook whose `part` starts with a DTD (entities Excel never writes)."""

    def add(name: str, content: bytes) -> bytes:
        if name != part:
            return content
        start = content.find(b"?>") + 2 if content.startswith(b"<?xml") else 0
        return content[:start] + doctype + content[start:]

    return rezip(good(), add)


BILLION_LAUGHS = (
    b'<!DOCTYPE lolz [<!ENTITY lol "lol">'
    + b"".join(
        b'<!ENTITY lol%d "%s">' % (n, (b"&lol%d;" % (n - 1) if n > 1 else b"&lol;") * 10)
        for n in range(1, 10)
    )
    + b"]>"
)
EXTERNAL_ENTITY = b'<!DOCTYPE x [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>'


def encrypted_member() -> bytes:
    """A zip whose members carry the "encrypted" flag (a ZIP password, not Excel's)."""
    data = bytearray(good())
    with zipfile.ZipFile(io.BytesIO(bytes(data))) as archive:
        offsets = [i.header_offset for i in archive.infolist()]
    for offset in offsets:
        data[offset + 6] |= 0x01  # general purpose flag, local header
    start = 0
    while (found := data.find(b"PK\x01\x02", start)) >= 0:
        data[found + 8] |= 0x01  # general purpose flag, central directory
        start = found + 4
    return bytes(data)


def flipped_bytes() -> bytes:
    """Compressed data damaged in the middle of the sheet part (CRC no longer matches)."""
    rows = [FAQ_HEADER] + [faq_row(i, f"質問{i}", f"回答{i}" * 20) for i in range(1, 200)]
    data = bytearray(make_workbook({"FAQ": rows}))
    with zipfile.ZipFile(io.BytesIO(bytes(data))) as archive:
        info = archive.getinfo("xl/worksheets/sheet1.xml")
    start = info.header_offset + 30 + len(info.filename) + info.compress_size // 2
    for n in range(start, start + 16):
        data[n] ^= 0xFF
    return bytes(data)


def ole2(stream: str) -> bytes:
    magic = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
    return magic + b"\x00" * 504 + stream.encode("utf-16-le") + b"\x00" * 512


def zip_of(names: Iterable[str]) -> bytes:
    return package({name: "<x/>" for name in names})


# ---------------------------------------------------------------- workbooks staff could make


def openpyxl_book(build: Callable[[Workbook], None]) -> bytes:
    book = Workbook()
    book.remove(book.active)
    build(book)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def hidden_faq_with_visible_copy(state: str = "hidden", copy_title: str = "FAQ (2)") -> bytes:
    def build(book: Workbook) -> None:
        old = book.create_sheet("FAQ")
        for row in good_rows(2):
            old.append(row)
        old.sheet_state = state
        new = book.create_sheet(copy_title)
        for row in good_rows(3):
            new.append(row)

    return openpyxl_book(build)


def macro_enabled() -> bytes:
    def add(name: str, content: bytes) -> bytes:
        if name == "[Content_Types].xml":
            return content.replace(WORKBOOK_TYPE.encode(), MACRO_WORKBOOK_TYPE.encode())
        return content

    data = rezip(good(), add)
    out = io.BytesIO(data)
    with zipfile.ZipFile(out, "a") as archive:
        archive.writestr("xl/vbaProject.bin", b"\xd0\xcf\x11\xe0" + b"\x00" * 1024)
    return out.getvalue()


def far_header(name: str, column: int = 45) -> bytes:
    """FAQ header with `name` moved to a column beyond the ones read."""
    header: list[object] = [h if h != name else None for h in FAQ_HEADER]
    header += [None] * (column - 1 - len(header)) + [name]
    rows = [header]
    for n in range(1, 3):
        row: list[object] = faq_row(n, f"質問{n}", f"回答{n}", published="×" if n == 2 else "")
        value = row[FAQ_HEADER.index(name)]
        row[FAQ_HEADER.index(name)] = None
        row += [None] * (column - 1 - len(row)) + [value]
        rows.append(row)
    return make_workbook({"FAQ": rows})


def faq_with(*rows: list[object], **sheets: Sequence[Sequence[object]]) -> bytes:
    return make_workbook({"FAQ": [FAQ_HEADER, *rows], **sheets})


def answer_of(faq_id: str, expected: str) -> Callable[[ValidationResult], None]:
    def check(result: ValidationResult) -> None:
        assert result.workbook is not None
        found = {f.id: f for f in result.workbook.faqs}
        assert found[faq_id].answer == expected, repr(found[faq_id].answer)

    return check


def warned_at(cell: str, text: str) -> Callable[[ValidationResult], None]:
    def check(result: ValidationResult) -> None:
        hits = [p for p in result.warnings if p.cell == cell and text in p.message]
        assert hits, [(p.cell, p.message) for p in result.problems]

    return check


def both(*checks: Callable[[ValidationResult], None]) -> Callable[[ValidationResult], None]:
    def check(result: ValidationResult) -> None:
        for one in checks:
            one(result)

    return check


def too_many_rows() -> bytes:
    """One row past the FAQ sheet's 20,000 (written directly: openpyxl takes seconds for this)."""
    rows = [inline_row(1, ["ID", "質問", "回答"])]
    rows += [inline_row(n + 1, [n, f"質問{n}", f"回答{n}"]) for n in range(1, 20_002)]
    return raw_workbook({"FAQ": sheet_xml("".join(rows), dimension="A1:C20002")})


def empty_rows_to_the_end() -> bytes:
    """A valid FAQ followed by a million empty row elements (rows Excel keeps for formatting)."""
    rows = "".join(inline_row(n + 1, [n, f"質問{n}", f"回答{n}"]) for n in range(1, 4))
    blanks = b"".join(b'<row r="%d" s="1" customFormat="1"/>' % n for n in range(5, 1_000_000))
    xml = sheet_xml(inline_row(1, ["ID", "質問", "回答"]).encode() + rows.encode() + blanks)
    return raw_workbook({"FAQ": xml})


def chartsheet_named_faq() -> bytes:
    def build(book: Workbook) -> None:
        from openpyxl.chart import BarChart, Reference

        data = book.create_sheet("データ")
        for row in ([1], [2], [3]):
            data.append(row)
        chart_sheet = book.create_chartsheet("FAQ")
        chart = BarChart()
        chart.add_data(Reference(data, min_col=1, min_row=1, max_row=3))
        chart_sheet.add_chart(chart)

    return openpyxl_book(build)


def images_and_comments() -> bytes:
    def build(book: Workbook) -> None:
        from openpyxl.comments import Comment

        sheet = book.create_sheet("FAQ")
        for row in good_rows(2):
            sheet.append(row)
        sheet["C2"].comment = Comment("確認済み", "職員")
        sheet.freeze_panes = "A2"
        sheet.auto_filter.ref = "A1:I3"

    return openpyxl_book(build)


def data_validation_and_formatting() -> bytes:
    def build(book: Workbook) -> None:
        from openpyxl.formatting.rule import CellIsRule
        from openpyxl.styles import Font, PatternFill
        from openpyxl.worksheet.datavalidation import DataValidation

        sheet = book.create_sheet("FAQ")
        for row in good_rows(2):
            sheet.append(row)
        rule = DataValidation(type="list", formula1='"○,×"', allow_blank=True)
        sheet.add_data_validation(rule)
        rule.add("I2:I2000")
        sheet.conditional_formatting.add(
            "I2:I2000", CellIsRule(operator="equal", formula=['"×"'], fill=PatternFill("solid"))
        )
        for cell in sheet[1]:
            cell.font = Font(bold=True)

    return openpyxl_book(build)


def emoji_answer() -> str:
    family = "👨\u200d👩\u200d👧"
    flag = "🏴\U000e006a\U000e0070\U000e0031\U000e0033\U000e007f"  # a region's flag: tag letters
    return f"家族で来てください{family}。雨の日も☂\ufe0fOKです{flag}"


def kinds() -> list[Kind]:
    """Every kind, built lazily: building some takes a second or two."""
    bidi = "回答は\u202e。いさだくてし約予\u202cです。"
    return [
        # -- not an Excel workbook at all
        Kind("empty file", lambda: b"", REFUSED, "空です"),
        Kind("random bytes", lambda: bytes(range(256)) * 16, REFUSED, "読み取れませんでした"),
        Kind("truncated .xlsx", lambda: good()[: len(good()) // 2], REFUSED, "途中で切れて"),
        Kind("legacy .xls", lambda: ole2("Workbook"), REFUSED, "古い形式(.xls)"),
        Kind("password-protected", lambda: ole2("EncryptedPackage"), REFUSED, "パスワード"),
        Kind(
            "CSV in Shift_JIS",
            lambda: "ID,質問,回答\n1,ごみ,予約\n".encode("cp932"),
            REFUSED,
            "CSV",
        ),
        Kind("CSV with a BOM", lambda: "\ufeffID,質問,回答\n1,a,b\n".encode(), REFUSED, "CSV"),
        Kind("tab-separated text", lambda: b"ID\tq\ta\n1\tx\ty\n", REFUSED, "CSV"),
        Kind("plain text", lambda: "よくある質問の一覧です".encode(), REFUSED, "テキスト"),
        Kind("PDF", lambda: b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj", REFUSED, "PDF"),
        Kind(
            "HTML table saved as .xls",
            lambda: b"<html><body><table><tr><td>ID</td></tr></table></body></html>",
            REFUSED,
            "HTML",
        ),
        Kind(
            "XML Spreadsheet 2003",
            lambda: (
                b'<?xml version="1.0"?><Workbook xmlns="urn:schemas-microsoft-com:'
                b'office:spreadsheet"></Workbook>'
            ),
            REFUSED,
            "XMLスプレッドシート",
        ),
        Kind(
            "Word document",
            lambda: zip_of(["[Content_Types].xml", "word/document.xml"]),
            REFUSED,
            "Word",
        ),
        Kind(
            "PowerPoint",
            lambda: zip_of(["[Content_Types].xml", "ppt/presentation.xml"]),
            REFUSED,
            "PowerPoint",
        ),
        Kind(
            "OpenDocument .ods",
            lambda: zip_of(["mimetype", "content.xml"]),
            REFUSED,
            "OpenDocument",
        ),
        Kind(
            "binary .xlsb",
            lambda: zip_of(["[Content_Types].xml", "xl/workbook.bin"]),
            REFUSED,
            ".xlsb",
        ),
        Kind("zip of other files", lambda: zip_of(["hello.txt"]), REFUSED, "ではありません"),
        # -- an .xlsx, but damaged or unusual
        Kind(
            "over 20 MB", lambda: b"PK\x03\x04" + b"\x00" * (20 * 1024 * 1024 + 1), REFUSED, "20 MB"
        ),
        Kind("damaged bytes inside a part", flipped_bytes, REFUSED, "壊れて"),
        Kind(
            "sheet part cut in half",
            lambda: rezip(
                make_workbook({"FAQ": good_rows(200)}),
                lambda n, c: c[: len(c) // 2] if n == "xl/worksheets/sheet1.xml" else c,
            ),
            REFUSED,
            "壊れて",
        ),
        Kind(
            "workbook relationships missing",
            lambda: rezip(good(), lambda n, c: None if n == "xl/_rels/workbook.xml.rels" else c),
            REFUSED,
            "壊れて",
        ),
        Kind(
            "sheet part missing",
            lambda: rezip(good(), lambda n, c: None if n == "xl/worksheets/sheet1.xml" else c),
            REFUSED,
            "壊れて",
        ),
        Kind("ZIP password on the parts", encrypted_member, REFUSED, "暗号化"),
        Kind(
            "parts stored with bzip2",
            lambda: package(_members(good()), method=zipfile.ZIP_BZIP2),
            REFUSED,
            "圧縮方式",
        ),
        Kind("Strict Open XML", strict_open_xml, REFUSED, "Strict"),
        Kind("macro-enabled (.xlsm)", macro_enabled, PUBLISHED, "マクロは実行せず"),
        Kind(
            "binary junk member and zip-slip name",
            lambda: rezip_add(
                good(), {"../../evil.sh": b"rm -rf /", "xl/media/x.bin": bytes(range(256))}
            ),
            PUBLISHED,
        ),
        # -- hostile: small on disk, huge amounts of work
        Kind("30 MB of spaces in one part (ratio)", ratio_bomb, REFUSED, "倍"),
        Kind("100 MB unpacked in total", big_in_total, REFUSED, "展開すると"),
        Kind("6,000 tiny parts", many_members, REFUSED, "部品"),
        Kind("3 million shared strings", strings_bomb, REFUSED, "文字列"),
        Kind("2 million formatted text runs", rich_text_bomb, REFUSED, "書式"),
        Kind(
            "600,000 cells on the FAQ sheet",
            lambda: cells_bomb(2_000, 300),
            REFUSED,
            "セルが多すぎます",
        ),
        Kind(
            "a memo sheet of 600,000 cells without a dimension",
            lambda: cells_bomb(6_000, 100, title="メモ", dimension=False),
            REFUSED,
            "メモ",
        ),
        Kind("1 million cell formats", styles_bomb, REFUSED, "書式"),
        Kind("500,000 defined names", names_bomb, REFUSED, "名前"),
        Kind(
            "billion laughs entities",
            lambda: with_doctype("xl/worksheets/sheet1.xml", BILLION_LAUGHS),
            REFUSED,
            "DTD",
        ),
        Kind(
            "external entity",
            lambda: with_doctype("xl/workbook.xml", EXTERNAL_ENTITY),
            REFUSED,
            "DTD",
        ),
        Kind("a million empty formatted rows", empty_rows_to_the_end, PUBLISHED),
        # -- what staff can do in Excel
        Kind(
            "no FAQ sheet",
            lambda: make_workbook({"Sheet1": good_rows()}),
            REFUSED,
            "見つかりません",
        ),
        Kind("empty FAQ sheet", lambda: make_workbook({"FAQ": []}), REFUSED, "見出し「ID」"),
        Kind("FAQ sheet is a chart", chartsheet_named_faq, REFUSED, "グラフ"),
        Kind(
            "required column missing",
            lambda: make_workbook({"FAQ": [["ID", "質問"], [1, "q"]]}),
            REFUSED,
            "見出し「回答」の列が見つかりません",
        ),
        Kind("required column beyond column 40", lambda: far_header("回答"), REFUSED, "40列目"),
        Kind("optional column beyond column 40", lambda: far_header("公開"), PUBLISHED, "40列目"),
        Kind(
            "header written twice",
            lambda: make_workbook({"FAQ": [[*FAQ_HEADER, "回答"], faq_row(1, "q", "a")]}),
            REFUSED,
            "2つあります",
        ),
        Kind(
            "duplicate IDs",
            lambda: faq_with(faq_row(1, "a", "b"), faq_row("１", "c", "d")),
            REFUSED,
            "重なって",
        ),
        Kind("empty answer", lambda: faq_with(faq_row(1, "q", "")), REFUSED, "回答が空です"),
        Kind(
            "formula without a saved result",
            lambda: faq_with(faq_row(1, "q", '=A1&"x"')),
            REFUSED,
            "数式の結果",
        ),
        Kind("#N/A in a cell", lambda: faq_with(faq_row(1, "q", "#N/A")), REFUSED, "#N/A"),
        Kind(
            "merged answer cells",
            lambda: make_workbook({"FAQ": good_rows(3)}, merged={"FAQ": ["F2:F3"]}),
            REFUSED,
            "結合",
        ),
        Kind("20,002 FAQ rows", too_many_rows, REFUSED, "行が多すぎます"),
        Kind(
            "answer over 5,000 characters",
            lambda: faq_with(faq_row(1, "q", "あ" * 5001)),
            REFUSED,
            "長すぎます",
        ),
        Kind(
            "full-width URL",
            lambda: faq_with(faq_row(1, "q", "a", url="ｈｔｔｐｓ://ｅｘａｍｐｌｅ.jp")),
            REFUSED,
            "全角",
        ),
        Kind(
            "unknown 公開 mark",
            lambda: faq_with(faq_row(1, "q", "a", published="はい")),
            REFUSED,
            "読み取れません",
        ),
        Kind(
            "every FAQ unpublished",
            lambda: faq_with(faq_row(1, "q", "a", published="×")),
            REFUSED,
            "1件もありません",
        ),
        Kind(
            "unknown menu action",
            lambda: faq_with(
                faq_row(1, "q", "a"),
                メニュー=[["タブ", "ボタン", "動作", "値"], ["ごみ", "粗大", "電話", "x"]],
            ),
            REFUSED,
            "使えません",
        ),
        Kind(
            "unreadable office hours",
            lambda: faq_with(
                faq_row(1, "q", "a"), 設定=[["項目", "値"], ["職員対応時間", "いつでも"]]
            ),
            REFUSED,
            "曜日と時刻",
        ),
        Kind(
            "test question for an unknown ID",
            lambda: faq_with(faq_row(1, "q", "a"), テスト=[["質問", "正解ID"], ["ごみ", "99"]]),
            REFUSED,
            "ないIDがあります",
        ),
        Kind(
            "synonym group of one word",
            lambda: faq_with(faq_row(1, "q", "a"), 同義語=[["言い換えの一覧"], ["ごみ"]]),
            PUBLISHED,
            "1つしかありません",
        ),
        Kind(
            "full-width sheet name ＦＡＱ",
            lambda: make_workbook({"ＦＡＱ": good_rows()}),
            PUBLISHED,
        ),
        Kind(
            "numbers, dates and booleans as text",
            lambda: faq_with([1, 2026, True, None, 3.5, _date(), None, None, None]),
            PUBLISHED,
        ),
        Kind("comments, filter and frozen panes", images_and_comments, PUBLISHED),
        Kind("drop-down lists and conditional formats", data_validation_and_formatting, PUBLISHED),
        Kind(
            "hidden FAQ sheet and a visible copy",
            hidden_faq_with_visible_copy,
            PUBLISHED,
            "非表示",
            check=lambda r: _assert_ids(r, ["1", "2"]),
        ),
        Kind(
            "very hidden FAQ sheet and a visible ＦＡＱ",
            lambda: hidden_faq_with_visible_copy("veryHidden", "ＦＡＱ"),
            PUBLISHED,
            "再表示できない",
        ),
        # -- what staff see must be what they wrote
        Kind(
            "_x000D_ escapes in shared strings",
            lambda: with_shared(["1", "改行_x000D_\nのある質問", "一行目_x000D_\n二行目_x000D_\n"]),
            PUBLISHED,
            check=answer_of("1", "一行目\n二行目"),
        ),
        Kind(
            "_x0009_ and _x005F_ escapes in inline strings",
            lambda: raw_workbook(
                {
                    "FAQ": sheet_xml(
                        inline_row(1, ["ID", "質問", "回答"])
                        + inline_row(2, [1, "タブ_x0009_入り", "下線_x005F_x0041_のまま"])
                    )
                }
            ),
            PUBLISHED,
            check=answer_of("1", "下線_x0041_のまま"),
        ),
        Kind(
            "bidi override in an answer",
            lambda: faq_with(faq_row(1, "q", bidi)),
            PUBLISHED,
            check=both(answer_of("1", "回答は。いさだくてし約予です。"), warned_at("F2", "U+202E")),
        ),
        Kind(
            "zero-width space in an ID used by the menu",
            lambda: faq_with(
                faq_row("A\u200b1", "q", "a"),
                メニュー=[["タブ", "ボタン", "動作", "値"], ["ごみ", "粗大", "FAQ", "A1"]],
            ),
            PUBLISHED,
            check=warned_at("A2", "U+200B"),
        ),
        Kind(
            "control characters from _x0001_ escapes",
            lambda: with_shared(["1", "質問", "見えない_x0001_文字_x001F_"]),
            PUBLISHED,
            check=both(answer_of("1", "見えない文字"), warned_at("C2", "制御文字")),
        ),
        Kind(
            "a lone surrogate escape",
            lambda: with_shared(["1", "質問", "壊れた_xD83D_文字"]),
            PUBLISHED,
            check=answer_of("1", "壊れた文字"),
        ),
        Kind(
            "emoji sequences kept whole",
            lambda: faq_with(faq_row(1, "q", emoji_answer())),
            PUBLISHED,
            check=both(_assert_no_warnings, answer_of("1", emoji_answer())),
        ),
        Kind(
            "zero-width space in a header",
            lambda: make_workbook({"FAQ": [["ID", "質問", "回答\u200b"], [1, "q", "a"]]}),
            PUBLISHED,
            "U+200B",
        ),
    ]


def rezip_add(data: bytes, extra: dict[str, bytes]) -> bytes:
    out = io.BytesIO(data)
    with zipfile.ZipFile(out, "a") as archive:
        for name, content in extra.items():
            archive.writestr(name, content)
    return out.getvalue()


def _members(data: bytes) -> dict[str, bytes | str]:
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        return {name: archive.read(name) for name in archive.namelist()}


def _date():
    import datetime as dt

    return dt.datetime(2026, 4, 1)


def _assert_ids(result: ValidationResult, ids: list[str]) -> None:
    assert result.workbook is not None
    assert [f.id for f in result.workbook.faqs] == ids


def _assert_no_warnings(result: ValidationResult) -> None:
    assert not result.warnings, result.warnings


KINDS: list[Kind] = kinds()
