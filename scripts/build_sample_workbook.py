"""Build the sample workbook faq/faq.xlsx from the JSON and Markdown sources in faq/source/.

Usage: python scripts/build_sample_workbook.py [--source DIR] [--output FILE]

Plain openpyxl only: this is a development tool and does not import the madoguchi package.
The same sources always give the same bytes, so the committed workbook only changes in git
when its content changes.
"""

from __future__ import annotations

import argparse
import datetime as dt
import io
import json
import math
import sys
import unicodedata
import zipfile
from pathlib import Path
from typing import Any

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.worksheet import Worksheet
from openpyxl.xml.functions import tostring

from madoguchi.workbook.faq_sheet import BASE_COLUMNS, TRANSLATION_COLUMNS
from madoguchi.workbook.lines_sheet import KIND_CHOICES, LINES_SPEC
from madoguchi.workbook.text_cells import write_cell

ROOT = Path(__file__).resolve().parent.parent
SOURCE_DIR = ROOT / "faq" / "source"
OUTPUT = ROOT / "faq" / "faq.xlsx"

# Fixed timestamps keep rebuilds byte-identical (openpyxl would stamp "now" into the file).
FIXED_TIME = dt.datetime(2026, 4, 1, 9, 0, 0)
ZIP_TIME = (2026, 4, 1, 9, 0, 0)
CORE_PROPERTIES = "docProps/core.xml"

HEADER_FONT = Font(bold=True)
HEADER_FILL = PatternFill("solid", fgColor="DDEBF7")
TITLE_FONT = Font(bold=True, size=14)
HEADING_FONT = Font(bold=True, size=12)
WRAP = Alignment(wrap_text=True, vertical="top")
TOP = Alignment(vertical="top")

# openpyxl stores no row heights and neither Excel nor LibreOffice fits them on opening,
# so wrapped cells would show one line only; heights are computed from the text instead.
LINE_HEIGHT = 18.0  # points per line with the default Japanese font at 11 pt
MAX_ROW_HEIGHT = 409.0  # the largest row height Excel allows
DEFAULT_COLUMN_WIDTH = 8.43

# Rows that carry drop-downs, beyond the sample data, so rows staff add get them too.
EDITABLE_ROWS = 2_000

FAQ_WIDTHS = {
    "ID": 7,
    "カテゴリ": 16,
    "質問": 36,
    "言い換え": 36,
    "キーワード": 24,
    "回答": 64,
    "URL": 44,
    "担当課": 16,
    "公開": 7,
}
# The sample carries the city's own translations of its most asked FAQs (translations.json),
# in English and Vietnamese, after the usual columns.
TRANSLATED = ("en", "vi")
TRANSLATION_WIDTHS = (36, 64)
FAQ_COLUMNS = tuple((name, FAQ_WIDTHS[name]) for name in BASE_COLUMNS) + tuple(
    (name, width)
    for code in TRANSLATED
    for name, width in zip(TRANSLATION_COLUMNS[code], TRANSLATION_WIDTHS, strict=True)
)
FAQ_WRAPPED = {"質問", "言い換え", "キーワード", "回答"} | {
    name for code in TRANSLATED for name in TRANSLATION_COLUMNS[code]
}
SYNONYM_COLUMNS = 8
ACTIONS = ("FAQ", "カテゴリ", "URL", "職員に相談", "テキスト", "避難所")
SHELTER_COLUMNS = (
    ("名前", 30),
    ("住所", 30),
    ("緯度", 10),
    ("経度", 11),
    ("種別", 30),
    ("対象", 24),
    ("開設", 8),
    ("電話", 14),
    ("URL", 30),
)

