"""The message staff receive when a resident asks for a person. Pure: text in, text out."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from madoguchi.clock import JST
from madoguchi.handover.office_hours import format_moment_ja
from madoguchi.learning.personal import mask_personal

CHAT_URL = "https://manager.line.biz/"
QUESTION_SHOWN_LENGTH = 200
URGENT_MARK = "【至急】"
URGENT_SOURCE = "crisis"  # postback.Source.CRISIS
# Above this many hand-over mails in one Japan hour, one digest mail says so and the rest of the
# hour sends none (a crowd of residents, or one script, must not bury staff in mail).
MAILS_PER_HOUR = 20

# Bidirectional overrides and isolates, zero-width and other invisible characters, and control
# characters (CR included): in a quote they could disguise a link or forge a line of the mail.
_INVISIBLE = re.compile(
    "[\u0000-\u001f\u007f-\u009f\u061c\u200b-\u200f\u202a-\u202e\u2060-\u2069\ufeff]"
)
_SCHEME = re.compile(r"\b(h)tt(ps?)(:|：)//", re.I)
_HOST = re.compile(r"\b(?:[a-z0-9](?:[a-z0-9-]*[a-z0-9])?\.)+[a-z]{2,}\b", re.I)

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
    questions = [quoted(q) for q in notice.recent_questions]
    questions = [q for q in questions if q]
    if questions:
        for number, shown in enumerate(questions, start=1):
            if len(shown) > QUESTION_SHOWN_LENGTH:
                shown = shown[: QUESTION_SHOWN_LENGTH - 1] + "…"
            lines.append(f"{number}. {shown}")
        lines.append(
            "(電話番号・住所・名前などに見える部分は「＊＊＊」に、リンクは開けない形"
            "「hxxps://example[.]jp」に置き換えています)"
        )
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


def defang(text: str) -> str:
    """Links as text no mail client makes clickable: hxxps://evil[.]example/login."""
    text = _SCHEME.sub(lambda m: f"{m[1]}xx{m[2]}{m[3]}//", text)
    return _HOST.sub(lambda m: m.group().replace(".", "[.]"), text)


def quoted(text: str) -> str:
    """A resident's text as the staff mail quotes it: one line, no invisible or control
    characters, links defanged, personal data masked as ＊＊＊."""
    line = " ".join(_INVISIBLE.sub(" ", text or "").split())
    return mask_personal(defang(line))


@dataclass(frozen=True)
class DigestNotice:
    """The one mail of an hour with more hand-overs than MAILS_PER_HOUR."""

    at: datetime  # the hand-over that went over the limit
    city_name: str
    limit: int = MAILS_PER_HOUR


def digest_subject(digest: DigestNotice) -> str:
    """One-line subject for the digest mail."""
    return (
        f"【{digest.city_name} LINE窓口】職員への相談が多く届いています(1時間に{digest.limit}件超)"
    )


def digest_body(digest: DigestNotice) -> str:
    """What the digest says: many hand-overs this hour, where to see them, when mails resume."""
    hour = digest.at.astimezone(JST).hour
    return "\n".join(
        [
            f"{hour}時台に、職員への相談が {digest.limit} 件を超えて届いています。",
            f"メールが多くなりすぎないよう、{hour}時台の残りの相談は1件ずつはお知らせしません。",
            "",
            "■ 確認のしかた",
            f"LINE Official Account Manager({CHAT_URL})の「チャット」画面で、",
            "新しいトークを上から順にご確認ください。",
            "",
            f"{(hour + 1) % 24}時からは、また1件ずつメールでお知らせします"
            "(その最初のメールに、お知らせしなかった件数を書きます)。",
        ]
    )


def skipped_line(skipped: int) -> str:
    """Added to the first mail of an hour after a digest: how many were not mailed."""
    return (
        f"(前の1時間に、メールでお知らせしなかった相談が {skipped} 件あります。"
        "チャット画面でご確認ください)"
    )
