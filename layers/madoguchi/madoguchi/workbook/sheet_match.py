"""Find the sheets a workbook uses by name; unknown, doubled and hidden sheets are reported."""

from __future__ import annotations

from collections.abc import Sequence

from madoguchi.workbook.cells import fold
from madoguchi.workbook.problems import Problem, Severity

GUIDE_SHEET = "使い方"
VISIBLE = "visible"
VERY_HIDDEN = "veryHidden"  # set by macros; Excel's "再表示" does not list such a sheet


def match_sheets(
    sheets: Sequence[tuple[str, str]], names: Sequence[str], problems: list[Problem]
) -> dict[str, str]:
    """Canonical sheet name -> title in the file, from (title, state) pairs in tab order."""
    known = ("・".join(f"「{name}」" for name in [*names, GUIDE_SHEET])) + " です。"
    wanted = {_key(name): name for name in names}
    wanted[_key(GUIDE_SHEET)] = GUIDE_SHEET
    found: dict[str, str] = {}
    others: list[tuple[str, str | None]] = []  # unknown (None) or doubled (canonical name)
    for title, _state in sheets:
        name = wanted.get(_key(title))
        if name is not None and name not in found:
            found[name] = title
        else:
            others.append((title, name))
    explained = _report_hidden(sheets, found, problems)
    for title, name in others:
        if title in explained:
            continue
        if name is None:
            problems.append(
                Problem(
                    Severity.WARNING,
                    f"「{title}」シートは使われません(読み飛ばします)。",
                    f"使えるシートは {known}メモ用のシートなら、このままで大丈夫です。",
                    sheet=title,
                )
            )
        else:
            problems.append(
                Problem(
                    Severity.WARNING,
                    f"「{name}」シートが2つあります。左側の「{found[name]}」だけを読みます。",
                    "使わない方のシートを削除するか、名前を変えてください。",
                    sheet=title,
                )
            )
    return found


def _key(title: str) -> str:
    return fold(title).casefold()


def _report_hidden(
    sheets: Sequence[tuple[str, str]], found: dict[str, str], problems: list[Problem]
) -> set[str]:
    """Warn about each hidden sheet that is read; returns the visible look-alikes it names."""
    states = dict(sheets)
    explained: set[str] = set()
    for name, title in found.items():
        state = states.get(title, VISIBLE)
        if name == GUIDE_SHEET or state == VISIBLE:
            continue
        # A visible sheet named like the hidden one is most likely the copy staff now edit.
        copies = [
            other
            for other, other_state in sheets
            if other != title and other_state == VISIBLE and _key(other).startswith(_key(name))
        ]
        explained.update(copies)
        problems.append(_hidden(name, title, state, copies))
    return explained


def _hidden(name: str, title: str, state: str, copies: list[str]) -> Problem:
    very = state == VERY_HIDDEN
    how = (
        "Excelの画面からは再表示できない方法(マクロなど)で隠されています"
        if very
        else "非表示になっています"
    )
    message = f"「{title}」シートは{how}が、公開されるのはこの非表示のシートの内容です。"
    if copies:
        shown = "・".join(f"「{c}」" for c in copies)
        message += f"表示されている{shown}シートは読みません。"
    if very:
        target = f"「{copies[0]}」シート" if copies else "見えているシート"
        fix = (
            f"{target}を公開したいなら、公開するシートを新しいブックにコピーし(シート見出しを"
            f"右クリック→「移動またはコピー」)、名前を「{name}」にして保存したブックを"
            "アップロードしてください。"
        )
    elif copies:
        fix = (
            f"「{copies[0]}」シートを公開したいなら、非表示の「{title}」シートを削除してください"
            "(シート見出しを右クリック→「再表示」で表示してから削除します)。"
        )
        if _key(copies[0]) != _key(name):
            fix += f"そのあと「{copies[0]}」の名前を「{name}」に変えてください。"
    else:
        fix = "シート見出しを右クリック→「再表示」で表示して、内容を確かめてください。"
    return Problem(Severity.WARNING, message, fix, sheet=title)
