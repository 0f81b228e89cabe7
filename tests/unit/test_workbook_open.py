"""Files that are not a readable workbook get one clear Japanese message, never a traceback."""

from __future__ import annotations

import io
import os
import zipfile

import pytest

from madoguchi.workbook import Severity, safe_open, validate_workbook
from tests.support.hostile_workbooks import (
    encrypted_member,
    macro_enabled,
    many_members,
    package,
    strict_open_xml,
)
from tests.support.workbooks import FAQ_HEADER, faq_row, make_workbook


def good_workbook() -> bytes:
    return make_workbook(
        {"FAQ": [FAQ_HEADER, faq_row(1, "粗大ごみの出し方", "予約してください。")]}
    )


def only_problem(data: bytes, filename: str = "faq.xlsx"):
    result = validate_workbook(data, filename=filename)
    assert result.workbook is None
    assert not result.ok
    assert len(result.problems) == 1, result.problems
    problem = result.problems[0]
    assert problem.severity is Severity.ERROR
    assert problem.fix
    return problem


def rezip(data: bytes, change) -> bytes:
    """Copy an .xlsx, letting `change(name, content)` return new content for each member."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as source, zipfile.ZipFile(out, "w") as target:
        for info in source.infolist():
            target.writestr(
                info.filename,
                change(info.filename, source.read(info.filename)),
                zipfile.ZIP_DEFLATED,
            )
    return out.getvalue()


def test_a_good_workbook_opens():
    result = validate_workbook(good_workbook())
    assert result.ok
    assert [f.id for f in result.workbook.faqs] == ["1"]


def test_empty_file():
    assert "空です" in only_problem(b"").message


def test_random_bytes():
    problem = only_problem(os.urandom(4096))
    assert "読み取れませんでした" in problem.message


def test_truncated_workbook():
    data = good_workbook()
    assert "途中で切れています" in only_problem(data[: len(data) // 2]).message


def test_old_xls_renamed():
    # An OLE2 compound file with a "Workbook" stream is what Excel 97-2003 writes.
    fake_xls = safe_open.OLE2_MAGIC + b"\x00" * 504 + "Workbook".encode("utf-16-le") + b"\x00" * 512
    assert "古い形式(.xls)" in only_problem(fake_xls).message


def test_password_protected_workbook():
    encrypted = (
        safe_open.OLE2_MAGIC
        + b"\x00" * 504
        + "EncryptionInfo".encode("utf-16-le")
        + b"\x00" * 64
        + "EncryptedPackage".encode("utf-16-le")
        + b"\x00" * 512
    )
    problem = only_problem(encrypted)
    assert "パスワードで保護されています" in problem.message
    assert "パスワード" in problem.fix


def test_csv_renamed():
    csv = "ID,質問,回答\n1,粗大ごみ,予約してください\n".encode("cp932")
    assert "CSVファイルのようです" in only_problem(csv).message


def test_utf8_csv_with_bom():
    csv = "\ufeffID,質問,回答\n1,粗大ごみ,予約\n".encode()
    assert "CSV" in only_problem(csv, filename="faq.csv").message


def test_word_document_is_named():
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", "<document/>")
    assert "Word" in only_problem(out.getvalue()).message


def test_oversized_file_is_refused_before_reading():
    data = b"PK\x03\x04" + b"\x00" * (safe_open.MAX_FILE_BYTES + 1)
    problem = only_problem(data)
    assert problem.message == "ファイルが大きすぎます(20.1 MB)。受け付けるのは 20 MB までです。"


def test_decompression_bomb_member_ratio():
    def inflate(name: str, content: bytes) -> bytes:
        return content + b" " * (30 * 1024 * 1024) if name == "xl/styles.xml" else content

    bomb = rezip(good_workbook(), inflate)
    assert len(bomb) < 1024 * 1024  # tiny on disk
    problem = only_problem(bomb)
    # The part, what it is, its unpacked size and the ratio: the real cause, not "too large".
    assert "「xl/styles.xml」(セルの書式)" in problem.message
    assert "30.0 MB" in problem.message and "200倍まで" in problem.message
    assert "書式" in problem.fix


def test_total_uncompressed_size_is_bounded(monkeypatch):
    data = good_workbook()
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        total = sum(i.file_size for i in archive.infolist())
    monkeypatch.setattr(safe_open, "MAX_UNCOMPRESSED_BYTES", total - 1)
    assert "展開すると大きくなりすぎます" in only_problem(data).message


def test_truncated_sheet_xml_fails_while_iterating_rows_and_is_reported():
    rows = [FAQ_HEADER] + [faq_row(i, f"質問{i}", f"回答{i}") for i in range(1, 200)]

    def cut(name: str, content: bytes) -> bytes:
        return content[: len(content) // 2] if name == "xl/worksheets/sheet1.xml" else content

    problem = only_problem(rezip(make_workbook({"FAQ": rows}), cut))
    assert "壊れている" in problem.message


def test_zip_without_workbook_part():
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("hello.txt", "hi")
    assert "Excelのファイル(.xlsx)ではありません" in only_problem(out.getvalue()).message


@pytest.mark.parametrize("data", [b"%PDF-1.7\n...", b"<html><body>x</body></html>"])
def test_other_documents_get_one_message(data):
    assert only_problem(data).message


def test_checksum_and_time_are_filled_even_for_bad_input():
    result = validate_workbook(b"not a workbook")
    assert len(result.checksum) == 64
    assert result.seconds >= 0


def test_thousands_of_tiny_parts_are_named_as_such_not_as_too_large():
    problem = only_problem(many_members(6_000))
    assert "部品が多すぎます(6,005個" in problem.message  # 6,000 plus the workbook's own
    assert "5,000個まで" in problem.message
    assert "大きくなりすぎます" not in problem.message
    assert "新しいブックにコピー" in problem.fix


def test_strict_open_xml_is_named_and_the_sheet_name_is_not_blamed():
    problem = only_problem(strict_open_xml())
    assert "Strict Open XML スプレッドシート" in problem.message
    assert "シートの名前は関係ありません" in problem.message
    assert "Excel ブック (*.xlsx)" in problem.fix
    assert "シートの名前を「FAQ」に" not in problem.fix


def test_zip_passwords_and_foreign_compression_are_named():
    assert "暗号化されています(ZIPのパスワード)" in only_problem(encrypted_member()).message
    with zipfile.ZipFile(io.BytesIO(good_workbook())) as archive:
        parts = {name: archive.read(name) for name in archive.namelist()}
    bzip2 = package(parts, method=zipfile.ZIP_BZIP2)
    assert "圧縮方式が、Excelの使う方式と違います" in only_problem(bzip2).message


def test_a_short_csv_with_a_bom_is_still_recognised():
    assert "CSV" in only_problem("\ufeffID,質問,回答\n1,a,b\n".encode()).message


def test_a_macro_enabled_workbook_is_published_and_told_macros_are_ignored():
    result = validate_workbook(macro_enabled(), filename="faq.xlsm")
    assert result.ok
    [notice] = result.warnings
    assert "マクロ有効ブック(.xlsm)です。マクロは実行せず、無視します" in notice.message
    assert "このままで公開できます" in notice.fix
