"""Real .xlsx workbooks for the indexer tests and benchmark, written with openpyxl."""

from __future__ import annotations

import io
from collections.abc import Sequence

from openpyxl import Workbook

FAQ_HEADERS = ("ID", "カテゴリ", "質問", "言い換え", "キーワード", "回答", "URL", "担当課", "公開")

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
        url = f"https://www.city.hoshimigaoka.example.jp/faq/{n + 1}"
        rows.append(
            [
                f"F{n + 1:03d}",
                category,
                question,
                paraphrase,
                keywords,
                answer,
                url,
                department,
                "○",
            ]
        )
    return rows


def make_indexer_workbook(
    faqs: Sequence[Sequence[object]] | None = None,
    *,
    tests: Sequence[tuple[str, str]] = TESTS,
    headers: Sequence[str] = FAQ_HEADERS,
    city: str = "星見ヶ丘市",
) -> bytes:
    """A complete FAQ workbook as .xlsx bytes (FAQ, 同義語, 設定, メニュー, テスト)."""
    book = Workbook()
    sheet = book.active
    sheet.title = "FAQ"
    sheet.append(list(headers))
    for row in sample_faqs() if faqs is None else faqs:
        sheet.append([row[FAQ_HEADERS.index(h)] for h in headers])
    synonyms = book.create_sheet("同義語")
    synonyms.append(["粗大ごみ", "大型ごみ"])
    settings = book.create_sheet("設定")
    settings.append(["項目", "値"])
    settings.append(["自治体名", city])
    menu = book.create_sheet("メニュー")
    menu.append(["タブ", "ボタン", "動作", "値"])
    menu.append(["くらし", "ごみ", "カテゴリ", "ごみ"])
    menu.append(["くらし", "住民票", "FAQ", "F003"])
    test_sheet = book.create_sheet("テスト")
    test_sheet.append(["質問", "正解ID"])
    for query, answer_id in tests:
        test_sheet.append([query, answer_id])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def duplicate_id_rows() -> list[list[object]]:
    """Sample rows where row 5 (F004) repeats the ID of row 3 (F002)."""
    rows = sample_faqs()
    rows[3][0] = rows[1][0]
    return rows
