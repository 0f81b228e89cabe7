"""Validation problems as the Japanese text staff read after checking or uploading the workbook."""

from __future__ import annotations

from madoguchi.language.codes import BY_CODE
from madoguchi.model import Shelter, menu_languages
from madoguchi.workbook.problems import Problem, Severity, ValidationResult

LABELS = {Severity.ERROR: "【エラー】", Severity.WARNING: "【確認】"}


def format_report_ja(result: ValidationResult) -> str:
    """Headline, counts, then every error and every warning with the cell to fix."""
    errors, warnings = result.errors, result.warnings
    lines: list[str] = []
    if result.ok:
        lines.append("【結果】公開できます。")
        if warnings:
            lines.append(
                f"   念のため、確認をおすすめする点が {len(warnings)} 件あります(公開はできます)。"
            )
    else:
        lines.append(f"【結果】公開できません。次の {len(errors)} 件を直してください。")
        lines.append(
            "   直したら保存して、もう一度アップロードしてください。"
            "今公開中の内容は、それまでそのまま使われます。"
        )
    if result.workbook is not None:
        lines.append("")
        lines.extend(_counts(result))
    if errors:
        lines.append("")
        lines.append(f"■ 直す必要があるところ ({len(errors)} 件)")
        lines.extend(format_problem(p) for p in errors)
    if warnings:
        lines.append("")
        lines.append(f"■ 確認をおすすめするところ ({len(warnings)} 件)")
        lines.extend(format_problem(p) for p in warnings)
    return "\n".join(lines) + "\n"


def format_problem(problem: Problem) -> str:
    """One line: 【エラー】FAQシート 12行目 「回答」列 (F12): 回答が空です。→ 回答を入力…"""
    where: list[str] = []
    if problem.sheet is not None:
        where.append(f"{problem.sheet}シート")
    if problem.row is not None:
        where.append(f"{problem.row}行目")
    if problem.column:
        where.append(f"「{problem.column}」列")
    place = " ".join(where)
    if problem.cell:
        place = f"{place} ({problem.cell})" if place else f"({problem.cell})"
    text = LABELS[problem.severity] + (f"{place}: " if place else "") + problem.message
    return f"{text}→ {problem.fix}" if problem.fix else text


def _counts(result: ValidationResult) -> list[str]:
    workbook = result.workbook
    assert workbook is not None
    published = len(workbook.published_faqs)
    categories = {f.category for f in workbook.published_faqs if f.category}
    buttons = sum(len(tab.buttons) for tab in workbook.menu)
    hidden = len(workbook.faqs) - published
    return [
        f"FAQ: {len(workbook.faqs)} 件 (公開 {published} 件 / 非公開 {hidden} 件)",
        f"カテゴリ: {len(categories)} 個",
        f"同義語グループ: {len(workbook.synonyms)} 組",
        f"メニュー: タブ {len(workbook.menu)} 個 / ボタン {buttons} 個"
        + _menu_translations(workbook.menu),
        f"テスト質問: {len(workbook.tests)} 件",
        f"相談窓口: 市の窓口 {len(workbook.consultation_lines)} 件 (国の窓口は入っています)",
        *_shelter_counts(workbook.shelters),
        f"チェックにかかった時間: {result.seconds:.2f} 秒",
    ]


def _menu_translations(menu) -> str:
    """The languages the menu is translated into (each gets its own rich menu), if any."""
    codes = menu_languages(menu)
    if not codes:
        return ""
    return " (翻訳: " + "・".join(BY_CODE[code].label for code in codes) + ")"


def _shelter_counts(shelters: tuple[Shelter, ...]) -> list[str]:
    """How many shelters, and how many staff marked 開設 (nothing without a 避難所 sheet)."""
    if not shelters:
        return []
    opened = sum(1 for s in shelters if s.open is True)
    return [f"避難所: {len(shelters)} か所 (開設中 {opened} か所)"]
