"""Stream sheet XML in bounded chunks for what openpyxl's read-only mode cannot tell."""

from __future__ import annotations

import posixpath
import re
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from typing import IO
from xml.etree import ElementTree

_MAIN = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
_OFFICE_REL = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}"
_PACKAGE_REL = "{http://schemas.openxmlformats.org/package/2006/relationships}"

_MERGE = re.compile(rb"<(?:\w+:)?mergeCell\b[^>]*?\bref=\"([A-Za-z]+\d+(?::[A-Za-z]+\d+)?)\"")
# A formula element is <f> or <f ...>; "<f" alone would also match <font>, <filterColumn>.
_FORMULA = re.compile(rb"<(?:\w+:)?f[\s>/]")
# A cell is <c ...>, <c>, <c/>; "<c" alone would also match <col>, <cfRule>.
_CELL = re.compile(rb"<c[\s>/]")
# Elements may carry a prefix (<x:c>) once one is declared for the sheet namespace; the slower
# patterns that allow it are used only from such a declaration on.
_PREFIX_DECLARED = re.compile(
    rb"xmlns:[\w.-]+\s*=\s*[\"']http://schemas\.openxmlformats\.org/spreadsheetml/2006/main"
)
_ANY_CELL = re.compile(rb"<(?:\w+:)?c[\s>/]")
_DOCTYPE = b"<!DOCTYPE"
_CHUNK = 1024 * 1024
_MAX_CARRY = 64 * 1024


@dataclass(frozen=True)
class SheetScan:
    """Merged ranges (like "B5:B7"), whether any cell holds a formula, and how many cells exist."""

    merged: tuple[str, ...]
    has_formulas: bool
    cells: int = 0
    tags: int = 0  # every "<": opening and closing tags
    doctype: bool = False  # a DTD, which Excel never writes
    complete: bool = True  # False when the scan stopped early (a limit passed or a DTD)


def tag_aligned_chunks(source: IO[bytes]) -> Iterator[bytes]:
    """The stream in pieces of about a megabyte, each cut just before a "<" so no tag is split."""
    carry = b""
    while True:
        chunk = source.read(_CHUNK)
        buffer = carry + chunk
        # A carry that never finds another "<" is plain text and is let go once it passes the bound.
        cut = buffer.rfind(b"<") if chunk else len(buffer)
        if cut < 0 or (cut == 0 and len(buffer) > _MAX_CARRY):
            cut = len(buffer)
        done, carry = buffer[:cut], buffer[cut:]
        if done:
            yield done
        if not chunk:
            return


def sheet_paths(archive: zipfile.ZipFile) -> dict[str, str]:
    """Map each sheet title to its XML part inside the archive."""
    workbook = ElementTree.fromstring(archive.read("xl/workbook.xml"))
    rels = ElementTree.fromstring(archive.read("xl/_rels/workbook.xml.rels"))
    targets = {
        rel.get("Id"): rel.get("Target", "") for rel in rels.iter(f"{_PACKAGE_REL}Relationship")
    }
    paths: dict[str, str] = {}
    for sheet in workbook.iter(f"{_MAIN}sheet"):
        target = targets.get(sheet.get(f"{_OFFICE_REL}id"), "")
        if not target:
            continue
        path = target.lstrip("/") if target.startswith("/") else posixpath.join("xl", target)
        paths[sheet.get("name", "")] = posixpath.normpath(path)
    return paths


def scan_sheet(
    archive: zipfile.ZipFile,
    path: str,
    cell_limit: int | None = None,
    tag_limit: int | None = None,
) -> SheetScan:
    """Stream one sheet's XML once: merges, formula presence, cells and tags.

    The scan stops early (`complete` False) at a DTD or once a count passes its limit.
    """
    merged: list[str] = []
    has_formulas = prefixed = False
    cells = tags = 0
    with archive.open(path) as source:
        for number, done in enumerate(tag_aligned_chunks(source)):
            prefixed = prefixed or _PREFIX_DECLARED.search(done) is not None
            cells += len((_ANY_CELL if prefixed else _CELL).findall(done))
            tags += done.count(b"<")
            # A plain substring test first: several times faster than the pattern.
            if not has_formulas and (prefixed or b"<f" in done):
                has_formulas = _FORMULA.search(done) is not None
            if b"mergeCell" in done:
                merged.extend(m.group(1).decode("ascii").upper() for m in _MERGE.finditer(done))
            # A DTD can only come before the root element, so in the first chunk.
            doctype = number == 0 and _DOCTYPE in done
            over = (cell_limit is not None and cells > cell_limit) or (
                tag_limit is not None and tags > tag_limit
            )
            if doctype or over:
                return SheetScan(tuple(merged), has_formulas, cells, tags, doctype, False)
    return SheetScan(tuple(merged), has_formulas, cells, tags)
