"""The `設定` sheet: one 項目/値 pair per row, turned into BotSettings."""

from __future__ import annotations

import datetime as dt
import math
import re
from collections.abc import Sequence
from typing import Any

from madoguchi.handover.office_hours import OfficeHoursError, parse_office_hours
from madoguchi.language import texts
from madoguchi.language.codes import EASY_JAPANESE, language_named
from madoguchi.model import SETTING_KEYS, BotSettings
from madoguchi.notice import moment_of, parse_moment
from madoguchi.phone_number import phone_digits
from madoguchi.search.answer_policy import CERTAINTY_TARGETS
from madoguchi.workbook.cells import fold
from madoguchi.workbook.faq_sheet import LINE_TEXT_LIMIT
from madoguchi.workbook.table import Row, SheetSpec, SheetTable
from madoguchi.workbook.urls import url_problem

SETTINGS_SPEC = SheetSpec(
    name="設定", columns=("項目", "値", "説明"), required=("項目", "値"), max_rows=500
)

POSITIVE_INTEGERS = {"handover_timeout_minutes", "log_retention_days", "learn_min_residents"}
SWITCHES = {"learn_from_residents", "notice_broadcast"}
_ON = {"する", "はい", "○", "〇", "◯", "on", "yes", "true", "1", "学ぶ", "有効"}
_OFF = {"しない", "いいえ", "×", "✕", "off", "no", "false", "0", "学ばない", "無効"}
NOTICE_TIMES = {"notice_start", "notice_end"}
NOTICE_KEYS = (
    "お知らせのURL",
    "お知らせの開始",
    "お知らせの終了",
    "お知らせ中のメニュー",
    "お知らせの配信",
)
NOTICE_SHOWN_LENGTH = 300  # shown above every answer: a long one buries the answers
MOMENT_FIX = (
    "「2026-09-01 18:00」や「2026年9月1日 18時」のように、日本時間の日付と時刻を書いてください"
    "(日付だけなら、開始はその日の0時から、終了はその日の終わりまでです)。"
)
# Notice times after this year are typos or a "forever" (9999-12-31); an empty end is forever.
LAST_NOTICE_YEAR = 2100
PLACEHOLDERS = ("city_name", "office_hours")
INQUIRY_HOURS_LENGTH = 60
MAX_CLOSED_RANGE_DAYS = 366
OFFICE_HOURS_FIX = (
    "曜日と時刻を「月,水,金 9:00-12:00」のように書いてください。"
    "時間帯がいくつかあるときは改行で区切ります。"
)

_KEY_BY_FOLDED = {fold(key).casefold(): key for key in SETTING_KEYS}
_PLACEHOLDER = re.compile(r"\{([^{}]*)\}")
_DATE_SEPARATORS = re.compile(r"[,、，\n]+")
_DATE_RANGE = re.compile(r"\s*[~〜～]\s*")


def parse_settings(
    table: SheetTable, *, now: dt.datetime, menu_tabs: Sequence[str] | None = None
) -> BotSettings:
    """BotSettings with every valid value from the sheet; invalid values keep their default.

    `now` tells a notice that has already ended; `menu_tabs` are the メニュー sheet's tabs
    (None without one), which a notice's menu tab must name.
    """
    values: dict[str, Any] = {}
    row_of_key: dict[str, int] = {}
    for row in table.rows:
        raw_key = table.text(row, "項目")
        key = _KEY_BY_FOLDED.get(fold(raw_key).casefold())
        if not raw_key:
            if table.text(row, "値"):
                table.warning(
                    row.number,
                    "項目",
                    "項目名が空なので、この行の値は使われません。",
                    "「項目」列に設定の名前を入れてください。",
                )
            continue
        translated = translated_key(raw_key) if key is None else None
        if translated is not None:
            text = table.text(row, "値")
            if text and not table.is_broken(row, "値"):
                _check_resident_text(table, row, fold(raw_key), text)
                if len(text) <= LINE_TEXT_LIMIT:
                    values.setdefault("translated_texts", {})[translated] = text
            continue
        if key is None:
            table.warning(
                row.number,
                "項目",
                f"「{raw_key}」という項目は使われません。",
                "使える項目は " + "・".join(f"「{k}」" for k in SETTING_KEYS) + " です。",
            )
            continue
        if key in row_of_key:
            table.warning(
                row.number,
                "項目",
                f"「{key}」が {row_of_key[key]}行目 にもあります。上の行の値を使います。",
                "どちらか一方の行を削除してください。",
            )
            continue
        row_of_key[key] = row.number
        if table.is_broken(row, "値") or not table.text(row, "値"):
            continue  # an empty value keeps the default
        attribute = SETTING_KEYS[key]
        value = _convert(table, row, key, attribute)
        if value is not None:
            values[attribute] = value
    _check_notice(table, values, row_of_key, now, menu_tabs)
    return BotSettings(**values)


