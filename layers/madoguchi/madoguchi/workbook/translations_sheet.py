"""The optional `多言語` sheet: the city's translations, one row per FAQ and language.

The same translations the FAQ sheet's 「質問 (English)」「回答 (English)」 columns hold, in the
shape a translation company or a colleague fills in most easily: ID, 言語, 質問, 回答. Both feed
the same Faq.translations, so search and replies use them alike. One FAQ and language is
translated in one place only: a row that repeats one, or a FAQ whose columns already translate
it into that language, is refused with both places named (neither is guessed to win).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace

from madoguchi.language.codes import LANGUAGES, language_named
from madoguchi.model import Faq, Translation
from madoguchi.workbook.cells import id_text
from madoguchi.workbook.faq_sheet import (
    FAQ_SPEC,
    LINE_TEXT_LIMIT,
    QUESTION_CHARS,
    TRANSLATION_COLUMNS,
)
from madoguchi.workbook.table import Row, SheetSpec, SheetTable

TRANSLATIONS_SPEC = SheetSpec(
    name="多言語",
    columns=("ID", "言語", "質問", "回答"),
    required=("ID", "言語", "質問"),
    max_rows=20_000,
)
LANGUAGE_NAMES = "・".join(f"「{language.label}」" for language in LANGUAGES)


def parse_translations(table: SheetTable, faqs: Sequence[Faq]) -> list[tuple[str, Translation]]:
    """Every usable row as (FAQ ID, translation), reporting each problem at its cell."""
    by_id = {faq.id: faq for faq in faqs}
    first_row: dict[tuple[str, str], int] = {}
    found: list[tuple[str, Translation]] = []
    for row in table.rows:
        n = row.number
        faq_id = id_text(table.raw(row, "ID"))
        code = _language(table, row)
        question = table.text(row, "質問")
        answer = table.text(row, "回答")
        faq = by_id.get(faq_id)
        if not faq_id:
            if not table.is_broken(row, "ID"):
                table.error(
                    n, "ID", "IDが空です。", "翻訳するFAQの、FAQシートの「ID」を入れてください。"
                )
            continue
        if faq is None:
            table.error(
                n,
                "ID",
                f"ID「{faq_id}」のFAQが、FAQシートにありません。",
                "FAQシートの「ID」列にあるIDを入れてください。",
            )
            continue
        if code is None:
            continue
        label = _label(code)
        if (faq_id, code) in first_row:
            table.error(
                n,
                "言語",
                f"ID「{faq_id}」の{label}の翻訳が {first_row[faq_id, code]}行目 にもあります。"
                "どちらを使うか決められません。",
                "どちらか一方の行を削除してください。",
            )
            continue
        first_row[faq_id, code] = n
        if faq.translation(code) is not None:
            column = TRANSLATION_COLUMNS[code][0]
            table.error(
                n,
                "言語",
                f"ID「{faq_id}」の{label}の翻訳は、{FAQ_SPEC.name}シート {faq.row}行目の"
                f"「{column}」列にもあります。どちらを使うか決められません。",
                f"翻訳は{FAQ_SPEC.name}シートの列か、この「{table.title}」シートの"
                "どちらか一方にだけ書いてください。",
            )
            continue
        translation = _translation(table, row, code, question, answer)
        if translation is not None:
            found.append((faq_id, translation))
    return found


def with_translations(faqs: Sequence[Faq], found: Sequence[tuple[str, Translation]]) -> list[Faq]:
    """The FAQs with the sheet's translations added to those of their columns."""
    added: dict[str, list[Translation]] = {}
    for faq_id, translation in found:
        added.setdefault(faq_id, []).append(translation)
    return [
        replace(faq, translations=(*faq.translations, *added[faq.id])) if faq.id in added else faq
        for faq in faqs
    ]


def _language(table: SheetTable, row: Row) -> str | None:
    """The row's language code, or None (reported at the cell)."""
    written = table.text(row, "言語")
    if not written:
        if not table.is_broken(row, "言語"):
            table.error(
                row.number,
                "言語",
                "言語が空です。",
                f"{LANGUAGE_NAMES} のどれかを入れてください(「英語」「en」のようにも書けます)。",
            )
        return None
    language = language_named(written)
    if language is None:
        table.error(
            row.number,
            "言語",
            f"言語「{written}」は使えません。",
            f"{LANGUAGE_NAMES} のどれかを入れてください(「英語」「en」のようにも書けます)。",
        )
        return None
    return language.code


def _label(code: str) -> str:
    return next(f"「{language.label}」" for language in LANGUAGES if language.code == code)


def _translation(
    table: SheetTable, row: Row, code: str, question: str, answer: str
) -> Translation | None:
    """The row's translation, with the FAQ sheet's checks on its texts."""
    n = row.number
    if not question:
        if not table.is_broken(row, "質問"):
            table.warning(
                n,
                "質問",
                "質問の翻訳が空なので、この行は使われません。",
                "「質問」に質問の翻訳を入れてください。",
            )
        return None
    if len(question) > QUESTION_CHARS[1]:
        table.error(
            n,
            "質問",
            f"質問の翻訳が長すぎます({len(question):,}文字。{QUESTION_CHARS[1]:,}文字まで)。",
            "住民が送る質問のように、短い文にしてください。",
        )
        return None
    if not answer:
        table.warning(
            n,
            "回答",
            "回答の翻訳が空です。この言語の住民の方には日本語の回答を表示します。",
            "「回答」に回答の翻訳を入れると、その言語で回答できます。",
        )
    elif len(answer) > LINE_TEXT_LIMIT:
        table.error(
            n,
            "回答",
            f"回答の翻訳が長すぎます({len(answer):,}文字)。"
            f"LINEで送れるのは {LINE_TEXT_LIMIT:,}文字までです。",
            "翻訳を短くしてください。",
        )
        answer = ""
    return Translation(code, question, answer)