SETTING_NOTES = {
    "自治体名": "あいさつなどに出る自治体の名前です。"
    "文章の中の {city_name} がこの名前に置き換わります。",
    "あいさつ": "LINEで友だち追加されたときに送る文章です。",
    "回答なしメッセージ": "質問に合う回答が見つからなかったときに送る文章です。",
    "ほかの候補の見出し": "いちばん近い回答のほかに、候補を並べるときの見出しです。",
    "非対応メッセージ": "写真やスタンプなど、文字以外が送られたときに返す文章です。",
    "職員対応時間": "職員がトークで対応する曜日と時間です(例: 月-金 8:30-17:15)。"
    "文章の中の {office_hours} がこの値に置き換わります。",
    "休業日": "職員対応時間でも職員が対応しない日です。2026-12-29 の形で、「,」で区切ります。",
    "職員引き継ぎメッセージ": "「職員に相談」が押されたとき(受付時間内)に送る文章です。",
    "時間外引き継ぎメッセージ": "「職員に相談」が受付時間外や休業日に押されたときに送る文章です。",
    "職員対応終了メッセージ": "住民の方が「AIに戻る」を押して自動応答に戻るときに送る文章です。"
    "職員が返事をしたかどうかはボットには分からないので、「対応が終わりました」とは書かないでください。",
    "職員対応の自動終了(分)": "職員とのやり取りが止まってから、自動応答に戻るまでの分数です。",
    "回答しきい値": "回答を出すかどうかの境目(0〜1の数)です。ふつうは空欄にします"
    "(「回答の確かさ」から自動で決まり、毎晩、住民の方の反応を見て調整されます)。"
    "数を入れると、その値に固定され、毎晩の調整は止まります。",
    "回答の確かさ": "ひとつの回答を言い切るのは、どれくらい確かなときか。"
    "「ふつう」(回答の約9割が正しくなるように)・「慎重」(約93%)・「積極的」(約8割)から選びます。"
    "確かでないときは、近いFAQをいくつか選んでもらいます。",
    "検索ログ保存日数": "住民の方が検索した言葉の記録を残す日数です。過ぎた記録は消えます。",
    "問い合わせ先": "電話で問い合わせたい方に案内する連絡先です。",
    "問い合わせ電話": "職員の受付時間外に答えが見つからなかったとき(「役に立たなかった」のあとも)、"
    "押すと電話がかかるボタンで案内する番号です(例: 0123-45-6789)。空欄ならボタンを出しません。",
    "問い合わせ受付時間": "電話ボタンの横に出す、その番号の受付時間です(例: 平日 8:30-17:15)。",
    "お礼への返事": "「ありがとう」「助かりました」「さようなら」などと送られたときの返事です。",
    "あいさつへの返事": "「こんにちは」「よろしくお願いします」などと送られたときの返事です。",
    "あいづちへの返事": "「すごい」「なるほど」「わかりました」などと送られたときの返事です。",
    "短いメッセージへの返事": "「?」や絵文字だけ、1文字だけなど、何を調べたいか分からない"
    "ときの返事です(分野のボタンを添えます)。",
    "お知らせ": "災害や窓口の休みなど、すべての住民の方に伝えたいことです。開始から終了まで、"
    "あいさつ・すべての回答・「見つかりませんでした」の上に表示します。空欄なら出しません。",
    "お知らせのURL": "お知らせのくわしいページ(https:// から)。なければ空欄です。",
    "お知らせの開始": "日本時間で「2026-09-01 18:00」のように書きます。空欄ならすぐに出します。",
    "お知らせの終了": "日本時間で「2026-09-02 09:00」のように書きます。空欄なら消すまで出します。",
    "お知らせ中のメニュー": "お知らせの間、最初に開くメニューのタブ名(例: 防災)。"
    "開始と終了の時刻に自動で切り替わります。",
    "お知らせの配信": "「する」にすると、お知らせの期間中にこのファイルを保存したとき、"
    "LINEの友だち全員にお知らせを1回だけ送ります(同じ文章・期間なら2回目は送りません)。"
    "送るとLINEの月のメッセージ数を使います。ふだんは「しない」にします。",
}


