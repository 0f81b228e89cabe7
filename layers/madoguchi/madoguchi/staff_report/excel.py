"""The staff report as an Excel workbook: one sheet per question staff ask of the log."""

from __future__ import annotations

import io
from collections.abc import Sequence
from datetime import datetime
from typing import Any

from openpyxl import Workbook
from openpyxl.chart import BarChart, Reference
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.worksheet.worksheet import Worksheet

from madoguchi.clock import JST
from madoguchi.crisis.kinds import LABELS, CrisisKind
from madoguchi.handover.office_hours import WEEKDAYS_JA
from madoguchi.learning.personal import mask_personal
from madoguchi.model import ActionKind, MenuButton
from madoguchi.staff_report.period import japanese_moment, period_text
from madoguchi.staff_report.stats import MENU, VIEW_SOURCES, FaqCounts, ReportData, ReportIndex
from madoguchi.workbook.text_cells import write_cell

_HEADER_FILL = PatternFill("solid", fgColor="DCE6F1")
_TITLE_FONT = Font(bold=True, size=14)
_BOLD = Font(bold=True)
_WRAP = Alignment(wrap_text=True, vertical="top")
_PERCENT = "0.0%"
MAX_EXAMPLES = 5
CRISIS_SHEET = "相談窓口の案内"

SOURCE_LABELS = {
    "menu": "メニュー",
    "button": "返事の下のボタン",
    "typed": "文字で依頼",
    "offer": "2回答えられなかった後の案内",
    "feedback": "役に立たなかった後の案内",
    "crisis": "相談窓口の案内の後(至急)",
    "": "メニュー・ボタン",  # buttons sent before the sources were recorded
}
# Where residents saw a FAQ (stats.VIEW_SOURCES), as column headings.
VIEW_LABELS = {
    "answer": "検索の回答",
    "candidate": "ほかの候補から",
    "choice": "選択肢から",
    "menu": "メニューから",
    "category": "分野の一覧から",
    "": "その他のボタンから",
}


def render(data: ReportData, index: ReportIndex | None, generated_at: datetime) -> bytes:
    """The workbook as .xlsx bytes."""
    book = Workbook()
    _summary(book.active, data, generated_at)
    _popular(book.create_sheet("よく見られたFAQ"), data, index)
    _words(book.create_sheet("よく検索された言葉"), data)
    _unanswered(book.create_sheet("答えられなかった質問"), data)
    _low_rated(book.create_sheet("評価の低い回答"), data, index)
    _menu(book.create_sheet("メニューの提案"), data, index)
    _learned(book.create_sheet("学習した言い換え"), index)
    _crisis(book.create_sheet(CRISIS_SHEET), data)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _question(index: ReportIndex | None, faq_id: str) -> tuple[str, str]:
    faq = index.faq(faq_id) if index is not None else None
    if faq is None:
        return "(いまは公開されていないFAQ)" if index is not None else "", ""
    return faq.question, faq.category


def _table(
    sheet: Worksheet,
    top: int,
    headers: Sequence[str],
    rows: Sequence[Sequence[Any]],
    widths: Sequence[int] | None = None,
) -> int:
    """Write a header row and rows from row `top`; returns the next free row."""
    for col, header in enumerate(headers, start=1):
        cell = write_cell(sheet, top, col, header)
        cell.font = _BOLD
        cell.fill = _HEADER_FILL
        cell.alignment = Alignment(wrap_text=True, vertical="center")
    for r, row in enumerate(rows, start=top + 1):
        for col, value in enumerate(row, start=1):
            cell = write_cell(sheet, r, col, value)
            cell.alignment = _WRAP
            if isinstance(value, float):
                cell.number_format = _PERCENT
    for col, width in enumerate(widths or (), start=1):
        letter = sheet.cell(row=1, column=col).column_letter
        sheet.column_dimensions[letter].width = max(
            sheet.column_dimensions[letter].width or 0, width
        )
    return top + len(rows) + 1


def _ratio(part: int, whole: int) -> float | str:
    return part / whole if whole else "—"


def _bar_chart(sheet: Worksheet, title: str, head: int, rows: int, anchor: str) -> None:
    chart = BarChart()
    chart.type = "col"
    chart.title = title
    chart.y_axis.title = "件数"
    chart.height, chart.width = 7.5, 18
    values = Reference(sheet, min_col=2, max_col=3, min_row=head, max_row=head + rows)
    labels = Reference(sheet, min_col=1, min_row=head + 1, max_row=head + rows)
    chart.add_data(values, titles_from_data=True)
    chart.set_categories(labels)
    sheet.add_chart(chart, anchor)


