"""The `相談窓口` sheet: the city's own phone lines for residents in danger.

Optional. Each row adds a line for the kinds in 種類; a row with the same 電話 or 名前 as a
national default (madoguchi.crisis.lines) takes its place.
"""

from __future__ import annotations

import re

from madoguchi.crisis.kinds import LABELS, CrisisKind
from madoguchi.crisis.lines import phone_problem
from madoguchi.model import ConsultationLine
from madoguchi.workbook.cells import fold
from madoguchi.workbook.table import Row, SheetSpec, SheetTable
from madoguchi.workbook.urls import url_problem

LINES_SPEC = SheetSpec(
    name="相談窓口",
    columns=("種類", "名前", "電話", "受付時間", "URL", "メモ"),
    required=("種類", "名前", "電話"),
    max_rows=200,
)

ALL_KINDS = "すべて"
NAME_LIMIT = 40
HOURS_LIMIT = 60
# What staff may write in 種類: the labels, the words people use for them, and すべて.
_KIND_WORDS: dict[str, tuple[CrisisKind, ...]] = {
    **{fold(label): (kind,) for kind, label in LABELS.items()},
    "自殺": (CrisisKind.SUICIDE,),
    "自傷": (CrisisKind.SUICIDE,),
    "こころ": (CrisisKind.SUICIDE,),
    "児童虐待": (CrisisKind.CHILD_ABUSE,),
    "配偶者暴力": (CrisisKind.DV,),
    "ストーカー": (CrisisKind.STALKING,),
    "監禁": (CrisisKind.STALKING,),
    "食事": (CrisisKind.BASIC_NEEDS,),
    "住まい": (CrisisKind.BASIC_NEEDS,),
    "生活": (CrisisKind.BASIC_NEEDS,),
    ALL_KINDS: tuple(CrisisKind),
}
KIND_CHOICES = (*LABELS.values(), ALL_KINDS)  # the sample workbook's drop-down
KIND_NAMES = "・".join(f"「{choice}」" for choice in KIND_CHOICES)
_SEPARATORS = re.compile(r"[、,，/／\n]+")


def parse_lines(table: SheetTable) -> list[ConsultationLine]:
    """One line per complete row; rows with a problem are reported at their cell and left out."""
    lines: list[ConsultationLine] = []
    for row in table.rows:
        line = _line(table, row)
        if line is not None:
            lines.append(line)
    return lines


def _line(table: SheetTable, row: Row) -> ConsultationLine | None:
    n = row.number
    kinds = _kinds(table, row)
    name = table.text(row, "名前")
    phone = _phone(table, row)
    hours = table.text(row, "受付時間")
    url = table.text(row, "URL")
    if not name and not table.is_broken(row, "名前"):
        table.error(
            n, "名前", "名前が空です。", "住民に見せる窓口の名前を入れてください(例:市の女性相談)。"
        )
    elif len(name) > NAME_LIMIT:
        table.error(
            n,
            "名前",
            f"名前が長すぎます({len(name)}文字)。{NAME_LIMIT}文字までです。",
            "住民が見てすぐわかる短い名前にしてください。",
        )
        name = ""
    if len(hours) > HOURS_LIMIT:
        table.warning(
            n,
            "受付時間",
            f"受付時間が長めです({len(hours)}文字)。スマートフォンでは読みにくくなります。",
            f"{HOURS_LIMIT}文字以内を目安に(例:平日8時30分〜17時15分)。",
        )
    if url:
        found = url_problem(url)
        if found:
            table.warning(n, "URL", *found)
            url = ""
    if not hours:
        table.warning(
            n,
            "受付時間",
            "受付時間が空です。住民は、いま電話がつながるのかわかりません。",
            "電話を受ける曜日と時間を入れてください(例:24時間、平日9時〜17時)。",
        )
    if not kinds or not name or not phone:
        return None
    return ConsultationLine(tuple(k.value for k in kinds), name, phone, hours, url, n)


def _kinds(table: SheetTable, row: Row) -> tuple[CrisisKind, ...]:
    text = table.text(row, "種類")
    if not text:
        if not table.is_broken(row, "種類"):
            table.error(
                row.number,
                "種類",
                "種類が空です。",
                f"この窓口を案内する相談の種類を入れてください: {KIND_NAMES}。",
            )
        return ()
    whole = _KIND_WORDS.get(fold(text))
    if whole is not None:  # 「ストーカー・監禁」 is one kind, though it has a ・ in it
        return whole
    kinds: list[CrisisKind] = []
    unknown: list[str] = []
    for part in _SEPARATORS.split(text.replace("・", "、")):
        if not part.strip():
            continue
        found = _KIND_WORDS.get(fold(part))
        if found is None:
            unknown.append(part.strip())
        else:
            kinds.extend(k for k in found if k not in kinds)
    if unknown:
        table.error(
            row.number,
            "種類",
            "わからない種類があります: " + "、".join(f"「{u}」" for u in unknown) + "。",
            f"{KIND_NAMES} のどれかを入れてください(いくつかあるときは「、」で区切ります)。",
        )
        return ()
    return tuple(kinds)


def _phone(table: SheetTable, row: Row) -> str:
    n = row.number
    raw = table.raw(row, "電話")
    phone = table.text(row, "電話")
    if not phone:
        if not table.is_broken(row, "電話"):
            table.error(
                n, "電話", "電話番号が空です。", "ボタンで電話をかける番号を入れてください。"
            )
        return ""
    if isinstance(raw, int | float) and len(phone) > 3 and not phone.startswith("0"):
        # Excel keeps 0120279338 as the number 120279338: the 0 a caller needs is gone.
        table.error(
            n,
            "電話",
            f"電話番号が数値「{phone}」になり、先頭の0が消えています。",
            "ハイフンを入れて書くか(0120-279-338)、セルの書式を「文字列」にしてから入れ直してください。",
        )
        return ""
    problem = phone_problem(phone)
    if problem:
        table.error(
            n,
            "電話",
            problem,
            "ボタンを押すとこの番号に電話がかかります。番号だけを入れてください。",
        )
        return ""
    return phone