def read_json(path: Path) -> Any:
    """Parse one source file, naming the file when it is not valid JSON."""
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except json.JSONDecodeError as exc:
        raise SystemExit(f"{path}: JSONとして読めません: {exc}") from exc


def read_optional_parts(source: Path, stem: str) -> list[dict[str, Any]]:
    """Concatenate faqs_a.json, faqs_b.json, ... (whichever exist) in file-name order."""
    items: list[dict[str, Any]] = []
    for path in sorted(source.glob(f"{stem}_*.json")):
        items.extend(read_json(path))
    return items


def load_sources(source: Path) -> dict[str, Any]:
    """Everything the workbook is built from."""
    faqs = read_optional_parts(source, "faqs")
    ids = [str(faq["id"]) for faq in faqs]
    duplicates = sorted({i for i in ids if ids.count(i) > 1}, key=id_sort_key)
    if duplicates:
        raise SystemExit("FAQのIDが重なっています: " + ", ".join(duplicates))
    translations = read_json(source / "translations.json")
    for faq in faqs:
        faq["translations"] = translations.get(str(faq["id"]), {})
    return {
        "faqs": sorted(faqs, key=lambda faq: id_sort_key(str(faq["id"]))),
        "tests": read_optional_parts(source, "tests"),
        "synonyms": read_json(source / "synonyms.json"),
        "settings": read_json(source / "settings.json"),
        "menu": read_json(source / "menu.json"),
        "departments": read_json(source / "departments.json"),
        "shelters": read_json(source / "shelters.json"),
        "usage": (source / "usage.md").read_text(encoding="utf-8"),
    }


def id_sort_key(faq_id: str) -> tuple[int, int, str]:
    """Numeric IDs in numeric order, then any other IDs alphabetically."""
    return (0, int(faq_id), "") if faq_id.isdigit() else (1, 0, faq_id)


def excel_id(value: str) -> int | str:
    """A digits-only ID as a number, the way it looks when staff type it into Excel."""
    return int(value) if value.isdigit() else value


def style_header(ws: Worksheet, columns: tuple[tuple[str, int], ...]) -> None:
    """Bold, shaded header row with column widths."""
    for index, (name, width) in enumerate(columns, start=1):
        cell = ws.cell(row=1, column=index, value=name)
        cell.font = HEADER_FONT
        cell.fill = HEADER_FILL
        cell.alignment = Alignment(vertical="center")
        ws.column_dimensions[get_column_letter(index)].width = width
    ws.freeze_panes = "A2"


def add_list_validation(
    ws: Worksheet,
    column: str,
    choices: list[str] | tuple[str, ...],
    prompt: str,
    *,
    strict: bool = True,
) -> None:
    """A drop-down over the editable rows of one column; non-strict lists only warn."""
    validation = DataValidation(
        type="list",
        formula1='"' + ",".join(choices) + '"',
        allow_blank=True,
        showErrorMessage=True,
        errorStyle="stop" if strict else "warning",
        errorTitle="一覧にない値です",
        error="一覧から選んでください。",
        promptTitle="入力のヒント",
        prompt=prompt,
        showInputMessage=True,
    )
    validation.add(f"{column}2:{column}{EDITABLE_ROWS}")
    ws.add_data_validation(validation)


def wrapped_lines(text: str, width: float) -> int:
    """Lines a wrapped cell needs at a column width (full-width characters take two units)."""
    per_line = max(int(width) - 1, 1)
    total = 0
    for line in text.split("\n"):
        units = sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in line)
        total += max(1, math.ceil(units / per_line))
    return total


def fit_row_heights(ws: Worksheet, first_row: int = 2) -> None:
    """Give every row with multi-line wrapped text the height it needs to show all of it."""
    widths = {letter: dim.width for letter, dim in ws.column_dimensions.items()}
    for row in ws.iter_rows(min_row=first_row):
        lines = max(
            (
                wrapped_lines(str(cell.value), widths.get(cell.column_letter, DEFAULT_COLUMN_WIDTH))
                for cell in row
                if cell.value is not None and cell.alignment.wrap_text
            ),
            default=1,
        )
        if lines > 1:
            ws.row_dimensions[row[0].row].height = min(lines * LINE_HEIGHT, MAX_ROW_HEIGHT)


