"""The optional `避難所` sheet: one shelter per row, as staff keep it or as the national open
data for designated shelters has it (pasted with its own column names)."""

from __future__ import annotations

import math

from madoguchi.model import Shelter, ShelterKind
from madoguchi.shelters.hazards import HAZARDS, hazard_of
from madoguchi.workbook.cells import fold, split_list
from madoguchi.workbook.table import Row, SheetSpec, SheetTable
from madoguchi.workbook.urls import url_problem

# Several names for one column: the first is the sheet's own, the rest the open data's.
NAME_COLUMNS = ("名前", "名称", "施設・場所名", "施設名")
ADDRESS_COLUMNS = ("住所", "所在地")
PHONE_COLUMNS = ("電話", "電話番号")
# One column per hazard, holding 1 or ○ where the shelter serves it (the open data's form).
HAZARD_COLUMNS = (
    "洪水",
    "崖崩れ、土石流及び地滑り",
    "高潮",
    "地震",
    "津波",
    "大規模な火事",
    "内水氾濫",
    "火山現象",
)
OPEN_DATA_HAZARD_COLUMNS = tuple(f"災害種別_{name}" for name in HAZARD_COLUMNS)
# Columns of the open data that are read past without a warning.
IGNORED_COLUMNS = (
    "全国地方公共団体コード",
    "ID",
    "NO",
    "共通ID",
    "名称_カナ",
    "名称_英字",
    "所在地_全国地方公共団体コード",
    "町字ID",
    "所在地_連結表記",
    "所在地_都道府県",
    "所在地_市区町村",
    "所在地_町字",
    "所在地_番地以下",
    "建物名等(方書)",
    "方書",
    "標高",
    "高さ",
    "収容人数",
    "想定収容人数",
    "対象となる町会・自治会",
    "指定避難所との住所同一",
    "指定避難所との重複",
    "備考",
    "メモ",
)

SHELTERS_SPEC = SheetSpec(
    name="避難所",
    columns=(
        "名前",
        "住所",
        "緯度",
        "経度",
        "種別",
        "対象",
        "開設",
        "電話",
        "URL",
        *NAME_COLUMNS[1:],
        *ADDRESS_COLUMNS[1:],
        *PHONE_COLUMNS[1:],
        *HAZARD_COLUMNS,
        *OPEN_DATA_HAZARD_COLUMNS,
        *IGNORED_COLUMNS,
    ),
    required=("緯度", "経度"),
    max_rows=20_000,
)

# Japan from Okinotorishima to Etorofu and from Yonaguni to Minamitorishima, with a margin.
LATITUDE_RANGE = (20.0, 46.0)
LONGITUDE_RANGE = (122.0, 154.0)

_KIND_WORDS = {
    "指定避難所": ShelterKind.SHELTER,
    "避難所": ShelterKind.SHELTER,
    "指定緊急避難場所": ShelterKind.EVACUATION_SITE,
    "緊急避難場所": ShelterKind.EVACUATION_SITE,
    "避難場所": ShelterKind.EVACUATION_SITE,
    "福祉避難所": ShelterKind.WELFARE,
    "指定福祉避難所": ShelterKind.WELFARE,
}
_OPEN = {"開設", "開設中", "開設済", "開設済み", "開", "○", "〇", "◯", "open"}
_CLOSED = {"閉鎖", "閉鎖中", "閉", "×", "✕", "closed"}
_MARKED = {"1", "○", "〇", "◯", "●", "有", "あり", "対象", "true", "yes"}
KIND_NAMES = "・".join(f"「{kind.value}」" for kind in ShelterKind)
HAZARD_NAMES = "・".join(HAZARDS)


def parse_shelters(table: SheetTable) -> list[Shelter]:
    """The shelters of valid rows; each problem is reported at its cell."""
    name_column = next((c for c in NAME_COLUMNS if c in table.columns), None)
    if name_column is None:
        table.error(
            1,
            None,
            "避難所シートに「名前」の列がありません。",
            "1行目に「名前」という見出しを入れ、その列に避難所の名前を書いてください。",
        )
        return []
    shelters: list[Shelter] = []
    row_of_name: dict[str, int] = {}
    for row in table.rows:
        name = table.text(row, name_column)
        if not name:
            if not table.is_broken(row, name_column):
                table.error(
                    row.number,
                    name_column,
                    "避難所の名前が空です。",
                    "名前を入れるか、使わない行なら行ごと削除してください。",
                )
            continue
        key = fold(name).casefold()
        if key in row_of_name:
            table.error(
                row.number,
                name_column,
                f"「{name}」が {row_of_name[key]}行目 にもあります。",
                "同じ避難所なら一方の行を削除し、別の避難所なら名前で区別できるようにしてください"
                "(例: 「星見ヶ丘小学校 体育館」)。",
            )
            continue
        row_of_name[key] = row.number
        shelter = _shelter(table, row, name)
        if shelter is not None:
            shelters.append(shelter)
    return shelters


