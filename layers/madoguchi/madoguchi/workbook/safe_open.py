"""Recognise what an uploaded file is and refuse anything that is not a safe .xlsx to open."""

from __future__ import annotations

import io
import zipfile

from madoguchi.workbook.problems import Problem, Severity

MAX_FILE_BYTES = 20 * 1024 * 1024
MAX_UNCOMPRESSED_BYTES = 100 * 1024 * 1024
MAX_MEMBERS = 5_000
MAX_MEMBER_RATIO = 200
# Small XML parts compress extremely well and are harmless; only judge the ratio of big members.
RATIO_CHECK_FROM_BYTES = 1024 * 1024

MB = 1024 * 1024

OLE2_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
ZIP_MAGICS = (b"PK\x03\x04", b"PK\x05\x06")

RESAVE_XLSX = (
    "Excelで開き、「名前を付けて保存」で「Excel ブック (*.xlsx)」を選んで保存し直してください。"
)


def _refuse(message: str, fix: str = RESAVE_XLSX) -> Problem:
    return Problem(Severity.ERROR, message, fix)


def check_file(data: bytes, filename: str = "faq.xlsx") -> Problem | None:
    """The one problem that makes the bytes unopenable, or None when openpyxl may read them."""
    if not data:
        return _refuse(
            "ファイルが空です(0バイト)。",
            "アップロードの途中で失敗した可能性があります。もう一度アップロードしてください。",
        )
    if len(data) > MAX_FILE_BYTES:
        return too_large(len(data))
    if data.startswith(OLE2_MAGIC):
        return _describe_ole2(data)
    if data.startswith(ZIP_MAGICS):
        return _check_zip(data)
    return _describe_other(data, filename)


def too_large(size: int) -> Problem:
    """The refusal of a file over the size limit (the checker says it without reading the file)."""
    return _refuse(
        f"ファイルが大きすぎます({size / MB:.1f} MB)。"
        f"受け付けるのは {MAX_FILE_BYTES // MB} MB までです。",
        "画像や不要なシートを削除してから保存し直してください。",
    )


def _describe_ole2(data: bytes) -> Problem:
    # Encrypted .xlsx and legacy .xls both live in an OLE2 container; stream names tell them apart.
    if (
        "EncryptedPackage".encode("utf-16-le") in data
        or "EncryptionInfo".encode("utf-16-le") in data
    ):
        return _refuse(
            "ファイルがパスワードで保護されています。このままでは読み取れません。",
            "Excelで開き、「ファイル」→「情報」→「ブックの保護」→「パスワードを使用して暗号化」で"
            "パスワードを消してから保存し直してください。",
        )
    return _refuse("古い形式(.xls)のExcelファイルです。.xlsx形式で保存し直してください。")


def _check_zip(data: bytes) -> Problem | None:
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            members = archive.infolist()
    except (zipfile.BadZipFile, OSError, ValueError, EOFError):
        return _refuse(
            "ファイルが壊れているか、途中で切れています。",
            "元のファイルをExcelで開けるか確かめ、保存し直してからもう一度アップロードしてください。",
        )
    names = {m.filename for m in members}
    if "xl/workbook.xml" not in names:
        return _describe_other_zip(names)
    if len(members) > MAX_MEMBERS:
        return _refuse_bomb()
    total = 0
    for member in members:
        total += member.file_size
        big = member.file_size > RATIO_CHECK_FROM_BYTES
        if big and member.file_size > MAX_MEMBER_RATIO * max(member.compress_size, 1):
            return _refuse_bomb()
    if total > MAX_UNCOMPRESSED_BYTES:
        return _refuse_bomb()
    return None


def _refuse_bomb() -> Problem:
    return _refuse(
        "ファイルを展開すると大きくなりすぎます"
        f"(上限 {MAX_UNCOMPRESSED_BYTES // 1024 // 1024} MB)。"
        "安全のため読み取りを中止しました。",
        "不要なシートや、書式だけが設定された大量の行・列を削除してから保存し直してください。",
    )


def _describe_other_zip(names: set[str]) -> Problem:
    if "xl/workbook.bin" in names:
        return _refuse("Excelバイナリ形式(.xlsb)のファイルです。.xlsx形式で保存し直してください。")
    if "word/document.xml" in names:
        return _refuse(
            "Wordの文書のようです。FAQのExcelファイル(.xlsx)をアップロードしてください。",
            "faq.xlsx を選び直してアップロードしてください。",
        )
    if any(name.startswith("ppt/") for name in names):
        return _refuse(
            "PowerPointのファイルのようです。FAQのExcelファイル(.xlsx)をアップロードしてください。",
            "faq.xlsx を選び直してアップロードしてください。",
        )
    if "content.xml" in names:
        return _refuse(
            "OpenDocument形式(.ods)のファイルのようです。.xlsx形式で保存し直してください。"
        )
    return _refuse(
        "ZIPファイルのようですが、Excelのファイル(.xlsx)ではありません。",
        "faq.xlsx を選び直してアップロードしてください。",
    )


def _describe_other(data: bytes, filename: str) -> Problem:
    head = data[:65536]
    if head.startswith(b"%PDF"):
        return _refuse(
            "PDFファイルのようです。FAQのExcelファイル(.xlsx)をアップロードしてください。",
            "faq.xlsx を選び直してアップロードしてください。",
        )
    text = _as_text(head)
    if text is not None:
        lowered = text.lstrip("\ufeff \r\n\t").lower()
        if "urn:schemas-microsoft-com:office:spreadsheet" in lowered:
            return _refuse(
                "XMLスプレッドシート形式のファイルです。.xlsx形式で保存し直してください。"
            )
        if lowered.startswith(("<!doctype html", "<html", "<table", "<?xml")):
            return _refuse(
                "Webページ(HTML/XML)形式のファイルです。.xlsx形式で保存し直してください。"
            )
        if "," in text or "\t" in text or filename.lower().endswith((".csv", ".tsv", ".txt")):
            return _refuse("CSVファイルのようです。Excelで開き、.xlsx形式で保存し直してください。")
        return _refuse(
            "テキストファイルのようです。FAQのExcelファイル(.xlsx)をアップロードしてください。"
        )
    return _refuse(
        "Excelのファイル(.xlsx)として読み取れませんでした。別の種類のファイルか、壊れています。",
        "faq.xlsx をExcelで開けるか確かめ、保存し直してからもう一度アップロードしてください。",
    )


def _as_text(head: bytes) -> str | None:
    """Decode the start of a file as UTF-8 or Shift_JIS text, or None if it looks binary."""
    if b"\x00" in head:
        return None
    for encoding in ("utf-8", "cp932"):
        # A multi-byte character may be cut at the end of the sample; drop a few bytes and retry.
        for cut in range(4):
            try:
                text = head[: len(head) - cut].decode(encoding)
            except UnicodeDecodeError:
                continue
            printable = sum(ch.isprintable() or ch in "\r\n\t" for ch in text)
            return text if printable >= 0.95 * max(len(text), 1) else None
    return None