def print_to_page_width(ws: Worksheet, *, landscape: bool = False) -> None:
    """Printing shrinks the sheet to the paper's width (as many pages down as needed)."""
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.orientation = "landscape" if landscape else "portrait"


def write_usage(ws: Worksheet, markdown: str) -> None:
    """The staff guide: a title row, bold headings, one paragraph per row."""
    ws.column_dimensions["A"].width = 90
    row = 0
    for line in markdown.splitlines():
        text = line.strip()
        if not text:
            continue
        row += 1
        cell = ws.cell(row=row, column=1)
        if text.startswith("# "):
            cell.value = text[2:]
            cell.font = TITLE_FONT
            cell.fill = HEADER_FILL
        elif text.startswith("## "):
            row += 1  # a blank row before each heading reads better on screen
            cell = ws.cell(row=row, column=1, value=text[3:])
            cell.font = HEADING_FONT
        else:
            cell.value = text
        cell.alignment = WRAP
    ws.freeze_panes = "A2"
    fit_row_heights(ws, first_row=1)
    print_to_page_width(ws)


def categories_of(faqs: list[dict[str, Any]]) -> list[str]:
    """Category names in order of first appearance."""
    return list(dict.fromkeys(faq["category"] for faq in faqs if faq.get("category")))


def write_faqs(ws: Worksheet, faqs: list[dict[str, Any]]) -> None:
    """One FAQ per row; paraphrases one per line, keywords joined with 、."""
    style_header(ws, FAQ_COLUMNS)
    ws.freeze_panes = "B2"
    names = [name for name, _ in FAQ_COLUMNS]
    for row, faq in enumerate(faqs, start=2):
        values = {
            "ID": excel_id(str(faq["id"])),
            "カテゴリ": faq.get("category", ""),
            "質問": faq["question"],
            "言い換え": "\n".join(faq.get("paraphrases", [])),
            "キーワード": "、".join(faq.get("keywords", [])),
            "回答": faq["answer"],
            "URL": faq.get("url", ""),
            "担当課": faq.get("department", ""),
            "公開": "○" if faq.get("published", True) else "×",
        }
        for code in TRANSLATED:
            question, answer = faq["translations"].get(code, ("", ""))
            values.update(zip(TRANSLATION_COLUMNS[code], (question, answer), strict=True))
        for column, name in enumerate(names, start=1):
            cell = ws.cell(row=row, column=column, value=values[name] or None)
            cell.alignment = WRAP if name in FAQ_WRAPPED else TOP
    fit_row_heights(ws)
    print_to_page_width(ws, landscape=True)
    ws.print_title_rows = "1:1"
    ws.auto_filter.ref = f"A1:{get_column_letter(len(names))}{len(faqs) + 1}"
    add_list_validation(ws, "I", ("○", "×"), "○ か空欄で公開、× で非公開です。")
    add_list_validation(
        ws,
        "B",
        categories_of(faqs),
        "一覧から選ぶか、新しい分野の名前を入力します。",
        strict=False,
    )


def write_synonyms(ws: Worksheet, groups: list[list[str]]) -> None:
    """One group of same-meaning words per row, one word per cell."""
    widest = max([SYNONYM_COLUMNS, *(len(group) for group in groups)])
    style_header(ws, tuple((f"同義語{i}", 18) for i in range(1, widest + 1)))
    for row, group in enumerate(groups, start=2):
        for column, word in enumerate(group, start=1):
            ws.cell(row=row, column=column, value=word)