_TRANSLATED_KEY = re.compile(r"(.+?)\s*\((.+)\)")


def translated_key(raw_key: str) -> str | None:
    """The fixed text a key such as 「あいさつ (English)」 replaces ("greeting:en"), or None."""
    found = _TRANSLATED_KEY.fullmatch(fold(raw_key))
    if found is None:
        return None
    name = {japanese: name for name, japanese in texts.SETTING_NAMES.items()}.get(found[1])
    language_name = found[2].strip()
    code: str | None = EASY_JAPANESE
    if "".join(language_name.split()) != "やさしい日本語":
        language = language_named(language_name)
        code = language.code if language is not None else None
    if name is None or code is None:
        return None
    return texts.override_key(name, code)


def _convert(table: SheetTable, row: Row, key: str, attribute: str) -> Any:
    raw = table.raw(row, "値")
    text = table.text(row, "値")
    if attribute in POSITIVE_INTEGERS:
        return _positive_integer(table, row, key, raw, text)
    if attribute in SWITCHES:
        return _switch(table, row, key, raw, text)
    if attribute == "answer_threshold":
        return _threshold(table, row, raw, text)
    if attribute == "answer_certainty":
        return _certainty(table, row, text)
    if attribute == "office_hours":
        try:
            parse_office_hours(text)
        except OfficeHoursError as exc:
            table.error(row.number, "値", str(exc), OFFICE_HOURS_FIX)
            return None
        return text
    if attribute == "closed_days":
        return _closed_days(table, row, raw, text)
    if attribute in NOTICE_TIMES:
        return _moment(table, row, key, raw, text, end=attribute == "notice_end")
    if attribute == "notice_url":
        problem = url_problem(text)
        if problem is not None:
            table.error(row.number, "値", f"「お知らせのURL」: {problem[0]}", problem[1])
            return None
        return text
    if attribute == "notice_menu_tab":
        return text
    if attribute == "inquiry_phone":
        if phone_digits(text) is None:
            table.error(
                row.number,
                "値",
                f"「問い合わせ電話」の「{text}」は電話番号として読めません。",
                "市外局番からの番号を「0123-45-6789」のように書いてください"
                "(数字と「-」だけ、10けたか11けた。「#7119」のような短い番号も使えます。"
                "数字だけで入れると先頭の0が消えるので、「-」を入れてください)。",
            )
            return None
        return text
    if attribute == "inquiry_hours" and len(text) > INQUIRY_HOURS_LENGTH:
        table.error(
            row.number,
            "値",
            f"「問い合わせ受付時間」が長すぎます({len(text):,}文字)。",
            f"電話ボタンの横に出ます。{INQUIRY_HOURS_LENGTH}文字までで"
            "「平日 8:30-17:15」のように書いてください。",
        )
        return None
    _check_resident_text(table, row, key, text)
    if attribute == "notice" and len(text) > NOTICE_SHOWN_LENGTH:
        table.warning(
            row.number,
            "値",
            f"「お知らせ」が長めです({len(text):,}文字)。すべての回答の上に表示されます。",
            f"{NOTICE_SHOWN_LENGTH}文字くらいまでにして、くわしくは「お知らせのURL」のページに"
            "書いてください。",
        )
    return text


