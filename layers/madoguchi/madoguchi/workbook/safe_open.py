"""Recognise what an uploaded file is and refuse anything that is not a safe .xlsx to open."""

from __future__ import annotations

import io
import math
import zipfile
import zlib

from madoguchi.workbook.problems import Problem, Severity

MAX_FILE_BYTES = 20 * 1024 * 1024
MAX_UNCOMPRESSED_BYTES = 100 * 1024 * 1024
MAX_MEMBERS = 5_000
MAX_MEMBER_RATIO = 200
# Small XML parts compress extremely well and are harmless; only judge the ratio of big members.
RATIO_CHECK_FROM_BYTES = 1024 * 1024

MB = 1024 * 1024
ZIP_ENCRYPTED = 0x1  # general-purpose flag bit 0
EXCEL_COMPRESSIONS = (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED)
STRICT_NAMESPACE = b"http://purl.oclc.org/ooxml/spreadsheetml/main"
HEAD_BYTES = 64 * 1024

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
    shown = math.ceil(size * 10 / MB) / 10  # rounded up: 20 MB and a byte is not "20.0 MB"
    return _refuse(
        f"ファイルが大きすぎます({shown:.1f} MB)。"
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
            names = {m.filename for m in members}
            if "xl/workbook.xml" not in names:
                return _describe_other_zip(names)
            refused = _check_members(members)
            if refused is None and _is_strict(archive):
                refused = _refuse(
                    "「Strict Open XML スプレッドシート」形式で保存されたファイルです。"
                    "この形式は読み取れません(シートの名前は関係ありません)。",
                    "Excelで開き、「名前を付けて保存」で「Excel ブック (*.xlsx)」を選んで"
                    "保存し直してください(「Strict Open XML スプレッドシート」ではない方です)。",
                )
            return refused
    except (zipfile.BadZipFile, zlib.error, OSError, ValueError, EOFError, RuntimeError):
        return _refuse(
            "ファイルが壊れているか、途中で切れています。",
            "元のファイルをExcelで開けるか確かめ、保存し直してからもう一度アップロードしてください。",
        )


def _check_members(members: list[zipfile.ZipInfo]) -> Problem | None:
    if len(members) > MAX_MEMBERS:
        return _refuse(
            f"ファイルの中の部品が多すぎます({len(members):,}個。"
            f"受け付けるのは {MAX_MEMBERS:,}個までで、ふつうのExcelファイルは数十個です)。"
            "安全のため読み取りを中止しました。",
            "Excel以外のソフトで作ったか、部品を書き足したファイルのようです。"
            "Excelで開き、FAQに使うシートだけを新しいブックにコピーして保存し、"
            "そのブックをアップロードしてください。",
        )
    for member in members:
        if member.flag_bits & ZIP_ENCRYPTED:
            return _refuse(
                "ファイルの中身が暗号化されています(ZIPのパスワード)。このままでは読み取れません。",
                "パスワードなしのExcelブック(.xlsx)として保存し直してから、"
                "アップロードしてください。",
            )
        if member.compress_type not in EXCEL_COMPRESSIONS:
            return _refuse(
                f"ファイルの圧縮方式が、Excelの使う方式と違います(部品「{member.filename}」)。"
                "このままでは読み取れません。"
            )
    total = 0
    for member in members:
        total += member.file_size
        big = member.file_size > RATIO_CHECK_FROM_BYTES
        if big and member.file_size > MAX_MEMBER_RATIO * max(member.compress_size, 1):
            return _refuse_ratio(member)
    if total > MAX_UNCOMPRESSED_BYTES:
        return _refuse(
            f"ファイルを展開すると大きくなりすぎます(展開後 {total / MB:.0f} MB、"
            f"上限 {MAX_UNCOMPRESSED_BYTES // MB} MB)。安全のため読み取りを中止しました。",
            "画像や不要なシート、書式だけが設定された大量の行・列を削除してから"
            "保存し直してください。",
        )
    return None


def _refuse_ratio(member: zipfile.ZipInfo) -> Problem:
    # A real part this compressible is almost always blank padding or formatting repeated.
    ratio = member.file_size // max(member.compress_size, 1)
    return _refuse(
        f"ファイルの中の部品「{member.filename}」({_part_kind(member.filename)})が、"
        f"展開すると {member.file_size / MB:.1f} MB になります(保存されている大きさの "
        f"{ratio:,}倍。受け付けるのは {MAX_MEMBER_RATIO}倍までです)。"
        "安全のため読み取りを中止しました。",
        "書式だけが設定された大量の行・列や、使っていない書式を削除してから保存し直してください。"
        "直らないときは、FAQに使うシートだけを新しいブックにコピーして保存してください。",
    )


def _part_kind(name: str) -> str:
    if name.startswith("xl/worksheets/"):
        return "シートの中身"
    if name == "xl/styles.xml":
        return "セルの書式"
    if name == "xl/sharedStrings.xml":
        return "セルの文字"
    if name.startswith("xl/media/"):
        return "画像"
    return "Excelの部品"


def _is_strict(archive: zipfile.ZipFile) -> bool:
    # The root element declares its namespace within the first few hundred bytes.
    with archive.open("xl/workbook.xml") as workbook:
        return STRICT_NAMESPACE in workbook.read(HEAD_BYTES)


def package_notes(archive: zipfile.ZipFile) -> list[Problem]:
    """Warnings about the file as a whole that do not stop publishing (macros are ignored)."""
    content_types = b""
    if "[Content_Types].xml" in archive.NameToInfo:
        with archive.open("[Content_Types].xml") as source:
            content_types = source.read(HEAD_BYTES)
    if "xl/vbaProject.bin" in archive.NameToInfo or b"macroEnabled" in content_types:
        return [
            Problem(
                Severity.WARNING,
                "マクロ有効ブック(.xlsm)です。マクロは実行せず、無視します"
                "(セルに保存されている値だけを読みます)。",
                "このままで公開できます。マクロで値を書き込んでいるなら、Excelでマクロを実行して"
                "保存してからアップロードしてください。.xlsx形式で保存し直すと、"
                "この確認は出なくなります。",
            )
        ]
    return []


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
        if "," in text or "\t" in text or filename.lower().endswith((".csv", ".tsv")):
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
            body = text.lstrip("\ufeff")  # a BOM is not printable, but harmless
            printable = sum(ch.isprintable() or ch in "\r\n\t" for ch in body)
            return text if printable >= 0.95 * max(len(body), 1) else None
    return None