def write_settings(ws: Worksheet, settings: dict[str, Any]) -> None:
    """項目 / 値 / 説明, one setting per row."""
    style_header(ws, (("項目", 26), ("値", 70), ("説明", 60)))
    for row, (key, value) in enumerate(settings.items(), start=2):
        ws.cell(row=row, column=1, value=key).alignment = TOP
        ws.cell(row=row, column=2, value=value).alignment = WRAP
        ws.cell(row=row, column=3, value=SETTING_NOTES.get(key, "")).alignment = WRAP
    fit_row_heights(ws)


# The sample's menu in these languages too (「タブ (English)」「ボタン (English)」…): each gets its
# own rich menu, linked to residents who write in it.
MENU_LANGUAGES = (("en", "English"), ("vi", "Tiếng Việt"), ("ko", "한국어"), ("zh", "中文"))


def write_menu(ws: Worksheet, tabs: list[dict[str, Any]]) -> None:
    """One button per row, with the tab name repeated on each row, then the translations."""
    translated = [(f"タブ ({label})", 16) for _, label in MENU_LANGUAGES]
    translated = [
        column
        for (_, label), tab_column in zip(MENU_LANGUAGES, translated, strict=True)
        for column in (tab_column, (f"ボタン ({label})", 24))
    ]
    style_header(ws, (("タブ", 14), ("ボタン", 20), ("動作", 14), ("値", 70), *translated))
    row = 1
    for tab in tabs:
        for button in tab["buttons"]:
            row += 1
            value = button.get("value", "")
            if button["action"] == "FAQ":
                value = excel_id(str(value))
            ws.cell(row=row, column=1, value=tab["name"])
            ws.cell(row=row, column=2, value=button["label"])
            ws.cell(row=row, column=3, value=button["action"])
            ws.cell(row=row, column=4, value=value if value != "" else None)
            for number, (code, _) in enumerate(MENU_LANGUAGES):
                tab_name = tab.get("translations", {}).get(code)
                ws.cell(row=row, column=5 + 2 * number, value=tab_name)
                label = button.get("translations", {}).get(code)
                ws.cell(row=row, column=6 + 2 * number, value=label)
    add_list_validation(
        ws, "C", ACTIONS, "FAQ・カテゴリ・URL・職員に相談・テキスト・避難所 から選びます。"
    )


def write_shelters(ws: Worksheet, shelters: list[dict[str, Any]]) -> None:
    """One shelter per row; staff open and close them with the 開設 column."""
    style_header(ws, SHELTER_COLUMNS)
    for row, shelter in enumerate(shelters, start=2):
        for column, (name, _) in enumerate(SHELTER_COLUMNS, start=1):
            value = shelter.get(name, "")
            ws.cell(row=row, column=column, value=value if value != "" else None)
    add_list_validation(ws, "G", ("開設", "閉鎖"), "開設・閉鎖 から選びます(空欄は未開設)。")


def write_departments(ws: Worksheet, departments: list[dict[str, Any]]) -> None:
    """課名 / 電話 / 受付時間 / URL / 場所: what an answer's call and page buttons use."""
    columns = (("課名", 20), ("電話", 16), ("受付時間", 34), ("URL", 56), ("場所", 26))
    style_header(ws, columns)
    keys = ("name", "phone", "hours", "url", "place")
    for row, department in enumerate(departments, start=2):
        for column, key in enumerate(keys, start=1):
            ws.cell(row=row, column=column, value=department.get(key) or None).alignment = TOP
    ws.freeze_panes = "A2"