def _first_text(table: SheetTable, row: Row, columns: tuple[str, ...]) -> str:
    return next((text for c in columns if (text := table.text(row, c))), "")


def _shelter(table: SheetTable, row: Row, name: str) -> Shelter | None:
    latitude = _coordinate(table, row, "緯度", LATITUDE_RANGE)
    longitude = _coordinate(table, row, "経度", LONGITUDE_RANGE)
    if latitude is None or longitude is None:
        return None
    if not _inside_japan(latitude, longitude):
        swapped = _inside_japan(longitude, latitude)
        table.error(
            row.number,
            "緯度",
            f"緯度 {latitude}・経度 {longitude} は日本の外です。",
            "緯度と経度が入れ替わっていないか確かめてください(日本では緯度は20〜46、経度は"
            "122〜154くらいです)。"
            if swapped
            else "地図サイトで避難所の位置を確かめ、緯度・経度を十進数で入れてください"
            "(例: 緯度 35.6812、経度 139.7671)。",
        )
        return None
    url = table.text(row, "URL")
    if url and (problem := url_problem(url)) is not None:
        table.error(row.number, "URL", *problem)
        return None
    kinds = _kinds(table, row)
    if kinds is None:
        return None
    return Shelter(
        name=name,
        address=_first_text(table, row, ADDRESS_COLUMNS),
        latitude=latitude,
        longitude=longitude,
        kinds=kinds,
        hazards=_hazards(table, row),
        open=_open(table, row),
        phone=_first_text(table, row, PHONE_COLUMNS),
        url=url,
        row=row.number,
    )


def _inside_japan(latitude: float, longitude: float) -> bool:
    return (
        LATITUDE_RANGE[0] <= latitude <= LATITUDE_RANGE[1]
        and LONGITUDE_RANGE[0] <= longitude <= LONGITUDE_RANGE[1]
    )


def _coordinate(
    table: SheetTable, row: Row, column: str, bounds: tuple[float, float]
) -> float | None:
    raw = table.raw(row, column)
    text = table.text(row, column)
    if table.is_broken(row, column):
        return None
    if not text:
        table.error(
            row.number,
            column,
            f"{column}が空です。",
            "地図サイトで避難所の位置を調べ、十進数で入れてください(例: 35.6812)。",
        )
        return None
    try:
        value = float(raw) if isinstance(raw, int | float) else float(fold(text))
    except ValueError:
        value = math.nan
    if not math.isfinite(value):
        table.error(
            row.number,
            column,
            f"{column}「{text}」が数として読めません。",
            "「35.6812」のように十進数で入れてください(度・分・秒の形は使えません)。",
        )
        return None
    return value


def _kinds(table: SheetTable, row: Row) -> tuple[ShelterKind, ...] | None:
    text = table.text(row, "種別")
    kinds: list[ShelterKind] = []
    unknown: list[str] = []
    for word in split_list(fold(text).replace("・", "、").replace("/", "、")):
        kind = _KIND_WORDS.get(word)
        if kind is None:
            unknown.append(word)
        elif kind not in kinds:
            kinds.append(kind)
    if unknown:
        table.error(
            row.number,
            "種別",
            "種別 " + "、".join(f"「{w}」" for w in unknown) + " は使えません。",
            f"{KIND_NAMES} のどれかを入れてください(両方なら「、」で区切ります)。",
        )
        return None
    return tuple(kinds)


def _hazards(table: SheetTable, row: Row) -> tuple[str, ...]:
    found: set[str] = set()
    text = table.text(row, "対象")
    unknown: list[str] = []
    for word in split_list(fold(text).replace("・", "、").replace("/", "、")):
        hazard = hazard_of(word)
        if hazard is None:
            unknown.append(word)
        else:
            found.add(hazard)
    if unknown:
        table.warning(
            row.number,
            "対象",
            "対象の " + "、".join(f"「{w}」" for w in unknown) + " はわからないので、使いません。",
            f"{HAZARD_NAMES} のどれかを「・」で区切って入れてください。",
        )
    for column in (*HAZARD_COLUMNS, *OPEN_DATA_HAZARD_COLUMNS):
        if column in table.columns and fold(table.text(row, column)).casefold() in _MARKED:
            hazard = hazard_of(column)
            if hazard is not None:
                found.add(hazard)
    return tuple(h for h in HAZARDS if h in found)


def _open(table: SheetTable, row: Row) -> bool | None:
    text = fold(table.text(row, "開設")).casefold()
    if not text:
        return None
    if text in _OPEN:
        return True
    if text in _CLOSED:
        return False
    table.warning(
        row.number,
        "開設",
        f"開設「{table.text(row, '開設')}」がわからないので、開設していないものとして扱います。",
        "「開設」か「閉鎖」を入れてください(わからないときは空欄にします)。",
    )
    return None
