"""Read what openpyxl's streaming mode cannot tell: merged ranges and whether formulas exist."""

from __future__ import annotations

import posixpath
import re
import zipfile
from dataclasses import dataclass
from xml.etree import ElementTree

_MAIN = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
_OFFICE_REL = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}"
_PACKAGE_REL = "{http://schemas.openxmlformats.org/package/2006/relationships}"

_MERGE = re.compile(rb"<(?:\w+:)?mergeCell\b[^>]*?\bref=\"([A-Za-z]+\d+(?::[A-Za-z]+\d+)?)\"")
# A formula element is <f> or <f ...>; "<f" alone would also match <font>, <filterColumn>.
_FORMULA = re.compile(rb"<(?:\w+:)?f[\s>/]")
_CHUNK = 1024 * 1024
_MAX_CARRY = 64 * 1024


@dataclass(frozen=True)
class SheetScan:
    """Merged ranges (like "B5:B7") and whether any cell holds a formula."""

    merged: tuple[str, ...]
    has_formulas: bool


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


def scan_sheet(archive: zipfile.ZipFile, path: str) -> SheetScan:
    """Stream one sheet's XML once, in bounded chunks, collecting merges and formula presence."""
    merged: list[str] = []
    has_formulas = False
    carry = b""
    with archive.open(path) as source:
        while True:
            chunk = source.read(_CHUNK)
            buffer = carry + chunk
            # Cut at the last tag start so no element is split between two chunks; a carry that
            # never finds another "<" is plain text and is let go once it passes the bound.
            cut = buffer.rfind(b"<") if chunk else len(buffer)
            if cut < 0 or (cut == 0 and len(buffer) > _MAX_CARRY):
                cut = len(buffer)
            done, carry = buffer[:cut], buffer[cut:]
            has_formulas = has_formulas or _FORMULA.search(done) is not None
            merged.extend(m.group(1).decode("ascii").upper() for m in _MERGE.finditer(done))
            if not chunk:
                break
    return SheetScan(tuple(merged), has_formulas)