def _summary(sheet: Worksheet, data: ReportData, generated_at: datetime) -> None:
    sheet.title = "概要"
    sheet["A1"] = "窓口 利用レポート"
    sheet["A1"].font = _TITLE_FONT
    sheet["A2"] = f"期間:{period_text(data.since, data.until)} 作成:{japanese_moment(generated_at)}"
    rated = data.helpful + data.unhelpful
    figures = [
        ("質問数", data.searches, "LINE で送られた質問の数"),
        ("回答できた数", data.answered, "いちばん近いFAQを回答として返した数"),
        ("回答できた割合", _ratio(data.answered, data.searches), ""),
        ("答えられなかった数", data.searches - data.answered, "「答えられなかった質問」シート"),
        ("職員への引き継ぎ数", data.handovers, "「職員に相談」で職員につないだ数"),
        (
            "引き継ぎ中に届いたメッセージ",
            data.handover_messages,
            "職員がチャットで対応した件数の目安",
        ),
        (
            "あいさつ・お礼など",
            data.small_talk,
            "「ありがとう」「こんにちは」「?」など。短く返事をし、質問には数えません",
        ),
        (
            "相談窓口を案内した数",
            data.crisis,
            f"身の危険や強い苦しさをうかがわせるメッセージ。「{CRISIS_SHEET}」シート(本文は記録しません)",
        ),
        (
            "避難所の検索",
            data.shelter_searches,
            "位置情報を送って近くの避難所を調べた数(位置は記録しません)",
        ),
        (
            "  うち開設中の避難所がなかった",
            data.shelter_none_open,
            "開設中の避難所がなく、近くの指定避難所をお知らせした数",
        ),
        (
            "FAQが表示された回数",
            sum(data.views.values()),
            "検索の回答と、ボタンを押して開いた回数の合計(内訳は下)",
        ),
        ("役に立った", data.helpful, ""),
        ("役に立たなかった", data.unhelpful, "「評価の低い回答」シート"),
        ("役に立った割合", _ratio(data.helpful, rated), "評価のあった回答のうち"),
    ]
    end = _table(sheet, 4, ["項目", "値", "説明"], figures, widths=[30, 14, 44])
    breakdown = [
        (f"  FAQの表示:{VIEW_LABELS[source]}", data.views[source])
        for source in VIEW_SOURCES
        if data.views[source]
    ]
    breakdown += [
        (f"  引き継ぎのきっかけ:{SOURCE_LABELS.get(k, 'その他')}", n)
        for k, n in data.handover_sources.most_common()
    ]
    for label, count in breakdown:
        write_cell(sheet, end, 1, label)
        write_cell(sheet, end, 2, count)
        end += 1
    hour_top = end + 1
    hours = [[f"{h}時", n, ok] for h, (n, ok) in enumerate(data.by_hour)]
    end = _table(sheet, hour_top, ["時間帯", "質問数", "回答できた数"], hours)
    _bar_chart(sheet, "時間帯別の質問数", hour_top, 24, f"E{hour_top}")
    week_top = end + 1
    weeks = [[f"{WEEKDAYS_JA[d]}曜日", n, ok] for d, (n, ok) in enumerate(data.by_weekday)]
    end = _table(sheet, week_top, ["曜日", "質問数", "回答できた数"], weeks)
    _bar_chart(sheet, "曜日別の質問数", week_top, 7, f"E{week_top}")
    day_top = max(end + 1, week_top + 16)  # below the weekday chart
    days = [
        [f"{d.month}月{d.day}日({WEEKDAYS_JA[d.weekday()]})", *v] for d, v in data.by_day.items()
    ]
    _table(sheet, day_top, ["日付", "質問数", "回答できた数", "職員への引き継ぎ数"], days)
    _bar_chart(sheet, "日別の質問数", day_top, len(days), f"F{day_top}")
    sheet.freeze_panes = "A4"


