"""Mining the search log for learned phrasings: which questions residents showed to mean a FAQ."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Collection, Iterable, Mapping
from dataclasses import dataclass, field

from madoguchi.crisis import looks_like_crisis
from madoguchi.learning.personal import has_personal_data
from madoguchi.learning.phrasing import phrasing_key
from madoguchi.model import FaqWorkbook, LearnedPhrasing, Refusal
from madoguchi.searchlog.model import FAQ_VIEW, FEEDBACK, SEARCH, LogRecord

MIN_RESIDENTS = 2  # distinct residents before a question is learned (設定 学習に必要な人数)
MAX_PER_FAQ = 20  # learned phrasings kept per FAQ, newest and most confirmed first
# Long questions are situations, rarely asked twice the same way, and more likely to hold a
# detail about the one who asked.
MAX_PHRASING_CHARS = 60


@dataclass(frozen=True)
class Learned:
    """The phrasings learned for one build, and what was left out."""

    phrasings: tuple[LearnedPhrasing, ...] = ()
    residents: int = 0  # distinct residents behind the learned phrasings
    personal: int = 0  # questions with a choice dropped for possible personal data (or danger)
    refused: int = 0  # phrasings left out by 学習しない言葉
    enabled: bool = True  # 設定 住民の言葉から学ぶ
    error: str = ""  # the search log could not be read: nothing was learned this time

    def summary(self) -> dict[str, int | bool | str]:
        """Figures for the upload report and the version record."""
        return {
            "enabled": self.enabled,
            "phrasings": len(self.phrasings),
            "residents": self.residents,
            "faqs": len({p.faq_id for p in self.phrasings}),
            "personal_dropped": self.personal,
            "refused": self.refused,
            **({"error": self.error} if self.error else {}),
        }


@dataclass
class _Evidence:
    residents: set[str] = field(default_factory=set)
    confirmations: int = 0
    first: str = ""
    last: str = ""
    text: str = ""


def _choices(search: LogRecord, after: list[LogRecord]) -> tuple[set[str], set[str]]:
    """FAQs this search's resident chose, and those they said did not help."""
    shown = {hit.faq_id for hit in search.top}
    own = [f for f in after if f.user_ref == search.user_ref and f.faq_id in shown]
    unhelpful = {f.faq_id for f in own if f.kind == FEEDBACK and f.helpful is False}
    helpful = {f.faq_id for f in own if f.kind == FEEDBACK and f.helpful is True}
    # A candidate or choice tapped: a view record linked to the search (older logs marked the
    # search's own `opened` instead).
    views = {f.faq_id for f in own if f.kind == FAQ_VIEW}
    opened = views | {faq_id for faq_id in search.opened if faq_id in shown}
    # Opening two candidates says only that the first was not it, or not only it: without a
    # 役に立った to say which one helped, the search teaches nothing.
    chosen = helpful or (opened if len(opened) == 1 else set())
    return chosen - unhelpful, unhelpful


def mine(
    records: Iterable[LogRecord],
    *,
    faq_ids: Collection[str] | None = None,
    min_residents: int = MIN_RESIDENTS,
    max_per_faq: int = MAX_PER_FAQ,
    refusals: Iterable[Refusal] = (),
    known: Mapping[str, Collection[str]] | None = None,
) -> Learned:
    """Learned phrasings from search-log records (any order).

    A search followed by opening one FAQ among its candidates or choices (a FAQ view linked to the
    search, or the search's `opened`), or by 役に立った on one,
    and not by 役に立たなかった on it, is evidence that its question asks for that FAQ. A question
    is learned when at least `min_residents` distinct residents gave that evidence (and no more
    residents chose another FAQ for it), unless it may hold personal data, is refused, already is
    a wording of the FAQ (`known`: FAQ ID -> phrasing keys), or names an unknown FAQ.
    """
    searches: list[LogRecord] = []
    feedback: dict[str, list[LogRecord]] = defaultdict(list)
    for record in records:
        if record.kind == SEARCH and record.query:
            searches.append(record)
        elif record.kind in (FEEDBACK, FAQ_VIEW) and record.search_id and record.faq_id:
            feedback[record.search_id].append(record)
    evidence: dict[tuple[str, str], _Evidence] = defaultdict(_Evidence)
    against: dict[tuple[str, str], set[str]] = defaultdict(set)
    personal: set[str] = set()
    for search in sorted(searches, key=lambda r: r.id):
        chosen, unhelpful = _choices(search, feedback.get(search.id, []))
        if not chosen and not unhelpful:
            continue
        text = " ".join(search.query.split())
        key = phrasing_key(text)
        if not key or len(text) > MAX_PHRASING_CHARS:
            continue
        if has_personal_data(text) or looks_like_crisis(text):
            # A resident in danger is never taught to the bot (their words would become a
            # phrasing every later search is matched against).
            personal.add(search.id)
            continue
        for faq_id in unhelpful:
            against[(key, faq_id)].add(search.user_ref)
        for faq_id in chosen:
            if faq_ids is not None and faq_id not in faq_ids:
                continue
            seen = evidence[(key, faq_id)]
            seen.residents.add(search.user_ref)
            seen.confirmations += 1
            at = search.at.isoformat().replace("+00:00", "Z")
            seen.first = seen.first or at
            seen.last, seen.text = at, text  # oldest first: the newest wording wins
    support: dict[tuple[str, str], set[str]] = {
        pair: seen.residents - against.get(pair, set()) for pair, seen in evidence.items()
    }
    best_for_key: dict[str, int] = defaultdict(int)
    for (key, _), residents in support.items():
        best_for_key[key] = max(best_for_key[key], len(residents))
    refused_keys = [(phrasing_key(r.words), r.faq_id) for r in refusals]
    refused_keys = [(words, faq) for words, faq in refused_keys if words]
    refused = 0
    candidates: dict[str, list[tuple[LearnedPhrasing, set[str]]]] = defaultdict(list)
    for (key, faq_id), residents in support.items():
        if len(residents) < max(1, min_residents) or len(residents) < best_for_key[key]:
            continue
        if key in set((known or {}).get(faq_id, ())):
            continue  # already a 言い換え (made permanent) or the question itself
        if any(words in key and faq in ("", faq_id) for words, faq in refused_keys):
            refused += 1
            continue
        seen = evidence[(key, faq_id)]
        phrasing = LearnedPhrasing(
            seen.text, faq_id, len(residents), seen.confirmations, seen.first, seen.last
        )
        candidates[faq_id].append((phrasing, residents))
    kept: list[LearnedPhrasing] = []
    everyone: set[str] = set()
    for faq_id in sorted(candidates):
        ranked = sorted(
            candidates[faq_id],
            key=lambda c: (c[0].last_seen[:10], c[0].residents, c[0].confirmations, c[0].text),
            reverse=True,
        )[: max(0, max_per_faq)]
        for phrasing, residents in ranked:
            kept.append(phrasing)
            everyone |= residents
    return Learned(tuple(kept), len(everyone), len(personal), refused)


def learn_for(workbook: FaqWorkbook, records: Iterable[LogRecord]) -> Learned:
    """What the workbook lets the bot learn from these records (設定 and 学習しない言葉 obeyed)."""
    settings = workbook.settings
    if not settings.learn_from_residents:
        return Learned(enabled=False)
    faqs = workbook.published_faqs
    known = {f.id: {phrasing_key(t) for t in (f.question, *f.paraphrases)} for f in faqs}
    return mine(
        records,
        faq_ids=set(known),
        min_residents=settings.learn_min_residents,
        refusals=workbook.refusals,
        known=known,
    )
