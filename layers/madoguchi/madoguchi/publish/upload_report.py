"""What happened to one uploaded workbook: JSON for machines, Japanese text for staff."""

from __future__ import annotations

import enum
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from madoguchi.clock import JST
from madoguchi.learning.calibration import MIN_JUDGED
from madoguchi.model import BotSettings
from madoguchi.search.answer_policy import Calibration, answer_threshold, target_precision
from madoguchi.workbook.problems import Problem, ProblemsBySeverity

SUBJECT_PREFIX = "[窓口] "
MAX_MISSES_LISTED = 10


class UploadStatus(enum.StrEnum):
    """The four ways an upload can end."""

    PUBLISHED = "published"  # the new answers are live
    REFUSED = "refused"  # something must be fixed; the old answers stay live
    DUPLICATE = "duplicate"  # this exact upload was handled before; nothing done
    SUPERSEDED = "superseded"  # a newer upload is already live; this one is not published


@dataclass
class UploadReport(ProblemsBySeverity):
    """The outcome of processing one uploaded workbook."""

    status: UploadStatus
    key: str
    version_id: str | None = None
    upload_id: str = ""
    received_at: str = ""
    uploaded_at: str = ""
    checksum: str = ""  # sha256 of the workbook file
    version: str | None = None  # the index version this upload built (when it built one)
    live_version: str | None = None  # the version residents get after this upload
    previous_version: str | None = None  # the version that was live before
    problems: list[Problem] = field(default_factory=list)
    validation_text: str = ""  # the validator's Japanese report, shown to staff as is
    counts: dict[str, int] = field(default_factory=dict)
    tests: dict[str, Any] = field(default_factory=dict)  # {"new": metrics, "previous": metrics}
    timings: dict[str, float] = field(default_factory=dict)
    newer_upload: str | None = None  # the key that superseded this one
    rich_menu: dict[str, Any] | None = None  # the rich menu sync after publishing (status, message)
    learning: dict[str, Any] | None = None  # what was learned from residents (Learned.summary)
    vectors: dict[str, Any] | None = None  # the FAQs' semantic vectors: status, embedded, reused
    notice: dict[str, Any] | None = (
        None  # the published notice and its broadcast (publish.broadcast)
    )
    # How sure the bot must be to answer: 回答の確かさ, the threshold and its calibration
    # (answer_summary).
    answers: dict[str, Any] | None = None
    report_key: str | None = None
    text_key: str | None = None

    def to_dict(self) -> dict[str, Any]:
        """The machine-readable report."""
        return {
            "status": self.status.value,
            "key": self.key,
            "version_id": self.version_id,
            "upload_id": self.upload_id,
            "received_at": self.received_at,
            "uploaded_at": self.uploaded_at,
            "checksum": self.checksum,
            "version": self.version,
            "live_version": self.live_version,
            "previous_version": self.previous_version,
            "error_count": len(self.errors),
            "warning_count": len(self.warnings),
            "problems": [p.to_dict() for p in self.problems],
            "counts": self.counts,
            "tests": self.tests,
            "timings": self.timings,
            "newer_upload": self.newer_upload,
            "report_key": self.report_key,
            "text_key": self.text_key,
            "rich_menu": self.rich_menu,
            "learning": self.learning,
            "vectors": self.vectors,
            "notice": self.notice,
            "answers": self.answers,
            "subject": self.subject(),
        }

    def log_fields(self) -> dict[str, Any]:
        """A compact summary for structured logs (workbook content stays out of logs)."""
        return {
            "status": self.status.value,
            "upload_key": self.key,
            "upload_version_id": self.version_id,
            "upload_id": self.upload_id,
            "index_version": self.version,
            "live_version": self.live_version,
            "errors": len(self.errors),
            "warnings": len(self.warnings),
            "faqs": self.counts.get("published_faqs"),
            "hit_at_1": (self.tests.get("new") or {}).get("hit@1"),
            "learned_phrasings": (self.learning or {}).get("phrasings"),
            "report_key": self.report_key,
            "timings": self.timings,
            "vectors": self.vectors,
            "notice_broadcast": ((self.notice or {}).get("broadcast") or {}).get("status"),
            "notice_recipients": ((self.notice or {}).get("broadcast") or {}).get("recipients"),
        }

    def subject(self) -> str:
        """A one-line Japanese summary for the mail subject."""
        if self.status is UploadStatus.PUBLISHED:
            return f"{SUBJECT_PREFIX}FAQを公開しました ({self.counts.get('published_faqs', 0)}件)"
        if self.status is UploadStatus.REFUSED:
            return f"{SUBJECT_PREFIX}FAQを公開できませんでした:{len(self.errors)}件の修正が必要です"
        if self.status is UploadStatus.SUPERSEDED:
            return f"{SUBJECT_PREFIX}より新しいファイルがあるため、このファイルは公開しませんでした"
        return f"{SUBJECT_PREFIX}このファイルは処理済みです(重複した通知)"

    def text(self) -> str:
        """The Japanese report staff read."""
        lines = [
            "窓口 FAQ 更新レポート",
            "",
            f"ファイル: {self.key}",
            f"受け付けた日時: {japan_time(self.received_at)}",
            "",
        ]
        lines += self._outcome_lines()
        if self.rich_menu and self.rich_menu.get("message"):
            lines += ["", "■ LINEのメニュー", self.rich_menu["message"]]
        if self.notice is not None:
            lines += ["", "■ お知らせ", *notice_lines(self.notice)]
        elif self.status is UploadStatus.REFUSED:
            lines += [
                "",
                "■ お知らせ",
                "公開していないため、お知らせの表示も配信も、これまでのまま変わっていません"
                "(このファイルのお知らせは配信していません)。",
            ]
        if self.learning and self.status is UploadStatus.PUBLISHED:
            lines += ["", "■ 住民の言葉から学んだ言い換え", *learning_lines(self.learning)]
        if self.answers and self.status is UploadStatus.PUBLISHED:
            lines += ["", "■ 回答の確かさ", *answer_lines(self.answers)]
        tests = self._test_lines()
        if tests:
            lines += ["", "■ テスト(「テスト」シートの質問で確かめた結果)", *tests]
        if self.validation_text and self.status in (UploadStatus.PUBLISHED, UploadStatus.REFUSED):
            lines += ["", "■ ワークブックの確認結果", self.validation_text.rstrip()]
        lines += ["", f"受付番号: {self.upload_id[:12]}"]
        return "\n".join(lines) + "\n"

    def _outcome_lines(self) -> list[str]:
        live = self.live_version or "(まだありません)"
        if self.status is UploadStatus.PUBLISHED:
            lines = [
                "結果: 公開しました。",
                "住民のみなさんへの回答は、このファイルの内容に切り替わりました。",
                f"公開した版: {self.version}(公開中のFAQ {self.counts.get('published_faqs', 0)}件、"
                f"非公開 {self.counts.get('unpublished_faqs', 0)}件、"
                f"メニューのタブ {self.counts.get('menu_tabs', 0)}つ)",
                f"注意してほしい点: {len(self.warnings)}件"
                "(公開はしています。下の一覧をご覧ください)"
                if self.warnings
                else "注意してほしい点: ありません。",
                f"元に戻したいときは、前のワークブックをもう一度保存してください"
                f"(前の版 {self.previous_version} に戻すこともできます)。"
                if self.previous_version
                else "",
            ]
            return [line for line in lines if line]
        if self.status is UploadStatus.REFUSED:
            return [
                "結果: 公開できませんでした。",
                f"住民のみなさんへの回答は、これまでの内容(版 {live})のまま変わっていません。",
                f"下の一覧の {len(self.errors)} 件を直して、"
                "もう一度保存(アップロード)してください。",
            ]
        if self.status is UploadStatus.SUPERSEDED:
            # The later file may have been published or refused: its own report says which.
            return [
                "結果: このファイルは公開しませんでした。",
                "このファイルより後に保存されたファイル"
                + (f"({self.newer_upload})" if self.newer_upload else "")
                + "があり、そちらを優先したためです(そのファイルの結果は、そのファイルの"
                "レポートをご覧ください)。",
                f"住民のみなさんへの回答は、版 {live} のままです。",
                "このファイルを公開したいときは、もう一度保存(アップロード)してください。",
            ]
        return [
            "結果: このファイルはすでに処理済みです。"
            "同じ通知が重ねて届いたため、何もしていません。",
            f"住民のみなさんへの回答は、版 {live} のままです。",
        ]

    def _test_lines(self) -> list[str]:
        new, previous = self.tests.get("new"), self.tests.get("previous")
        if not new or not new.get("n"):
            return []
        lines = [f"新しいファイル: {hit_summary(new)}"]
        if previous and previous.get("n"):
            lines.append(f"これまでの版: {hit_summary(previous)}")
            if new.get("hit@1", 0) < previous.get("hit@1", 0):
                lines.append(
                    "※ 1位に正しい回答が出る割合が、これまでより下がりました。"
                    "下の質問の回答や言い換えを見直してください。"
                )
        misses = new.get("misses") or []
        if misses:
            lines.append("1位に正しい回答が出なかった質問:")
            for miss in misses[:MAX_MISSES_LISTED]:
                top = miss.get("top_id") or "(回答なし)"
                if miss.get("top_question"):
                    top += f"「{miss['top_question']}」"
                lines.append(
                    f"・「{miss.get('query', '')}」(テスト {miss.get('row', '?')}行目) "
                    f"正解: {'、'.join(miss.get('expected', []))} → 1位: {top}"
                )
            if len(misses) > MAX_MISSES_LISTED:
                lines.append(f"  ほか {len(misses) - MAX_MISSES_LISTED} 件")
        return lines


