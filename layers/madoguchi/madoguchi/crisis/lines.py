"""The phone lines a resident in danger is given: national defaults, and the city's own lines.

The defaults were checked against the lines' public pages on 2026-12-07 (CHECKED_ON). Numbers and
hours change: re-check them at least once a year, and let cities add or replace lines in the
`相談窓口` sheet (madoguchi.workbook.lines_sheet) without waiting for a release.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Sequence

from madoguchi.crisis.kinds import CrisisKind
from madoguchi.model import ConsultationLine

CHECKED_ON = "2026-12-07"  # when the defaults below were last checked against official pages
MAX_LINES = 6  # lines shown in one reply: enough choice, still one screen on a phone
MAX_PHONE_LENGTH = 15  # as written, so "電話する 0120-279-338" fits LINE's 20-character label
CALL_LABEL = "電話する {phone}"

K = CrisisKind
_ALL = tuple(kind.value for kind in CrisisKind)

POLICE = ConsultationLine((K.DANGER, K.STALKING, K.DV), "警察（事件・身の危険）", "110", "24時間")
FIRE_AMBULANCE = ConsultationLine((K.DANGER,), "消防・救急（火事・急病・けが）", "119", "24時間")
# Checked on CHECKED_ON. For each kind the lines are shown in this order, after the city's own:
# the lines that answer day and night first, since many write at night.
DEFAULT_LINES: tuple[ConsultationLine, ...] = (
    POLICE,
    FIRE_AMBULANCE,
    ConsultationLine((K.CHILD_ABUSE,), "児童相談所 虐待対応ダイヤル", "189", "24時間・無料"),
    ConsultationLine(
        (K.CHILD_ABUSE, K.BULLYING), "24時間子供SOSダイヤル", "0120-0-78310", "24時間・無料"
    ),
    ConsultationLine((K.DV, K.STALKING), "DV相談＋（プラス）", "0120-279-889", "24時間・無料"),
    ConsultationLine(
        (K.DV, K.STALKING),
        "DV相談ナビ",
        "#8008",
        "お近くの相談窓口につながります（時間は窓口による）",
    ),
    ConsultationLine(_ALL, "よりそいホットライン", "0120-279-338", "24時間・無料"),
    ConsultationLine(
        (K.SUICIDE,), "いのちの電話（フリーダイヤル）", "0120-783-556", "毎日16時〜21時・無料"
    ),
    ConsultationLine((K.SUICIDE,), "いのちの電話", "0570-783-556", "毎日10時〜22時"),
    ConsultationLine((K.SUICIDE,), "#いのちSOS", "0120-061-338", "無料"),
    ConsultationLine(
        (K.SUICIDE,), "こころの健康相談統一ダイヤル", "0570-064-556", "時間は都道府県による"
    ),
)
_FIRST_FOR_DANGER = (POLICE.phone, FIRE_AMBULANCE.phone)

_PHONE = re.compile(r"#?\(?[0-9][0-9()\-]*")


def phone_digits(phone: str) -> str:
    """The number as dialled: digits, with a leading # kept ("#8008", "0120279338")."""
    text = unicodedata.normalize("NFKC", phone).strip()
    digits = "".join(ch for ch in text if ch.isdigit())
    return ("#" + digits) if text.startswith("#") else digits


def tel_uri(phone: str) -> str:
    """The tel: URI a button dials; # is written %23 (RFC 3966), or phones cut the number at it."""
    return "tel:" + phone_digits(phone).replace("#", "%23")


def phone_problem(phone: str) -> str | None:
    """Why a phone number cannot be dialled from a button (Japanese, for staff), or None."""
    text = unicodedata.normalize("NFKC", phone).strip().replace(" ", "")
    if not _PHONE.fullmatch(text):
        return (
            f"電話番号「{phone}」に数字とハイフン以外の文字があります。"
            "番号だけを書いてください(例:0120-279-338、#8008、189)。"
        )
    digits = phone_digits(text).lstrip("#")
    if not 3 <= len(digits) <= 11:
        return f"電話番号「{phone}」の桁数({len(digits)}桁)が電話番号として正しくありません。"
    if len(phone.strip()) > MAX_PHONE_LENGTH:
        return f"電話番号「{phone}」が長すぎます({MAX_PHONE_LENGTH}文字まで)。"
    return None


def call_label(phone: str) -> str:
    """The button's words: what it does and the number (within LINE's 20 characters)."""
    return CALL_LABEL.format(phone=unicodedata.normalize("NFKC", phone).strip())


def _replaced(default: ConsultationLine, city: Sequence[ConsultationLine]) -> bool:
    """A city line with the same number or the same name takes a default's place."""
    return any(
        phone_digits(line.phone) == phone_digits(default.phone)
        or unicodedata.normalize("NFKC", line.name).strip()
        == unicodedata.normalize("NFKC", default.name).strip()
        for line in city
    )


def lines_for(
    kinds: Iterable[CrisisKind], city_lines: Sequence[ConsultationLine] = ()
) -> list[ConsultationLine]:
    """The lines for these kinds (most urgent first): for immediate danger 110 and 119 first,
    then for each kind the city's own lines before the defaults they did not replace."""
    wanted = [CrisisKind(kind) for kind in kinds]
    defaults = [line for line in DEFAULT_LINES if not _replaced(line, city_lines)]
    chosen: list[ConsultationLine] = []
    seen: set[str] = set()

    def add(line: ConsultationLine) -> None:
        key = phone_digits(line.phone)
        if key not in seen and len(chosen) < MAX_LINES:
            seen.add(key)
            chosen.append(line)

    if CrisisKind.DANGER in wanted:
        for line in [*city_lines, *defaults]:
            if phone_digits(line.phone) in _FIRST_FOR_DANGER:
                add(line)
    for kind in wanted:
        for line in [*city_lines, *defaults]:
            if kind.value in line.kinds:
                add(line)
    if not chosen:  # a city narrowed every line away from this kind: never an empty list
        for line in DEFAULT_LINES:
            if set(_ALL) <= set(line.kinds):
                add(line)
    return chosen
