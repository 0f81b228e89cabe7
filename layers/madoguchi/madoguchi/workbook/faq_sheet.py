"""The `FAQ` sheet: one question and its answer per row."""

from __future__ import annotations

from madoguchi.language.codes import LANGUAGES
from madoguchi.model import Faq, Translation
from madoguchi.workbook.cells import fold, id_text, split_lines, split_list
from madoguchi.workbook.table import SheetSpec, SheetTable
from madoguchi.workbook.urls import url_problem

BASE_COLUMNS = ("ID", "カテゴリ", "質問", "言い換え", "キーワード", "回答", "URL", "担当課", "公開")
# Optional translations by the city: 「質問 (English)」「回答 (English)」 for each language.
TRANSLATION_COLUMNS = {
    language.code: (f"質問 ({language.label})", f"回答 ({language.label})")
    for language in LANGUAGES
}
FAQ_SPEC = SheetSpec(
    name="FAQ",
    columns=BASE_COLUMNS + tuple(c for pair in TRANSLATION_COLUMNS.values() for c in pair),
    required=("ID", "質問", "回答"),
    max_rows=20_000,
)

LINE_TEXT_LIMIT = 5_000  # LINE refuses a text message longer than this
PHONE_READABLE_CHARS = 1_000  # beyond this an answer means a lot of scrolling on a phone

# Residents ask in a sentence or two; a longer cell is usually a pasted answer or page. Beyond the
# hard limit the row is refused: search would weigh it oddly, and e5 reads only its start anyway.
QUESTION_CHARS = (200, 1_000)  # (check, refuse)
PARAPHRASE_CHARS = (200, 1_000)  # each line of 言い換え
PARAPHRASES_CELL_CHARS = 5_000  # the whole 言い換え cell
KEYWORD_CHARS = (30, 100)  # each keyword
KEYWORDS_CELL_CHARS = 1_000  # the whole キーワード cell

PUBLISHED_MARKS = frozenset({"", "○", "〇", "◯", "o"})
UNPUBLISHED_MARKS = frozenset({"×", "x", "✕", "✖", "✗"})


def parse_faqs(table: SheetTable) -> list[Faq]:
    """Every FAQ row that can be used, reporting each problem at its cell."""
    faqs: list[Faq] = []
    first_row_of_id: dict[str, int] = {}
    first_row_of_question: dict[str, int] = {}
    for row in table.rows:
        n = row.number
        published = _published(table, row)
        faq_id = id_text(table.raw(row, "ID"))
        question = table.text(row, "質問")
        answer = table.text(row, "回答")
        if not faq_id:
            if not table.is_broken(row, "ID"):
                table.error(
                    n, "ID", "IDが空です。", "ほかの行と重ならないID(例: 番号)を入れてください。"
                )
        elif faq_id in first_row_of_id:
            first = first_row_of_id[faq_id]
            table.error(
                n,
                "ID",
                f"ID「{faq_id}」が {first}行目 と {n}行目 で重なっています。",
                "IDは行ごとに別の値にしてください(数字の 12 と全角の「12」も同じIDとみなします)。",
            )
            continue
        else:
            first_row_of_id[faq_id] = n
        _require(table, row, "質問", question, published)
        _require(table, row, "回答", answer, published)
        _check_answer_length(table, n, answer)
        _check_question_side_lengths(table, row, question)
        url = table.text(row, "URL")
        if url and (found := url_problem(url)):
            table.error(n, "URL", *found)
        if published and question:
            key = fold(question)
            if key in first_row_of_question:
                table.warning(
                    n,
                    "質問",
                    f"同じ質問が {first_row_of_question[key]}行目 にもあります。",
                    "どちらかにまとめるか、違いがわかる質問文にしてください。",
                )
            else:
                first_row_of_question[key] = n
        if not faq_id:
            continue
        faqs.append(
            Faq(
                id=faq_id,
                question=question,
                answer=answer,
                category=table.text(row, "カテゴリ"),
                paraphrases=tuple(split_lines(table.text(row, "言い換え"))),
                keywords=tuple(split_list(table.text(row, "キーワード"))),
                url=url,
                department=table.text(row, "担当課"),
                published=published,
                row=n,
                translations=_translations(table, row),
            )
        )
    if table.usable and not faqs:
        table.error(None, None, "FAQが1件もありません。", "2行目から下にFAQを入力してください。")
    elif faqs and not any(f.published for f in faqs):
        table.error(
            None,
            "公開",
            "公開するFAQが1件もありません(すべて「×」になっています)。",
            "公開するFAQの「公開」列を空欄か「○」にしてください。",
        )
    return faqs