def write_tests(ws: Worksheet, tests: list[dict[str, Any]], faqs: list[dict[str, Any]]) -> None:
    """質問 / 正解ID / メモ; the memo names the expected answers' category for staff."""
    style_header(ws, (("質問", 60), ("正解ID", 14), ("メモ", 30)))
    category_of = {str(faq["id"]): faq.get("category", "") for faq in faqs}
    for row, test in enumerate(tests, start=2):
        ids = [str(i) for i in test["relevant_ids"]]
        memo = test.get("memo") or "・".join(
            dict.fromkeys(category_of.get(i, "") for i in ids if category_of.get(i))
        )
        if len(ids) > 1:
            memo = f"{memo}(どちらの回答でも正解)" if memo else "どちらの回答でも正解"
        # Test questions are residents' wordings: text, even one that starts with "=".
        write_cell(ws, row, 1, test["query"]).alignment = WRAP
        ws.cell(row=row, column=2, value=excel_id(ids[0]) if len(ids) == 1 else ",".join(ids))
        ws.cell(row=row, column=3, value=memo or None)
    fit_row_heights(ws)


def write_lines(ws: Worksheet) -> None:
    """The headers only: the national lines are built in; a city adds its own rows here."""
    widths = {"種類": 18, "名前": 30, "電話": 16, "受付時間": 30, "URL": 40, "メモ": 30}
    style_header(ws, tuple((name, widths[name]) for name in LINES_SPEC.columns))
    add_list_validation(
        ws,
        "A",
        KIND_CHOICES,
        "相談の種類を選びます。いくつかあるときは「、」で区切って書けます。",
        strict=False,
    )


def build_workbook(sources: dict[str, Any]) -> Workbook:
    """Sheets in the order staff read them: 使い方, FAQ, 同義語, 設定, メニュー, テスト, 担当課,
    避難所, 相談窓口."""
    wb = Workbook()
    usage = wb.active
    usage.title = "使い方"
    write_usage(usage, sources["usage"])
    write_faqs(wb.create_sheet("FAQ"), sources["faqs"])
    write_synonyms(wb.create_sheet("同義語"), sources["synonyms"])
    write_settings(wb.create_sheet("設定"), sources["settings"])
    write_menu(wb.create_sheet("メニュー"), sources["menu"])
    write_tests(wb.create_sheet("テスト"), sources["tests"], sources["faqs"])
    write_departments(wb.create_sheet("担当課"), sources["departments"])
    write_shelters(wb.create_sheet("避難所"), sources["shelters"])
    write_lines(wb.create_sheet(LINES_SPEC.name))
    props = wb.properties
    props.title = "星見ヶ丘市 よくある質問(LINE窓口)"
    props.creator = "星見ヶ丘市"
    props.created = FIXED_TIME
    props.modified = FIXED_TIME
    return wb


def workbook_bytes(wb: Workbook) -> bytes:
    """Save, then repack with fixed timestamps so equal content gives equal bytes."""
    buffer = io.BytesIO()
    wb.save(buffer)
    wb.properties.modified = FIXED_TIME  # save() stamped the current time
    core = tostring(wb.properties.to_tree())
    out = io.BytesIO()
    with (
        zipfile.ZipFile(io.BytesIO(buffer.getvalue())) as source,
        zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target,
    ):
        for item in source.infolist():
            data = core if item.filename == CORE_PROPERTIES else source.read(item)
            target.writestr(zipfile.ZipInfo(item.filename, ZIP_TIME), data, zipfile.ZIP_DEFLATED)
    return out.getvalue()


def main(argv: list[str] | None = None) -> int:
    """Read the sources, write the workbook, print a one-line summary."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--source", type=Path, default=SOURCE_DIR, help="faq/source folder")
    parser.add_argument("--output", type=Path, default=OUTPUT, help="workbook to write")
    args = parser.parse_args(argv)
    sources = load_sources(args.source)
    data = workbook_bytes(build_workbook(sources))
    args.output.parent.mkdir(parents=True, exist_ok=True)
    args.output.write_bytes(data)
    print(
        f"{args.output}: FAQ {len(sources['faqs'])}件、同義語 {len(sources['synonyms'])}組、"
        f"設定 {len(sources['settings'])}項目、メニュー {len(sources['menu'])}タブ、"
        f"テスト {len(sources['tests'])}問、避難所 {len(sources['shelters'])}か所 "
        f"({len(data):,} bytes)"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
