"""The message staff receive when a resident asks for a person. Pure: text in, text out."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from madoguchi.handover.office_hours import format_moment_ja

CHAT_URL = "https://manager.line.biz/"
QUESTION_SHOWN_LENGTH = 200
URGENT_MARK = "【至急】"
URGENT_SOURCE = "crisis"  # postback.Source.CRISIS

SOURCE_LABELS = {
    "typed": "トークで「職員と話したい」などと送信",
    "menu": "メニューの「職員に相談」",
    "button": "返事の下の「職員に相談」ボタン",
    "offer": "2回続けて答えられなかった後の「職員に相談」",
    "feedback": "「役に立たなかった」の後の「職員に相談」",
    "crisis": "身の危険や強い苦しさをうかがわせるメッセージに相談窓口を案内した後の「職員に相談」",
    "": "メニューまたはボタンの「職員に相談」",  # buttons sent before sources were recorded
}


@dataclass(frozen=True)
class HandoverNotice:
    """Facts about one hand-over; `user` is the salted reference, never the LINE user id."""

    user: str
    at: datetime
    in_office_hours: bool
    next_opening: datetime | None
    source: str
    recent_questions: Sequence[str]
    timeout_minutes: int
    city_name: str


def notice_subject(notice: HandoverNotice) -> str:
    """One-line subject for the staff mail."""
    when = "受付時間内" if notice.in_office_hours else "受付時間外"
    # After the consultation lines were given to a resident who may be in danger: first in line.
    urgent = URGENT_MARK if notice.source == URGENT_SOURCE else ""
    return f"{urgent}【{notice.city_name} LINE窓口】職員への相談が届きました({when})"


def notice_body(notice: HandoverNotice) -> str:
    """The mail body: what to do, where, and what the resident asked before."""
    if notice.in_office_hours:
        status = "受付時間内です。できるだけ早くお返事をお願いします。"
    elif notice.next_opening is not None:
        status = (
            "受付時間外です。住民の方には「次の受付時間"
            f"({format_moment_ja(notice.next_opening)})に職員が確認する」とお伝えしました。"
        )
    else:
        status = "受付時間外です(次の受付時間が設定されていません)。"
    lines = [
        "LINE の住民の方から、職員への相談の依頼がありました。",
        "",
        "■ 返信のしかた",
        f"LINE Official Account Manager({CHAT_URL})にログインし、アカウントを選んで",
        "「チャット」画面を開いてください。この方のトークが一覧の上のほうにあります。",
        "チャットで返信すると、住民の方の LINE にそのまま届きます。",
        "",
        "■ 状況",
        f"受付日時:{format_moment_ja(notice.at)}",
        status,
        f"きっかけ:{SOURCE_LABELS.get(notice.source, SOURCE_LABELS[''])}",
        f"参照番号:{notice.user}(個人を特定しない番号です。検索ログの記録と対応します)",
        "",
        "■ この方の最近の質問(古い順)",
    ]
    questions = [q.strip() for q in notice.recent_questions if q.strip()]
    if questions:
        for number, question in enumerate(questions, start=1):
            shown = question.replace("\n", " ")
            if len(shown) > QUESTION_SHOWN_LENGTH:
                shown = shown[: QUESTION_SHOWN_LENGTH - 1] + "…"
            lines.append(f"{number}. {shown}")
    else:
        lines.append("(記録された質問はありません)")
    lines += [
        "",
        "■ 自動応答について",
        "職員対応中は、自動応答(AI)はこの方が送った文章に答えません"
        "(最初の1通にだけ「受け付けました」と返します)。",
        f"やりとりが {notice.timeout_minutes} 分ないとき、または住民の方が「AIに戻る」を"
        "押したとき(「もどる」などと送ったとき)に、自動応答に戻ります。",
    ]
    return "\n".join(lines)