def _moment(
    table: SheetTable, row: Row, key: str, raw: object, text: str, *, end: bool
) -> str | None:
    """A notice's start or end as ISO text in Japan time."""
    moment: dt.datetime | None
    try:
        if isinstance(raw, dt.date):
            moment = moment_of(raw)
            if end and not isinstance(raw, dt.datetime):
                moment += dt.timedelta(days=1)  # a date alone ends at the end of that day
        else:
            moment = parse_moment(text, end=end)
    except ValueError:
        table.error(row.number, "値", f"「{key}」の日時「{text}」が読めません。", MOMENT_FIX)
        return None
    except OverflowError:  # the end of 9999-12-31 is past the last date a clock has
        moment = None
    if moment is None or moment.year > LAST_NOTICE_YEAR:
        table.error(
            row.number,
            "値",
            f"「{key}」の日付「{text}」は先すぎて扱えません({LAST_NOTICE_YEAR}年まで)。",
            "終わりを決めずに出し続けるときは「お知らせの終了」を空欄にしてください。"
            "それ以外は、実際の日付を書いてください。",
        )
        return None
    return moment.isoformat()


def _check_notice(
    table: SheetTable,
    values: dict[str, Any],
    row_of_key: dict[str, int],
    now: dt.datetime,
    menu_tabs: Sequence[str] | None,
) -> None:
    """What only the notice's rows together can tell: an end before the start or already past,
    settings without a text, a menu tab that is not on the menu."""
    start, end = values.get("notice_start"), values.get("notice_end")
    if not values.get("notice"):
        given = [key for key in NOTICE_KEYS if key in row_of_key and values.get(SETTING_KEYS[key])]
        if given:
            table.warning(
                row_of_key[given[0]],
                "値",
                "「お知らせ」の文章が空なので、お知らせは表示されません"
                "(開始・終了・URL・メニューの設定は使われません)。",
                "お知らせを出すときは「お知らせ」の行に文章を書いてください。",
            )
        return
    if start and end and dt.datetime.fromisoformat(end) <= dt.datetime.fromisoformat(start):
        table.error(
            row_of_key["お知らせの終了"],
            "値",
            f"「お知らせの終了」({_moment_ja(end)})が「お知らせの開始」({_moment_ja(start)})"
            "と同じか、それより前です。",
            "終了は開始より後の日時にしてください。",
        )
        values.pop("notice_end")
    elif end and dt.datetime.fromisoformat(end) <= now:
        table.warning(
            row_of_key["お知らせの終了"],
            "値",
            f"「お知らせの終了」({_moment_ja(end)})はもう過ぎているため、お知らせは表示されません。",
            "出し続けるときは終了の日時を先にしてください。終わったお知らせなら、"
            "「お知らせ」から「お知らせ中のメニュー」までの値を消してください。",
        )
    tab = str(values.get("notice_menu_tab") or "").strip()
    if tab and (menu_tabs is None or tab not in menu_tabs):
        shown = "・".join(f"「{t}」" for t in menu_tabs or ()) or "(メニューシートがありません)"
        table.warning(
            row_of_key["お知らせ中のメニュー"],
            "値",
            f"「お知らせ中のメニュー」の「{tab}」というタブがメニューシートにありません。"
            "お知らせの間も、いつものタブが最初に開きます。",
            f"メニューシートの「タブ」と同じ名前にしてください(いまのタブ: {shown})。",
        )


def _moment_ja(iso: str) -> str:
    moment = dt.datetime.fromisoformat(iso)
    return f"{moment.year}年{moment.month}月{moment.day}日 {moment.hour}:{moment.minute:02d}"


def _positive_integer(table: SheetTable, row: Row, key: str, raw: object, text: str) -> int | None:
    if isinstance(raw, (int, float)) and not isinstance(raw, bool):
        number = raw
    else:
        try:
            number = float(fold(text))
        except ValueError:
            number = None
    if number is None or not math.isfinite(number) or number != int(number) or number <= 0:
        table.error(
            row.number,
            "値",
            f"「{key}」の値「{text}」は使えません。1以上の整数で入力してください。",
            "半角の数字だけを入力してください(例: 60)。",
        )
        return None
    return int(number)


