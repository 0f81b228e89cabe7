"""The `メニュー` sheet: rich-menu tabs and their buttons, one button per row."""

from __future__ import annotations

from dataclasses import replace

from madoguchi.language.codes import LANGUAGES
from madoguchi.model import ActionKind, Faq, MenuButton, MenuTab
from madoguchi.workbook.cells import fold, id_text
from madoguchi.workbook.table import Row, SheetSpec, SheetTable
from madoguchi.workbook.urls import url_problem

# Optional translations by the city: 「タブ (English)」「ボタン (English)」 for each language, named
# like the FAQ sheet's 「質問 (English)」; each language with one gets its own rich menu.
TRANSLATION_COLUMNS = {
    language.code: (f"タブ ({language.label})", f"ボタン ({language.label})")
    for language in LANGUAGES
}
MENU_SPEC = SheetSpec(
    name="メニュー",
    columns=("タブ", "ボタン", "動作", "値", *(c for p in TRANSLATION_COLUMNS.values() for c in p)),
    required=("タブ", "ボタン", "動作"),
    max_rows=500,
)

MAX_TABS = 8
MAX_BUTTONS_PER_TAB = 6  # the menu image has six slots
TAB_NAME_LIMIT = 14
TAB_NAME_COMFORTABLE = 8
BUTTON_LABEL_LIMIT = 20
BUTTON_LABEL_COMFORTABLE = 12
# Latin letters are about half as wide as kana, so a translation may have twice the characters;
# LINE reads out only the first 20 (the action label) to a screen reader.
TRANSLATED_LABEL_LIMIT = 40
TRANSLATED_LABEL_COMFORTABLE = 20
TRANSLATED_TAB_LIMIT = 28
TRANSLATED_TAB_COMFORTABLE = 14

_ACTION_BY_FOLDED = {fold(kind.value).casefold(): kind for kind in ActionKind}
_ACTION_BY_FOLDED[fold("カテゴリー")] = ActionKind.CATEGORY
ACTION_NAMES = "・".join(f"「{kind.value}」" for kind in ActionKind)


def parse_menu(table: SheetTable, faqs: list[Faq]) -> list[MenuTab]:
    """Tabs in order of first appearance; an empty 「タブ」 cell continues the tab above."""
    by_id = {faq.id: faq for faq in faqs}
    categories = {fold(f.category): f.category for f in faqs if f.published and f.category}
    buttons_of: dict[str, list[MenuButton]] = {}
    first_row_of: dict[str, int] = {}
    button_rows: dict[str, int] = {}  # rows that try to be a button, valid or not
    tab_translations: dict[str, dict[str, tuple[str, int]]] = {}  # tab -> code -> (name, row)
    current = ""
    for row in table.rows:
        tab = table.text(row, "タブ")
        if tab:
            current = tab
        elif not current:
            table.error(
                row.number,
                "タブ",
                "タブの名前が空です。",
                "この行のボタンを置くタブの名前を入れてください。",
            )
            continue
        if current not in buttons_of:
            buttons_of[current] = []
            first_row_of[current] = row.number
            button_rows[current] = 0
        if any(table.text(row, column) for column in ("ボタン", "動作", "値")):
            button_rows[current] += 1
        _tab_translations(table, row, current, tab_translations.setdefault(current, {}))
        button = _button(table, row, by_id, categories)
        if button is not None:
            buttons_of[current].append(button)
    tabs = [
        MenuTab(
            name,
            tuple(buttons),
            tuple((code, named) for code, (named, _) in tab_translations[name].items()),
        )
        for name, buttons in buttons_of.items()
    ]
    _check_tabs(table, tabs, first_row_of, button_rows)
    return tabs


