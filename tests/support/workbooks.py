"""Build real .xlsx files in tests from plain rows, so every test states its workbook inline.

    from tests.support.workbooks import FAQ_HEADER, faq_row, make_workbook
    data = make_workbook({"FAQ": [FAQ_HEADER, faq_row(1, "粗大ごみの出し方", "予約します。")]})
    result = validate_workbook(data)

Values are written as given: a str starting with "=" becomes a formula without a cached result
(exactly what openpyxl saves), numbers stay numbers, None leaves the cell empty. FAQ rows follow the
`FAQ` sheet's own column spec (madoguchi.workbook.faq_sheet.FAQ_SPEC). `sample_workbook()` is a
complete small workbook (FAQ, 同義語, 設定, メニュー, テスト) for the indexer tests.
"""

from __future__ import annotations

import io
from collections.abc import Sequence

from openpyxl import Workbook

from madoguchi.workbook.faq_sheet import BASE_COLUMNS

FAQ_HEADER: list[str] = list(BASE_COLUMNS)


def make_workbook(
    sheets: dict[str, Sequence[Sequence[object]]],
    *,
    merged: dict[str, Sequence[str]] | None = None,
) -> bytes:
    """Return the bytes of an .xlsx with one sheet per key (in order), rows from row 1.

    `merged` maps a sheet name to ranges to merge, e.g. {"FAQ": ["F2:F3"]}.
    """
    book = Workbook()
    book.remove(book.active)
    for name, rows in sheets.items():
        sheet = book.create_sheet(name)
        for row in rows:
            sheet.append(list(row))
        for cell_range in (merged or {}).get(name, ()):
            sheet.merge_cells(cell_range)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def faq_row(
    faq_id: object,
    question: str,
    answer: str,
    *,
    category: str = "",
    paraphrases: str = "",
    keywords: str = "",
    url: str = "",
    department: str = "",
    published: str = "",
) -> list[object]:
    """One `FAQ` sheet row in FAQ_HEADER order."""
    cells = {
        "ID": faq_id,
        "カテゴリ": category,
        "質問": question,
        "言い換え": paraphrases,
        "キーワード": keywords,
        "回答": answer,
        "URL": url,
        "担当課": department,
        "公開": published,
    }
    return [cells[column] for column in FAQ_HEADER]


# (category, question, paraphrase, keywords, answer, department)
TOPICS: tuple[tuple[str, str, str, str, str, str], ...] = (
    (
        "ごみ",
        "粗大ごみの出し方を教えてください",
        "大きなごみを捨てたい",
        "粗大ごみ,家具,申し込み",
        "粗大ごみは電話かインターネットで申し込み、処理券を貼って出してください。",
        "環境課",
    ),
    (
        "ごみ",
        "資源ごみの収集日はいつですか",
        "ペットボトルやびんはいつ出せますか",
        "資源ごみ,収集日,ペットボトル",
        "資源ごみは毎週水曜日の朝8時30分までに集積所へ出してください。",
        "環境課",
    ),
    (
        "手続き",
        "住民票の写しを取りたい",
        "住民票が必要です",
        "住民票,証明書,窓口",
        "住民票の写しは市民課の窓口かコンビニで取れます。本人確認書類をお持ちください。",
        "市民課",
    ),
    (
        "手続き",
        "引っ越してきたときの転入届について",
        "転入の手続きを知りたい",
        "転入届,引っ越し,14日",
        "転入届は引っ越してから14日以内に市民課へ出してください。",
        "市民課",
    ),
    (
        "子育て",
        "児童手当の申請方法",
        "子どもの手当をもらうには",
        "児童手当,申請,子ども",
        "児童手当は子育て支援課に申請書を出してください。マイナンバーが必要です。",
        "子育て支援課",
    ),
    (
        "子育て",
        "保育園に入りたい",
        "保育所の申し込み方法",
        "保育園,入園,申し込み",
        "保育園の入園申し込みは毎年11月に受け付けます。",
        "保育課",
    ),
    (
        "税金",
        "住民税の納付書をなくした",
        "税金の払込用紙を再発行してほしい",
        "住民税,納付書,再発行",
        "納付書の再発行は税務課へ電話でお申し出ください。",
        "税務課",
    ),
    (
        "健康",
        "インフルエンザ予防接種の助成はありますか",
        "予防接種の補助",
        "予防接種,インフルエンザ,助成",
        "65歳以上の方は予防接種の費用の一部を市が助成します。",
        "健康推進課",
    ),
)

TESTS: tuple[tuple[str, str], ...] = (
    ("ソファを捨てたいのですが", "F001"),
    ("ペットボトルの回収日", "F002"),
    ("住民票がほしい", "F003"),
    ("転入の届け出", "F004"),
    ("児童手当はどうやって申請しますか", "F005"),
    ("保育園の申し込み", "F006"),
)


def sample_faqs(count: int = len(TOPICS)) -> list[list[object]]:
    """`count` FAQ rows; beyond the base topics, numbered variants keep every row distinct."""
    rows = []
    for n in range(count):
        category, question, paraphrase, keywords, answer, department = TOPICS[n % len(TOPICS)]
        if n >= len(TOPICS):
            question = f"{question}(地区{n // len(TOPICS)}・第{n}項)"
            answer = f"{answer} 地区{n // len(TOPICS)}の窓口番号は{n}番です。"
        rows.append(
            faq_row(
                f"F{n + 1:03d}",
                question,
                answer,
                category=category,
                paraphrases=paraphrase,
                keywords=keywords,
                url=f"https://www.city.hoshimigaoka.example.jp/faq/{n + 1}",
                department=department,
                published="○",
            )
        )
    return rows


def sample_workbook(
    faqs: Sequence[Sequence[object]] | None = None,
    *,
    tests: Sequence[tuple[str, str]] = TESTS,
    columns: Sequence[str] = FAQ_HEADER,
    city: str = "星見ヶ丘市",
) -> bytes:
    """A complete workbook (FAQ, 同義語, 設定, メニュー, テスト); `columns` may leave some out."""
    rows = sample_faqs() if faqs is None else faqs
    return make_workbook(
        {
            "FAQ": [
                list(columns),
                *([row[FAQ_HEADER.index(c)] for c in columns] for row in rows),
            ],
            "同義語": [["粗大ごみ", "大型ごみ"]],
            "設定": [["項目", "値"], ["自治体名", city]],
            "メニュー": [
                ["タブ", "ボタン", "動作", "値"],
                ["くらし", "ごみ", "カテゴリ", "ごみ"],
                ["くらし", "住民票", "FAQ", "F003"],
            ],
            "テスト": [["質問", "正解ID"], *([query, answer] for query, answer in tests)],
        }
    )


def duplicate_id_rows() -> list[list[object]]:
    """Sample rows where row 5 (F004) repeats the ID of row 3 (F002)."""
    rows = sample_faqs()
    rows[3][0] = rows[1][0]
    return rows
