"""The optional `担当課` sheet: each department's phone, hours, web page and place, so an answer
can end with a button that calls it."""

from __future__ import annotations

import re

from madoguchi.model import Department, Faq
from madoguchi.workbook.cells import fold
from madoguchi.workbook.table import SheetSpec, SheetTable
from madoguchi.workbook.urls import url_problem

DEPARTMENTS_SPEC = SheetSpec(
    name="担当課",
    columns=("課名", "電話", "受付時間", "URL", "場所"),
    required=("課名",),
    max_rows=1_000,
)
# A phone number as staff write it: digits with hyphens, spaces or brackets (#8008 too).
_PHONE = re.compile(r"[+#]?[0-9０-９][0-9０-９\-‐－ー() （）]*")
MIN_DIGITS, MAX_DIGITS = 3, 15


def parse_departments(table: SheetTable) -> list[Department]:
    """One department per row; a number a phone cannot dial is reported at its cell."""
    found: list[Department] = []
    first_row: dict[str, int] = {}
    for row in table.rows:
        name = table.text(row, "課名")
        if not name:
            if not table.is_broken(row, "課名"):
                table.warning(
                    row.number,
                    "課名",
                    "課名が空なので、この行は使われません。",
                    "FAQシートの「担当課」列と同じ課名を入れてください。",
                )
            continue
        if name in first_row:
            table.warning(
                row.number,
                "課名",
                f"課名「{name}」が {first_row[name]}行目 にもあります。上の行を使います。",
                "どちらか一方の行を削除してください。",
            )
            continue
        first_row[name] = row.number
        phone = fold(table.text(row, "電話"))
        digits = sum(c.isdigit() for c in phone)
        if phone and (not _PHONE.fullmatch(phone) or not MIN_DIGITS <= digits <= MAX_DIGITS):
            table.error(
                row.number,
                "電話",
                f"電話番号「{phone}」は、スマートフォンからかけられる形になっていません。",
                "0120-000-000 のように、数字とハイフンで書いてください。",
            )
            phone = ""
        url = table.text(row, "URL")
        if url and (problem := url_problem(url)):
            table.error(row.number, "URL", *problem)
            url = ""
        found.append(
            Department(
                name,
                phone,
                table.text(row, "受付時間"),
                url,
                table.text(row, "場所"),
                row.number,
            )
        )
    return found


def check_references(faq_table: SheetTable, faqs: list[Faq], departments: list[Department]) -> None:
    """A FAQ's 担当課 that the 担当課 sheet does not list: its answer ends without the buttons."""
    known = {d.name for d in departments}
    for faq in faqs:
        name = faq.department.strip()
        if name and name not in known:
            faq_table.warning(
                faq.row,
                "担当課",
                f"担当課「{name}」が「担当課」シートにありません。"
                "この回答には、電話をかけるボタンが付きません。",
                "「担当課」シートに同じ課名の行(電話・受付時間など)を足すか、"
                "課名の書き方をそろえてください。",
            )