def _published(table: SheetTable, row) -> bool:
    mark = fold(table.text(row, "公開")).casefold()
    if mark in UNPUBLISHED_MARKS:
        return False
    if mark not in PUBLISHED_MARKS:
        table.error(
            row.number,
            "公開",
            f"「公開」列の「{table.text(row, '公開')}」が読み取れません。",
            "公開するなら空欄か「○」、公開しないなら「×」を入れてください。",
        )
    return True


def _require(table: SheetTable, row, column: str, text: str, published: bool) -> None:
    if text or table.is_broken(row, column):
        return
    if published:
        table.error(row.number, column, f"{column}が空です。", f"{column}を入力してください。")
    else:
        table.warning(
            row.number,
            column,
            f"{column}が空です(非公開なので、このままでも公開できます)。",
            f"公開するときは{column}を入力してください。",
        )


def _check_answer_length(table: SheetTable, number: int, answer: str) -> None:
    if len(answer) > LINE_TEXT_LIMIT:
        table.error(
            number,
            "回答",
            f"回答が長すぎます({len(answer):,}文字)。"
            f"LINEで送れるのは {LINE_TEXT_LIMIT:,}文字までです。",
            "回答を短くして、詳しい説明はURLの先のページに載せてください。",
        )
    elif len(answer) > PHONE_READABLE_CHARS:
        table.warning(
            number,
            "回答",
            f"回答が長めです({len(answer):,}文字)。スマートフォンでは読みにくくなります。",
            f"{PHONE_READABLE_CHARS:,}文字以内を目安に短くし、詳しくはURLで案内するのがおすすめです。",
        )


def _translations(table: SheetTable, row) -> tuple[Translation, ...]:
    """The row's translated question and answer in each language that has a column."""
    found = []
    for code, (question_column, answer_column) in TRANSLATION_COLUMNS.items():
        if question_column not in table.columns and answer_column not in table.columns:
            continue
        question = table.text(row, question_column)
        answer = table.text(row, answer_column)
        if not question and not answer:
            continue
        if not question:
            table.warning(
                row.number,
                answer_column,
                f"「{answer_column}」はありますが「{question_column}」が空なので、この翻訳は使われません。",
                f"「{question_column}」に質問の翻訳を入れてください。",
            )
            continue
        if not answer:
            table.warning(
                row.number,
                question_column,
                f"「{question_column}」はありますが「{answer_column}」が空です。"
                "この言語の住民の方には日本語の回答を表示します。",
                f"「{answer_column}」に回答の翻訳を入れると、その言語で回答できます。",
            )
        elif len(answer) > LINE_TEXT_LIMIT:
            table.error(
                row.number,
                answer_column,
                f"「{answer_column}」が長すぎます({len(answer):,}文字)。"
                f"LINEで送れるのは {LINE_TEXT_LIMIT:,}文字までです。",
                "翻訳を短くしてください。",
            )
            answer = ""
        found.append(Translation(code, question, answer))
    return tuple(found)


def _check_question_side_lengths(table: SheetTable, row, question: str) -> None:
    """Long 質問, 言い換え lines and キーワード get a 【確認】; far longer ones are refused."""
    n = row.number
    _check_length(table, n, "質問", "質問", question, QUESTION_CHARS)
    paraphrases = table.text(row, "言い換え")
    keywords = table.text(row, "キーワード")
    for column, text, limit in (
        ("言い換え", paraphrases, PARAPHRASES_CELL_CHARS),
        ("キーワード", keywords, KEYWORDS_CELL_CHARS),
    ):
        if len(text) > limit:
            table.error(
                n,
                column,
                f"{column}の欄が長すぎます({len(text):,}文字。{limit:,}文字まで)。",
                f"{column}は短い言葉を並べるところです。説明の文章は回答に書いてください。",
            )
            return
    for line in split_lines(paraphrases):
        if _check_length(table, n, "言い換え", "言い換えの1行", line, PARAPHRASE_CHARS):
            break
    for keyword in split_list(keywords):
        if _check_length(table, n, "キーワード", "キーワード", keyword, KEYWORD_CHARS):
            break


def _check_length(
    table: SheetTable, n: int, column: str, what: str, text: str, limits: tuple[int, int]
) -> bool:
    """Report a long text at its cell; True when it was refused (one message per cell is enough)."""
    check, refuse = limits
    start = text[:20] + ("…" if len(text) > 20 else "")
    if len(text) > refuse:
        table.error(
            n,
            column,
            f"{what}が長すぎます({len(text):,}文字。{refuse:,}文字まで):「{start}」",
            f"住民が送る質問のように、{check:,}文字くらいまでの短い文にしてください。"
            "説明は回答に書いてください。",
        )
        return True
    if len(text) > check:
        table.warning(
            n,
            column,
            f"{what}が長めです({len(text):,}文字):「{start}」。"
            "長い文は、検索で短い質問と比べにくくなります。",
            f"{check:,}文字くらいまでの、住民が送りそうな短い文にするのがおすすめです。",
        )
    return False