def notice_lines(notice: dict[str, Any]) -> list[str]:
    """The notice in plain words: on or off, from when to when, the first tab, the broadcast."""
    broadcast = notice.get("broadcast") or {}
    status = broadcast.get("status")
    if not notice.get("text"):
        lines = ["お知らせ: なし(「設定」シートの「お知らせ」が空です)。"]
    else:
        period = (
            f"{japan_moment(notice.get('start')) or '公開したとき'} から "
            f"{japan_moment(notice.get('end')) or '「お知らせ」を消すまで'}"
        )
        shown = "出しています" if notice.get("active") else "出していません(期間外です)"
        if notice.get("upcoming"):
            shown = "まだ出していません(開始時刻の前です)"
        lines = [
            f"お知らせ: {shown}。",
            f"期間: {period}(日本時間)",
            f"文章: {clip_line(notice['text'])}",
        ]
    if notice.get("first_tab"):
        lines.append(f"LINEのメニューで最初に開くタブ: 「{notice['first_tab']}」")
    lines.append(
        "配信: "
        + BROADCAST_WORDS.get(status or "", "わかりません。").format(
            recipients=friends_count(broadcast.get("recipients")),
            remaining=messages_left(broadcast.get("remaining")),
            sent_at=japan_time(broadcast.get("sent_at") or ""),
            line_status=broadcast.get("line_status") or "応答なし",
            start=short_moment(notice.get("start")),
        )
    )
    return lines