def _switch(table: SheetTable, row: Row, key: str, raw: object, text: str) -> bool | None:
    if isinstance(raw, bool):
        return raw
    word = fold(text).strip().casefold()
    if word in _ON:
        return True
    if word in _OFF:
        return False
    table.error(
        row.number,
        "値",
        f"「{key}」の値「{text}」は使えません。",
        "「する」か「しない」と入力してください。",
    )
    return None


def _threshold(table: SheetTable, row: Row, raw: object, text: str) -> float | None:
    try:
        number = float(raw) if isinstance(raw, (int, float)) else float(fold(text))
    except ValueError:
        number = -1.0
    if not (math.isfinite(number) and number >= 0):
        table.error(
            row.number,
            "値",
            f"「回答しきい値」の値「{text}」は使えません。0以上の数で入力してください。",
            "ふつうは空欄のままにしてください(データから自動で決めます)。",
        )
        return None
    return number


def _certainty(table: SheetTable, row: Row, text: str) -> str | None:
    word = fold(text).strip()
    if word in CERTAINTY_TARGETS:
        return word
    table.error(
        row.number,
        "値",
        f"「回答の確かさ」の値「{text}」は使えません。",
        "「ふつう」「慎重」「積極的」のどれかを入力してください"
        "(ふつう: 回答の約9割が正しくなるように。慎重: もっと確かなときだけ回答し、"
        "ほかは候補から選んでもらう。積極的: 回答を増やす代わりに、まちがいも増えます)。",
    )
    return None


def _closed_days(table: SheetTable, row: Row, raw: object, text: str) -> tuple[str, ...] | None:
    if isinstance(raw, dt.datetime):
        return (raw.date().isoformat(),)
    if isinstance(raw, dt.date):
        return (raw.isoformat(),)
    days: list[str] = []
    bad: list[str] = []
    for part in _DATE_SEPARATORS.split(fold(text)):
        part = part.strip()
        if not part:
            continue
        try:
            for day in _date_span(part):
                if day not in days:
                    days.append(day)
        except ValueError:
            bad.append(part)
    if bad:
        table.error(
            row.number,
            "値",
            "休業日の日付が読み取れません: " + "、".join(f"「{b}」" for b in bad) + "。",
            "日付は「2026-12-29」の形で、複数あるときは「,」か改行で区切ってください"
            "(続く日は「2026-12-29~2027-01-03」とも書けます)。",
        )
        return None
    return tuple(days)


def _date_span(part: str) -> list[str]:
    ends = _DATE_RANGE.split(part)
    if len(ends) > 2:
        raise ValueError(part)
    first = _iso_date(ends[0])
    last = _iso_date(ends[-1])
    span = (last - first).days
    if span < 0 or span >= MAX_CLOSED_RANGE_DAYS:
        raise ValueError(part)
    return [(first + dt.timedelta(days=step)).isoformat() for step in range(span + 1)]


def _iso_date(text: str) -> dt.date:
    parts = text.strip().replace("/", "-").split("-")
    if len(parts) != 3 or len(parts[0]) != 4:
        raise ValueError(text)
    return dt.date(int(parts[0]), int(parts[1]), int(parts[2]))


def _check_resident_text(table: SheetTable, row: Row, key: str, text: str) -> None:
    if len(text) > LINE_TEXT_LIMIT:
        table.error(
            row.number,
            "値",
            f"「{key}」が長すぎます({len(text):,}文字)。"
            f"LINEで送れるのは {LINE_TEXT_LIMIT:,}文字までです。",
            "文章を短くしてください。",
        )
    for match in _PLACEHOLDER.finditer(fold(text)):
        name = match.group(1).strip()
        allowed = "「{city_name}」(自治体名)と「{office_hours}」(職員対応時間)"
        if name not in PLACEHOLDERS:
            table.warning(
                row.number,
                "値",
                f"「{{{match.group(1)}}}」は置き換えられず、そのまま表示されます。",
                f"差し込みに使えるのは {allowed} だけです。",
            )
        elif "{" + name + "}" not in text:
            table.warning(
                row.number,
                "値",
                f"「{match.group(0)}」が置き換えられません。",
                f"半角の {{ }} で、空白を入れずに書いてください(例: {{{name}}})。",
            )