def _popular(sheet: Worksheet, data: ReportData, index: ReportIndex | None) -> None:
    ranked = sorted(data.faqs.values(), key=lambda c: (-c.seen, c.faq_id))
    rows = []
    for rank, counts in enumerate((c for c in ranked if c.seen), start=1):
        question, category = _question(index, counts.faq_id)
        views = [counts.views[source] for source in VIEW_SOURCES]
        rows.append(
            [
                rank,
                counts.faq_id,
                question,
                category,
                *views,
                counts.seen,
                counts.helpful,
                counts.unhelpful,
            ]
        )
    headers = [
        "順位",
        "FAQ ID",
        "質問",
        "カテゴリ",
        *(VIEW_LABELS[source] for source in VIEW_SOURCES),
        "合計",
        "役に立った",
        "役に立たなかった",
    ]
    widths = [7, 12, 50, 16, *(11 for _ in VIEW_SOURCES), 10, 11, 11]
    _table(sheet, 1, headers, rows, widths=widths)
    sheet.freeze_panes = "A2"


def _words(sheet: Worksheet, data: ReportData) -> None:
    rows = [
        [rank, mask_personal(word), n, missed, _ratio(missed, n)]
        for rank, (word, n, missed) in enumerate(data.words, start=1)
    ]
    headers = ["順位", "言葉", "この言葉を含む質問", "うち答えられなかった", "答えられなかった割合"]
    _table(sheet, 1, headers, rows, widths=[7, 24, 14, 14, 14])
    sheet.freeze_panes = "A2"


def _unanswered(sheet: Worksheet, data: ReportData) -> None:
    rows = []
    for number, item in enumerate(data.unanswered, start=1):
        closest = f"{item.closest_id} {item.closest_question}".strip() or "(なし)"
        confidence = "—" if item.confidence is None else round(item.confidence, 2)
        # Residents' own words: a phone number or a name in them is masked as ＊＊＊.
        examples = "\n".join(mask_personal(q) for q in item.group.examples[:MAX_EXAMPLES])
        rows.append(
            [
                number,
                item.group.count,
                mask_personal(item.group.representative),
                examples,
                closest,
                confidence,
                item.suggestion,
            ]
        )
    headers = [
        "グループ",
        "件数",
        "代表的な質問",
        "質問の例",
        "いちばん近いFAQ",
        "近さ(0〜1)",
        "提案",
    ]
    _table(sheet, 1, headers, rows, widths=[9, 8, 36, 44, 44, 10, 18])
    sheet.freeze_panes = "A2"


def _low_rated(sheet: Worksheet, data: ReportData, index: ReportIndex | None) -> None:
    rated: list[FaqCounts] = [c for c in data.faqs.values() if c.unhelpful]
    rated.sort(key=lambda c: (-c.unhelpful, -(c.unhelpful / c.rated), c.faq_id))
    rows = []
    for counts in rated:
        question, _ = _question(index, counts.faq_id)
        queries = "\n".join(
            mask_personal(q) for q, _ in counts.unhelpful_queries.most_common(MAX_EXAMPLES)
        )
        rows.append(
            [
                counts.faq_id,
                question,
                counts.helpful,
                counts.unhelpful,
                counts.unhelpful / counts.rated,
                queries,
            ]
        )
    headers = [
        "FAQ ID",
        "質問",
        "役に立った",
        "役に立たなかった",
        "役に立たなかった割合",
        "そのときの質問",
    ]
    _table(sheet, 1, headers, rows, widths=[12, 44, 11, 11, 14, 44])
    sheet.freeze_panes = "A2"


def _menu(sheet: Worksheet, data: ReportData, index: ReportIndex | None) -> None:
    wanted = sorted(
        (c for c in data.faqs.values() if c.seen and c.faq_id not in data.menu_faq_ids),
        key=lambda c: (-c.seen, c.faq_id),
    )
    rows = []
    for rank, counts in enumerate(wanted, start=1):
        question, category = _question(index, counts.faq_id)
        rows.append([rank, counts.faq_id, question, category, counts.seen, "メニューに追加を検討"])
    headers = ["順位", "FAQ ID", "質問", "カテゴリ", "見られた回数", "提案"]
    end = _table(sheet, 1, headers, rows, widths=[7, 12, 50, 16, 12, 22])
    sheet.freeze_panes = "A2"
    buttons = [
        (tab.name, b) for tab in (index.menu if index is not None else ()) for b in tab.buttons
    ]
    if not buttons:
        return
    title = write_cell(sheet, end + 1, 1, "いまメニューにあるボタン(押された回数の少ない順)")
    title.font = _BOLD
    current = []
    for tab, button in sorted(buttons, key=lambda b: (_menu_taps(data, b[1]) or 0, b[0])):
        taps = _menu_taps(data, button)
        if taps is None:
            shown: int | str = "—"
            note = (
                "押された回数は数えられません(URLは直接ページを開き、テキストは質問として数えます)"
            )
        else:
            shown, note = taps, "入れ替えを検討" if taps == 0 else ""
        current.append([tab, button.label, button.action.value, button.value, shown, note])
    headers = ["タブ", "ボタン", "動作", "値", "メニューから押された回数", "提案"]
    _table(sheet, end + 2, headers, current, widths=[7, 12, 50, 16, 12, 22])


