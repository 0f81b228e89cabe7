"""Counting the search log for the staff report. Pure: records and the index in, numbers out."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Protocol

from madoguchi.clock import JST
from madoguchi.crisis import looks_like_crisis
from madoguchi.model import ActionKind, Faq, LearnedPhrasing, MenuTab
from madoguchi.search.normalize import fold_kana
from madoguchi.searchlog.model import (
    ANSWER_SOURCE,
    CATEGORY_VIEW,
    CRISIS,
    FAQ_VIEW,
    FEEDBACK,
    HANDOVER,
    HANDOVER_MESSAGE,
    SEARCH,
    SHELTER_SEARCH,
    SMALL_TALK,
    TOPIC_LIST,
    LogRecord,
)
from madoguchi.staff_report.clusters import QuestionGroup, group_questions
from madoguchi.staff_report.words import content_words, count_words, faq_words

MAX_GROUPS = 300  # staff read the top of the list; the rest are one-off questions
MAX_WORDS = 200

ADD_PARAPHRASE = "言い換えに追加"
NEW_FAQ = "新しいFAQを作成"
NOW_ANSWERED = "いまは回答できます"
CHECK = "内容を確認"


# Where a FAQ was shown, in the report's column order: the answer of a search, then taps.
VIEW_SOURCES = (ANSWER_SOURCE, "candidate", "choice", "menu", "category", "")
CANDIDATE = "candidate"
MENU = "menu"


class ReportIndex(Protocol):
    """The parts of madoguchi.search.SearchIndex the report reads."""

    menu: tuple[MenuTab, ...]
    learned: tuple[LearnedPhrasing, ...]  # what the bot learned from residents (madoguchi.learning)

    @property
    def faqs(self) -> tuple[Faq, ...]: ...

    def faq(self, faq_id: str) -> Faq | None: ...

    def search(self, query: str, k: int = 4): ...


@dataclass
class FaqCounts:
    """How one FAQ did in the period."""

    faq_id: str
    views: Counter[str] = field(default_factory=Counter)  # VIEW_SOURCES value -> times shown
    helpful: int = 0
    unhelpful: int = 0
    unhelpful_queries: Counter[str] = field(default_factory=Counter)

    @property
    def answered(self) -> int:
        """Times shown as the answer of a search."""
        return self.views[ANSWER_SOURCE]

    @property
    def seen(self) -> int:
        """Times residents read this answer, however they got there."""
        return sum(self.views.values())

    @property
    def rated(self) -> int:
        """Number of ratings."""
        return self.helpful + self.unhelpful


@dataclass(frozen=True)
class UnansweredGroup:
    """A group of unanswered questions and the FAQ closest to it."""

    group: QuestionGroup
    closest_id: str
    closest_question: str
    confidence: float | None  # None without an index
    suggestion: str


@dataclass
class ReportData:
    """Everything the report shows."""

    since: date
    until: date
    searches: int = 0
    answered: int = 0
    handovers: int = 0
    handover_messages: int = 0
    small_talk: int = 0  # thanks, hello, "?": answered, not counted as questions
    crisis: int = 0  # messages from residents who may be in danger (given the consultation lines)
    # Monday of each Japan week -> crisis messages by kind, and the residents who wrote them.
    crisis_by_week: dict[date, Counter[str]] = field(default_factory=dict)
    crisis_residents: dict[date, set[str]] = field(default_factory=dict)
    crisis_messages: Counter[date] = field(default_factory=Counter)  # one message, several kinds
    # Locations sent to find shelters (never the location), and those that found none open.
    shelter_searches: int = 0
    shelter_none_open: int = 0
    helpful: int = 0
    unhelpful: int = 0
    handover_sources: Counter[str] = field(default_factory=Counter)
    views: Counter[str] = field(default_factory=Counter)  # FAQs shown, by VIEW_SOURCES value
    category_views: Counter[tuple[str, str]] = field(default_factory=Counter)  # (name, source)
    by_hour: list[list[int]] = field(default_factory=lambda: [[0, 0] for _ in range(24)])
    by_weekday: list[list[int]] = field(default_factory=lambda: [[0, 0] for _ in range(7)])
    by_day: dict[date, list[int]] = field(default_factory=dict)  # searches, answered, handovers
    faqs: dict[str, FaqCounts] = field(default_factory=dict)
    words: list[tuple[str, int, int]] = field(default_factory=list)  # word, all, unanswered
    unanswered: list[UnansweredGroup] = field(default_factory=list)
    menu_faq_ids: frozenset[str] = frozenset()

    @property
    def answered_share(self) -> float | None:
        """Share of questions answered, None when there were none."""
        return self.answered / self.searches if self.searches else None

    def faq(self, faq_id: str) -> FaqCounts:
        """Counts of one FAQ, created on first use."""
        if faq_id not in self.faqs:
            self.faqs[faq_id] = FaqCounts(faq_id)
        return self.faqs[faq_id]


def collect(
    records: Iterable[LogRecord], index: ReportIndex | None, since: date, until: date
) -> ReportData:
    """Count the records of the Japan days since..until (others are ignored)."""
    data = ReportData(since, until, menu_faq_ids=_menu_faq_ids(index))
    day = since
    while day <= until:
        data.by_day[day] = [0, 0, 0]
        day += timedelta(days=1)
    queries_by_search: dict[str, str] = {}
    unanswered_queries: list[str] = []
    all_queries: list[str] = []
    ratings: dict[tuple[str, str, str], LogRecord] = {}
    in_danger: dict[str, bool] = {}  # query -> looks like a resident in danger (asked once each)
    for record in records:
        local = record.at.astimezone(JST)
        if not since <= local.date() <= until:
            continue
        if record.kind == SEARCH:
            _count_search(data, record, local)
            if record.query not in in_danger:
                in_danger[record.query] = looks_like_crisis(record.query)
            if in_danger[record.query]:
                # Searched before the crisis rules knew its wording: counted, never listed,
                # never proposed as a FAQ or a phrasing.
                continue
            queries_by_search[record.id] = record.query
            all_queries.append(record.query)
            # A topic word got its topic's questions: not answered at once, but no FAQ is missing.
            listed = record.detail.get("reply") == TOPIC_LIST
            if not record.answered and not listed:
                unanswered_queries.append(record.query)
        elif record.kind == FEEDBACK and record.faq_id and record.helpful is not None:
            # A resident who taps twice on the same answer changes their rating, not adds one.
            ratings[(record.user_ref, record.faq_id, record.search_id)] = record
        elif record.kind == HANDOVER:
            data.handovers += 1
            data.handover_sources[str(record.detail.get("source", ""))] += 1
            data.by_day[local.date()][2] += 1
        elif record.kind == HANDOVER_MESSAGE:
            data.handover_messages += 1
        elif record.kind == SMALL_TALK:
            data.small_talk += 1
        elif record.kind == CRISIS:
            _count_crisis(data, record, local.date())
        elif record.kind == SHELTER_SEARCH:
            data.shelter_searches += 1
            data.shelter_none_open += not record.detail.get("open")
        elif record.kind == FAQ_VIEW and record.faq_id:
            _count_view(data, record.faq_id, str(record.detail.get("source", "")))
        elif record.kind == CATEGORY_VIEW:
            name = str(record.detail.get("category", ""))
            data.category_views[(name, str(record.detail.get("source", "")))] += 1
    for rating in ratings.values():
        counts = data.faq(rating.faq_id)
        if rating.helpful:
            counts.helpful += 1
            data.helpful += 1
        else:
            counts.unhelpful += 1
            data.unhelpful += 1
            query = queries_by_search.get(rating.search_id)
            if query:
                counts.unhelpful_queries[query] += 1
    known = faq_words(index.faqs) if index is not None else None
    data.words = _words(all_queries, unanswered_queries, known)
    groups = group_questions(unanswered_queries)[:MAX_GROUPS]
    data.unanswered = [_closest(group, index) for group in groups]
    return data


def _count_search(data: ReportData, record: LogRecord, local) -> None:
    data.searches += 1
    hour, weekday, day = data.by_hour[local.hour], data.by_weekday[local.weekday()], local.date()
    hour[0] += 1
    weekday[0] += 1
    data.by_day[day][0] += 1
    if record.answered:
        data.answered += 1
        hour[1] += 1
        weekday[1] += 1
        data.by_day[day][1] += 1
        if record.top:
            _count_view(data, record.top[0].faq_id, ANSWER_SOURCE)
    for faq_id in record.opened:  # searches logged before taps were logged as views
        _count_view(data, faq_id, CANDIDATE)


def _count_crisis(data: ReportData, record: LogRecord, day: date) -> None:
    """One crisis message, by the Japan week (from Monday) and its kinds; no words are kept."""
    data.crisis += 1
    week = day - timedelta(days=day.weekday())
    kinds = [str(k) for k in record.detail.get("kinds") or ()] or [""]
    data.crisis_by_week.setdefault(week, Counter()).update(kinds)
    data.crisis_residents.setdefault(week, set()).add(record.user_ref)
    data.crisis_messages[week] += 1


def _count_view(data: ReportData, faq_id: str, source: str) -> None:
    source = source if source in VIEW_SOURCES else ""
    data.faq(faq_id).views[source] += 1
    data.views[source] += 1


def _words(
    all_queries: Sequence[str], unanswered: Sequence[str], known: frozenset[str] | None
) -> list[tuple[str, int, int]]:
    missed: Counter[str] = Counter()
    for query in unanswered:
        for word in content_words(query, known):
            missed[fold_kana(word)] += 1
    top = count_words(all_queries, known)[:MAX_WORDS]
    return [(word, n, missed[fold_kana(word)]) for word, n in top]


def _menu_faq_ids(index: ReportIndex | None) -> frozenset[str]:
    if index is None:
        return frozenset()
    return frozenset(
        b.value.strip() for tab in index.menu for b in tab.buttons if b.action == ActionKind.FAQ
    )


def _closest(group: QuestionGroup, index: ReportIndex | None) -> UnansweredGroup:
    if index is None:
        return UnansweredGroup(group, "", "", None, CHECK)
    result = index.search(group.representative, k=1)
    best = result.hits[0] if result.hits else None
    if best is None:
        return UnansweredGroup(group, "", "", 0.0, NEW_FAQ)
    closeness = best.confidence if result.closeness is None else result.closeness
    if result.answered:
        suggestion = NOW_ANSWERED
    elif closeness >= result.choice_threshold:
        # Close enough to be offered among choices: probably the right FAQ, worded otherwise.
        # Below that the need is most likely not covered by any FAQ yet.
        suggestion = ADD_PARAPHRASE
    else:
        suggestion = NEW_FAQ
    return UnansweredGroup(group, best.faq.id, best.faq.question, best.confidence, suggestion)
