"""The mail staff get when a resident may be in danger. Pure: facts in, text out; never the words
the resident wrote (those stay in the LINE chat, where staff answer)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from madoguchi.crisis.kinds import LABELS, CrisisKind
from madoguchi.handover.notification import CHAT_URL, URGENT_MARK
from madoguchi.handover.office_hours import format_moment_ja

ALERT_EVERY_SECONDS = 3600  # at most one mail per resident per hour


@dataclass(frozen=True)
class CrisisNotice:
    """Facts about one message; `user` is the salted reference, never the LINE user id."""

    user: str
    at: datetime
    kinds: Sequence[CrisisKind]
    in_office_hours: bool
    next_opening: datetime | None
    with_staff: bool
    city_name: str


def kinds_text(kinds: Sequence[CrisisKind]) -> str:
    """「自殺・自傷、DV」: the kinds as staff read them."""
    return "、".join(LABELS[kind] for kind in kinds)


def crisis_subject(notice: CrisisNotice) -> str:
    """One-line subject, marked urgent."""
    return f"{URGENT_MARK}【{notice.city_name} LINE窓口】助けが必要かもしれない住民の方がいます"


def crisis_body(notice: CrisisNotice) -> str:
    """What happened, what the bot said, where to answer, how urgent."""
    if notice.in_office_hours:
        status = "受付時間内です。いますぐ確認をお願いします。"
    elif notice.next_opening is not None:
        status = (
            f"受付時間外です。住民の方には、職員が {format_moment_ja(notice.next_opening)} から"
            "お返事できるとお伝えしました。受付時間の始めに、最初に確認してください。"
        )
    else:
        status = "受付時間外です(次の受付時間が設定されていません)。"
    staff = (
        "この方はいま職員対応中です。"
        if notice.with_staff
        else "住民の方には、このトークで職員と話せること(「職員に相談」ボタン)も案内しました。"
    )
    lines = [
        "LINE の住民の方から、身の危険や強い苦しさをうかがわせるメッセージが届きました。",
        "自動応答は、電話で相談できる窓口(押すと電話がかかるボタン)を案内しました。",
        staff,
        "",
        "■ 返信のしかた",
        f"LINE Official Account Manager({CHAT_URL})にログインし、アカウントを選んで",
        "「チャット」画面を開いてください。この方のトークが一覧の上のほうにあります。",
        "メッセージはそこで読めます。チャットで返信すると、住民の方の LINE に届きます。",
        "",
        "■ 状況",
        f"受付日時:{format_moment_ja(notice.at)}",
        status,
        f"種類(自動判定のため、違うこともあります):{kinds_text(notice.kinds)}",
        f"参照番号:{notice.user}(個人を特定しない番号です。検索ログの記録と対応します)",
        "",
        "■ 大切なこと",
        "メッセージの本文は、このメールにも記録にも残していません。チャット画面で確認してください。",
        "命に関わる状況がうかがえるときは、ためらわず 110番・119番 に通報してください。",
        "このお知らせは、同じ方について1時間に1通までです。",
    ]
    return "\n".join(lines)