BROADCAST_WORDS = {
    "no_notice": "なし。",
    "off": "しません(「設定」シートの「お知らせの配信」が「する」のときだけ、"
    "友だち全員に送ります)。",
    "not_active": "していません。お知らせの期間が終わっているためです。",
    "scheduled": "まだしていません。開始時刻 {start} になったら自動で配信します"
    "(5分ごとに確かめています。配信したら、このあて先にメールでお知らせします)。",
    "no_line": "していません(この環境にはLINEの設定がありません)。",
    "sent": "友だち{recipients}に送りました({sent_at})。",
    "already_sent": "同じお知らせ(文章と期間が同じ)は {sent_at} に送ってあるので、もう一度は"
    "送りません。送り直したいときは、文章か期間を変えてください。",
    "quota": "していません。今月送れるメッセージが足りないためです(友だち{recipients}、"
    "今月の残り {remaining})。LINE公式アカウントの管理画面でプランを確かめてください"
    "(お知らせの期間中は5分ごとに確かめ直し、足りるようになったら自動で配信します)。",
    "unchecked": "していません。今月送れるメッセージの数をLINEに確かめられなかったためです。"
    "お知らせの期間中は5分ごとに自動で確かめ直して配信します。",
    "would_send": "これから保存すると、友だち{recipients}に送ります(今月の残り {remaining})。",
    "stale": "していません。1日より前の配信が届いたかどうかをLINEで確かめられないため、"
    "二重に届かないよう送りません。送り直すときは、文章を少し変えて保存してください。",
    "failed": "できませんでした(LINE: {line_status})。お知らせの期間中は5分ごとに自動で、"
    "二重に届くことなく送り直します。",
}


def friends_count(count: Any) -> str:
    """「 約100人」, or everyone when LINE gave no figure."""
    return (
        f" 約{int(count):,}人"
        if isinstance(count, int)
        else "全員(人数はLINEから取得できませんでした)"
    )


def messages_left(count: Any) -> str:
    """「50通」, or no limit."""
    return f"{int(count):,}通" if isinstance(count, int) else "上限なし"


def clip_line(text: str, limit: int = 80) -> str:
    """The first `limit` characters of a text on one line."""
    flat = " ".join(text.split())
    return flat if len(flat) <= limit else flat[: limit - 1] + "…"


def japan_moment(iso: str | None) -> str:
    """An ISO time with an offset as staff read it: 2026年9月1日 18:00."""
    if not iso:
        return ""
    moment = datetime.fromisoformat(iso.replace("Z", "+00:00")).astimezone(JST)
    return f"{moment.year}年{moment.month}月{moment.day}日 {moment.hour}:{moment.minute:02d}"


