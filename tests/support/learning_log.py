"""Search-log records as residents leave them, for the learning tests: a question, its
candidates, and what the resident tapped or rated afterwards."""

from __future__ import annotations

from datetime import datetime, timedelta

from madoguchi.searchlog.model import (
    FEEDBACK,
    LogRecord,
    TopHit,
    new_event,
    new_search,
    with_opened,
)

RETENTION_DAYS = 90


def tap(
    user: str,
    query: str,
    top: list[str],
    *,
    at: datetime,
    opened: tuple[str, ...] = (),
    helpful: dict[str, bool] | None = None,
) -> list[LogRecord]:
    """One search by `user` (a user_ref) with the FAQs it opened and the ratings it gave."""
    search = new_search(
        now=at,
        user=user,
        query=query,
        top=[TopHit(faq_id, 1.0 - 0.1 * i) for i, faq_id in enumerate(top)],
        answered=False,
        retention_days=RETENTION_DAYS,
    )
    for faq_id in opened:
        search = with_opened(search, faq_id)
    records = [search]
    for n, (faq_id, value) in enumerate((helpful or {}).items(), start=1):
        records.append(
            new_event(
                FEEDBACK,
                now=at + timedelta(seconds=n),
                user=user,
                retention_days=RETENTION_DAYS,
                faq_id=faq_id,
                helpful=value,
                search_id=search.id,
            )
        )
    return records


def user(n: int) -> str:
    """A user_ref-shaped id for resident n."""
    return f"{n:016x}"
