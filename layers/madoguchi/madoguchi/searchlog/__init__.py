"""The search log: what residents asked, opened and rated, and when they asked for staff."""

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
    LogRecord,
    TopHit,
    is_record_id,
    new_event,
    new_search,
    user_ref,
)

__all__ = [
    "ANSWER_SOURCE",
    "CATEGORY_VIEW",
    "CRISIS",
    "FAQ_VIEW",
    "FEEDBACK",
    "HANDOVER",
    "HANDOVER_MESSAGE",
    "SEARCH",
    "SHELTER_SEARCH",
    "SMALL_TALK",
    "LogRecord",
    "TopHit",
    "is_record_id",
    "new_event",
    "new_search",
    "user_ref",
]