def _button(
    table: SheetTable, row: Row, by_id: dict[str, Faq], categories: dict[str, str]
) -> MenuButton | None:
    n = row.number
    label = table.text(row, "ボタン")
    action_text = table.text(row, "動作")
    value = table.text(row, "値")
    if not label and not action_text and not value:
        for _, column in TRANSLATION_COLUMNS.values():
            if table.text(row, column):
                table.warning(
                    n,
                    column,
                    f"「{column}」がありますが、この行にはボタンがありません(使われません)。",
                    "ボタンの翻訳は、そのボタンの行に入れてください。",
                )
        return None  # a row that only names a tab
    if not label:
        if not table.is_broken(row, "ボタン"):
            table.error(
                n, "ボタン", "ボタンの文字が空です。", "ボタンに表示する文字を入れてください。"
            )
        return None
    _check_label(table, n, label)
    action = _ACTION_BY_FOLDED.get(fold(action_text).casefold())
    if action is None:
        shown = f"「{action_text}」は使えません。" if action_text else "動作が空です。"
        table.error(n, "動作", shown, f"{ACTION_NAMES} のどれかを入れてください。")
        return None
    checked = _checked_value(table, n, action, value, by_id, categories)
    if checked is None:
        return None
    return replace(MenuButton(label, action, checked, n), translations=_labels(table, row))


def _tab_translations(
    table: SheetTable, row: Row, tab: str, found: dict[str, tuple[str, int]]
) -> None:
    """The tab's translated names on this row; the first row that gives one wins."""
    for code, (column, _) in TRANSLATION_COLUMNS.items():
        name = table.text(row, column)
        if not name:
            continue
        if code in found:
            if found[code][0] != name:
                table.warning(
                    row.number,
                    column,
                    f"タブ「{tab}」の「{column}」が {found[code][1]}行目 と違います"
                    f"(「{found[code][0]}」と「{name}」)。{found[code][1]}行目の方を使います。",
                    "同じタブの翻訳は、タブの名前を書いた最初の行にだけ入れてください。",
                )
            continue
        if len(name) > TRANSLATED_TAB_LIMIT:
            table.error(
                row.number,
                column,
                f"「{column}」が長すぎます({len(name)}文字)。{TRANSLATED_TAB_LIMIT}文字までです。",
                f"{TRANSLATED_TAB_COMFORTABLE}文字以内を目安に短くしてください。",
            )
            continue
        if len(name) > TRANSLATED_TAB_COMFORTABLE:
            table.warning(
                row.number,
                column,
                f"「{column}」が長めです({len(name)}文字)。小さく表示されることがあります。",
                f"{TRANSLATED_TAB_COMFORTABLE}文字以内がおすすめです。",
            )
        found[code] = (name, row.number)


def _labels(table: SheetTable, row: Row) -> tuple[tuple[str, str], ...]:
    """The button's translated labels on this row, each checked for length."""
    labels = []
    for code, (_, column) in TRANSLATION_COLUMNS.items():
        label = table.text(row, column)
        if not label:
            continue
        if len(label) > TRANSLATED_LABEL_LIMIT:
            table.error(
                row.number,
                column,
                f"「{column}」が長すぎます({len(label)}文字)。{TRANSLATED_LABEL_LIMIT}文字までです。",
                f"{TRANSLATED_LABEL_COMFORTABLE}文字以内を目安に短くしてください。",
            )
            continue
        if len(label) > TRANSLATED_LABEL_COMFORTABLE:
            table.warning(
                row.number,
                column,
                f"「{column}」が長めです({len(label)}文字)。小さく表示され、"
                f"読み上げは最初の{TRANSLATED_LABEL_COMFORTABLE}文字までになります。",
                f"{TRANSLATED_LABEL_COMFORTABLE}文字以内がおすすめです。",
            )
        labels.append((code, label))
    return tuple(labels)