def _menu_taps(data: ReportData, button: MenuButton) -> int | None:
    """Taps on one menu button in the period (None for the kinds LINE does not report)."""
    value = button.value.strip()
    match button.action:
        case ActionKind.FAQ:
            return data.faqs.get(value, FaqCounts(value)).views[MENU]
        case ActionKind.CATEGORY:
            return data.category_views[(value, MENU)]
        case ActionKind.STAFF:
            return data.handover_sources[MENU]
    return None


def _japan_day(iso: str) -> str:
    if not iso:
        return ""
    moment = datetime.fromisoformat(iso.replace("Z", "+00:00")).astimezone(JST)
    return f"{moment.year}/{moment.month}/{moment.day}"


def _learned(sheet: Worksheet, index: ReportIndex | None) -> None:
    """What the live index learned from residents, and how staff refuse or keep each one."""
    sheet["A1"] = (
        "住民の質問のうち、何人もの住民が同じFAQを選んだものを、そのFAQの言い換えとして"
        "自動で使っています(「設定」シートの「住民の言葉から学ぶ」で止められます)。"
    )
    sheet["A2"] = (
        "使ってほしくない言葉は、ワークブックの「学習しない言葉」シートに書いてください。"
        "ずっと使いたい言葉は、FAQシートの「言い換え」に書き写してください。"
        "どちらも、次にワークブックを保存したときから反映されます。"
    )
    learned = sorted(
        index.learned if index is not None else (),
        key=lambda p: (-p.residents, p.faq_id, p.text),
    )
    rows = []
    for phrasing in learned:
        question, _ = _question(index, phrasing.faq_id)
        # Learning already leaves out personal data; an index learned before that filter was
        # widened may still hold some, so the report masks it here too.
        text = mask_personal(phrasing.text)
        rows.append(
            [
                text,
                phrasing.faq_id,
                question,
                phrasing.residents,
                phrasing.confirmations,
                _japan_day(phrasing.first_seen),
                _japan_day(phrasing.last_seen),
                f"「学習しない言葉」シートの「言葉」に「{text}」、"
                f"「ID」に {phrasing.faq_id} と書く",
                f"FAQシートの {phrasing.faq_id} の「言い換え」に「{text}」を書き足す",
            ]
        )
    if not rows:
        rows = [["(いま使っている、住民の言葉から学んだ言い換えはありません)"]]
    headers = [
        "学習した言い換え",
        "FAQ ID",
        "FAQの質問",
        "選んだ住民の数",
        "選ばれた回数",
        "最初",
        "最後",
        "学習をやめるには",
        "ずっと使うには",
    ]
    _table(sheet, 4, headers, rows, widths=[30, 9, 40, 10, 10, 11, 11, 44, 44])
    sheet.freeze_panes = "A5"


def _crisis(sheet: Worksheet, data: ReportData) -> None:
    """Messages from residents who may be in danger, by week and kind: counts only, never words."""
    sheet["A1"] = "相談窓口を案内したメッセージ(週ごと)"
    sheet["A1"].font = _TITLE_FONT
    sheet["A2"] = (
        "身の危険や強い苦しさをうかがわせるメッセージに、電話の相談窓口を案内した数です。"
        "種類は自動判定です。メッセージの本文は記録していません"
        "(LINE Official Account Manager のチャットで読めます)。"
        "ここに数えたメッセージは、FAQや言い換えの候補にも学習にも使いません。"
    )
    sheet["A2"].alignment = _WRAP
    sheet.merge_cells("A2:J2")
    sheet.row_dimensions[2].height = 48
    kinds = list(CrisisKind)
    headers = ["週(月曜から)", "件数", "人数", *(LABELS[k] for k in kinds)]
    weeks = sorted(data.crisis_by_week)
    rows = [
        [
            f"{week.month}月{week.day}日〜",
            data.crisis_messages[week],
            len(data.crisis_residents[week]),
            *(data.crisis_by_week[week][k.value] for k in kinds),
        ]
        for week in weeks
    ]
    if not rows:
        rows = [["(この期間にはありません)", 0, 0, *(0 for _ in kinds)]]
    _table(sheet, 4, headers, rows, widths=[16, 8, 8, *(12 for _ in kinds)])