def short_moment(iso: str | None) -> str:
    """An ISO time with an offset as a date this year reads: 12月8日 18:00 (Japan time)."""
    if not iso:
        return ""
    moment = datetime.fromisoformat(iso.replace("Z", "+00:00")).astimezone(JST)
    return f"{moment.month}月{moment.day}日 {moment.hour}:{moment.minute:02d}"


def learning_lines(learning: dict[str, Any]) -> list[str]:
    """How many phrasings were learned and from how many residents, for staff."""
    if not learning.get("enabled", True):
        return ["「設定」シートの「住民の言葉から学ぶ」が「しない」なので、学んでいません。"]
    if learning.get("error"):
        return [
            "検索の記録を読めなかったため、今回は住民の言葉から学んだ言い換えを使っていません"
            "(次の更新で、もう一度学びます)。"
        ]
    phrasings, residents = int(learning.get("phrasings", 0)), int(learning.get("residents", 0))
    if not phrasings:
        return [
            "使える住民の言葉は、まだありません"
            "(同じ言葉で同じ FAQ を選んだ住民が、決まった人数に達すると学びます)。"
        ]
    lines = [
        f"住民 {residents} 人の質問から、言い換えを {phrasings} 件学びました"
        f"(FAQ {learning.get('faqs', 0)} 件)。"
        "一覧は検索レポートの「学習した言い換え」シートにあります。"
    ]
    if learning.get("refused"):
        refused = learning["refused"]
        lines.append(f"「学習しない言葉」シートにより、{refused} 件を学びませんでした。")
    return lines


def answer_summary(settings: BotSettings, calibration: Calibration | None) -> dict[str, Any]:
    """The answer policy in force: 回答の確かさ, its target, the threshold and tonight's
    calibration (None before the first night with a search log)."""
    target = target_precision(settings.answer_certainty)
    same = calibration is not None and calibration.target == target
    return {
        "certainty": settings.answer_certainty,
        "target": target,
        "fixed": settings.answer_threshold is not None,
        "threshold": answer_threshold(
            settings.answer_threshold, settings.answer_certainty, calibration
        ),
        "calibration": calibration.to_dict() if calibration is not None and same else None,
    }


def answer_lines(answers: dict[str, Any]) -> list[str]:
    """How sure the bot is before it gives one answer, and what residents' reactions said."""
    target = round(float(answers["target"]) * 100)
    threshold = float(answers["threshold"])
    lines = [
        f"回答の確かさ: {answers['certainty']}(ひとつの回答を出すのは、回答の約{target}%が"
        "正しくなるくらい確かなときです。そうでないときは、近い質問から選んでもらいます)。",
    ]
    calibration = answers.get("calibration") or {}
    estimate = calibration.get("estimate")
    judged = int(calibration.get("judged") or 0)
    if estimate is not None and judged:
        lines.append(
            f"住民の方の反応から見た、最近の回答の正しさ: 約{round(float(estimate) * 100)}%"
            f"(回答 {judged:,} 件から。ほかの候補を開いた・すぐに聞き直した・"
            "「役に立たなかった」などから推定しています)。"
        )
    if answers.get("fixed"):
        lines.append(
            f"「回答しきい値」が {threshold:g} に決めてあるため、毎晩の自動調整はしていません。"
        )
    elif not calibration:
        lines.append(f"回答のしきい値: {threshold:g}(住民の方の反応を見て、毎晩調整します)。")
    elif calibration.get("status") == "collecting":
        lines.append(
            f"回答のしきい値: {threshold:g}。回答が {MIN_JUDGED:,} 件たまるまでは調整しません。"
        )
    else:
        lines.append(
            f"回答のしきい値: {threshold:g}(住民の方の反応を見て、毎晩少しずつ調整しています)。"
        )
    return lines


def hit_summary(metrics: dict[str, Any]) -> str:
    """「1位に正解 28/30 (93%)、上位4件に正解 30/30 (100%)」."""
    n = int(metrics.get("n", 0))
    hit1, hit4 = float(metrics.get("hit@1", 0.0)), float(metrics.get("hit@4", 0.0))
    return (
        f"1位に正解 {round(hit1 * n)}/{n} ({hit1:.0%})、"
        f"上位4件に正解 {round(hit4 * n)}/{n} ({hit4:.0%})"
    )


def japan_time(iso: str) -> str:
    """An ISO UTC time as staff read it: 2026年4月1日 9:05(日本時間)."""
    if not iso:
        return "(不明)"
    moment = datetime.fromisoformat(iso.replace("Z", "+00:00")).astimezone(JST)
    day = f"{moment.year}年{moment.month}月{moment.day}日"
    return f"{day} {moment.hour}:{moment.minute:02d}(日本時間)"