def _checked_value(
    table: SheetTable,
    n: int,
    action: ActionKind,
    value: str,
    by_id: dict[str, Faq],
    categories: dict[str, str],
) -> str | None:
    if action in (ActionKind.STAFF, ActionKind.SHELTER):
        return ""
    if action is ActionKind.FAQ:
        faq_id = id_text(value)
        faq = by_id.get(faq_id)
        if faq is None:
            what = (
                f"ID「{faq_id}」のFAQがFAQシートにありません。" if faq_id else "FAQのIDが空です。"
            )
            table.error(n, "値", what, "FAQシートの「ID」列にあるIDを入れてください。")
            return None
        if not faq.published:
            table.error(
                n,
                "値",
                f"ID「{faq_id}」のFAQは非公開です({faq.row}行目)。",
                "公開しているFAQのIDにするか、そのFAQを公開してください。",
            )
            return None
        return faq_id
    if action is ActionKind.CATEGORY:
        category = categories.get(fold(value))
        if category is None:
            known = "・".join(f"「{c}」" for c in categories.values()) or "(なし)"
            what = f"カテゴリ「{value}」のFAQがありません。" if value else "カテゴリが空です。"
            table.error(
                n,
                "値",
                what,
                f"FAQシートの「カテゴリ」列にある名前を入れてください。今あるカテゴリ: {known}",
            )
            return None
        return category
    if action is ActionKind.URL:
        found = (
            url_problem(value) if value else ("URLが空です。", "開くページのURLを入れてください。")
        )
        if found:
            table.error(n, "値", *found)
            return None
        return value
    if not value:
        table.error(n, "値", "送る文字が空です。", "ボタンを押したときに送る文字を入れてください。")
        return None
    return value


def _check_label(table: SheetTable, n: int, label: str) -> None:
    if len(label) > BUTTON_LABEL_LIMIT:
        table.error(
            n,
            "ボタン",
            f"ボタンの文字が長すぎます({len(label)}文字)。{BUTTON_LABEL_LIMIT}文字までです。",
            f"{BUTTON_LABEL_COMFORTABLE}文字以内を目安に短くしてください。",
        )
    elif len(label) > BUTTON_LABEL_COMFORTABLE:
        table.warning(
            n,
            "ボタン",
            f"ボタンの文字が長めです({len(label)}文字)。小さく表示されることがあります。",
            f"{BUTTON_LABEL_COMFORTABLE}文字以内がおすすめです。",
        )


def _check_tabs(
    table: SheetTable,
    tabs: list[MenuTab],
    first_row_of: dict[str, int],
    button_rows: dict[str, int],
) -> None:
    for tab in tabs:
        n = first_row_of[tab.name]
        count = button_rows[tab.name]
        if len(tab.name) > TAB_NAME_LIMIT:
            table.error(
                n,
                "タブ",
                f"タブの名前「{tab.name}」が長すぎます({len(tab.name)}文字)。{TAB_NAME_LIMIT}文字までです。",
                f"{TAB_NAME_COMFORTABLE}文字以内を目安に短くしてください。",
            )
        elif len(tab.name) > TAB_NAME_COMFORTABLE:
            table.warning(
                n,
                "タブ",
                f"タブの名前「{tab.name}」が長めです({len(tab.name)}文字)。小さく表示されることがあります。",
                f"{TAB_NAME_COMFORTABLE}文字以内がおすすめです。",
            )
        if not count:
            table.error(
                n,
                "タブ",
                f"タブ「{tab.name}」にボタンがありません。",
                "このタブのボタンの行を追加するか、タブの行を削除してください。",
            )
        elif count > MAX_BUTTONS_PER_TAB:
            table.error(
                n,
                "タブ",
                f"タブ「{tab.name}」のボタンが {count}個 あります。1つのタブに置けるのは "
                f"{MAX_BUTTONS_PER_TAB}個までです。",
                "ボタンを減らすか、別のタブに分けてください。",
            )
    if len(tabs) > MAX_TABS:
        extra = tabs[MAX_TABS].name
        table.error(
            first_row_of[extra],
            "タブ",
            f"タブが {len(tabs)}個 あります。メニューに置けるタブは {MAX_TABS}個までです"
            f"(「{extra}」から後が入りません)。",
            "タブをまとめて減らしてください。",
        )
