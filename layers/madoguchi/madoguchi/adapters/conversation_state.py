"""Per-resident conversation state: "with staff" mode and the messages written to staff in it,
the last search, the no-answer streak, and when staff were last mailed about a resident in danger.

One item per resident, keyed by the salted user reference (never the raw LINE user id). In
DynamoDB it lives in the webhook's state table beside the event claims (pk = "user#<ref>",
sk = "conversation", `expires_at` TTL); locally it is a table in the same SQLite file.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, replace
from typing import Any, Protocol

from madoguchi.adapters.aws import DynamoTable
from madoguchi.adapters.sqlite_file import SqliteFile

CONVERSATION_SK = "conversation"
# The last search is only useful while its buttons are on the resident's screen; a hand-over
# lasts at most this long too, so every write may set the item TTL to at least this far ahead.
KEEP_SECONDS = 24 * 3600
# A hand-over's item outlives its end by this much: the resident's next event, even weeks later,
# still finds it and gives them their usual rich menu back (LINE keeps a linked menu forever).
HANDOVER_KEEP_SECONDS = 90 * 24 * 3600


@dataclass(frozen=True)
class UserState:
    """What the bot remembers about one resident; zero values when nothing is stored."""

    mode_since: int = 0  # epoch seconds the hand-over started
    mode_until: int = 0  # epoch seconds the hand-over ends by itself
    last_search_id: str = ""
    last_faq_ids: tuple[str, ...] = ()
    no_answer_streak: int = 0
    staff_messages: int = 0  # messages written to staff since the hand-over started
    # The language of the resident's LINE profile, once asked (madoguchi.language.codes;
    # NO_LANGUAGE: the profile has none); "" until then.
    language: str = ""
    crisis_alerted_at: int = 0  # epoch seconds staff were last mailed about this resident in danger
    # The language of the rich menu linked to the resident ("ja": the Japanese one everyone
    # sees, nothing linked); "" when not known.
    menu_language: str = ""

    def with_staff(self, now: float) -> bool:
        """True while the hand-over has not ended or timed out."""
        return self.mode_until > now


NO_LANGUAGE = "-"  # the profile was read and says no language


class ConversationState(Protocol):
    """Per-resident state behind the hand-over and the search log."""

    def load(self, user: str) -> UserState:
        """Everything stored for the resident (one read)."""
        ...

    def get_mode(self, user: str) -> UserState | None:
        """The state if the resident is with staff now, else None."""
        ...

    def set_mode(self, user: str, since: int, until: int) -> None:
        """Put the resident with staff from `since` until `until` (epoch seconds), with no message
        written to staff yet."""
        ...

    def extend_mode(self, user: str, until: int) -> None:
        """Move the end of the hand-over."""
        ...

    def note_staff_message(self, user: str, until: int) -> int:
        """Count one message written to staff and extend the hand-over; returns the count."""
        ...

    def clear_mode(self, user: str) -> None:
        """Back to automatic answers; also restarts the no-answer streak."""
        ...

    def note_search(
        self, user: str, search_id: str, faq_ids: tuple[str, ...], answered: bool
    ) -> int:
        """Remember a search that showed FAQs, count one without an answer; returns the streak."""
        ...

    def set_language(self, user: str, language: str) -> None:
        """Remember the language of the resident's LINE profile."""
        ...

    def set_menu_language(self, user: str, language: str) -> None:
        """Remember the language of the rich menu linked to the resident."""
        ...

    def claim_crisis_alert(self, user: str, every_seconds: int) -> bool:
        """True (and the moment kept) when staff were not mailed about this resident in danger
        within the last `every_seconds`; atomic, so two quick messages give one mail."""
        ...


def _key(user: str) -> dict[str, Any]:
    return {"pk": {"S": f"user#{user}"}, "sk": {"S": CONVERSATION_SK}}


class DynamoConversationState(DynamoTable):
    """The state as one DynamoDB item per resident in the webhook's state table."""

    def _expiry(self, *more: int) -> dict[str, str]:
        return {"N": str(max((int(self._clock()) + KEEP_SECONDS, *more)))}

    def load(self, user: str) -> UserState:
        """Read the item; TTL deletion lags, so an expired item reads as empty."""
        item = self.client.get_item(TableName=self.table, Key=_key(user)).get("Item")
        if not item or int(item["expires_at"]["N"]) <= self._clock():
            return UserState()
        return UserState(
            mode_since=int(item.get("mode_since", {}).get("N", 0)),
            mode_until=int(item.get("mode_until", {}).get("N", 0)),
            last_search_id=item.get("last_search_id", {}).get("S", ""),
            last_faq_ids=tuple(v["S"] for v in item.get("last_faq_ids", {}).get("L", [])),
            no_answer_streak=int(item.get("no_answer_streak", {}).get("N", 0)),
            staff_messages=int(item.get("staff_messages", {}).get("N", 0)),
            language=item.get("language", {}).get("S", ""),
            crisis_alerted_at=int(item.get("crisis_alerted_at", {}).get("N", 0)),
            menu_language=item.get("menu_language", {}).get("S", ""),
        )

    def get_mode(self, user: str) -> UserState | None:
        """The state if the resident is with staff now."""
        state = self.load(user)
        return state if state.with_staff(self._clock()) else None

    def set_mode(self, user: str, since: int, until: int) -> None:
        """Start the hand-over; the item outlives it."""
        self.client.update_item(
            TableName=self.table,
            Key=_key(user),
            UpdateExpression=(
                "SET mode_since = :since, mode_until = :until, staff_messages = :zero,"
                " expires_at = :exp"
            ),
            ExpressionAttributeValues={
                ":since": {"N": str(since)},
                ":until": {"N": str(until)},
                ":zero": {"N": "0"},
                ":exp": self._expiry(until + HANDOVER_KEEP_SECONDS),
            },
        )

    def extend_mode(self, user: str, until: int) -> None:
        """Move the end of the hand-over."""
        self.client.update_item(
            TableName=self.table,
            Key=_key(user),
            UpdateExpression="SET mode_until = :until, expires_at = :exp",
            ExpressionAttributeValues={
                ":until": {"N": str(until)},
                ":exp": self._expiry(until + HANDOVER_KEEP_SECONDS),
            },
        )

    def note_staff_message(self, user: str, until: int) -> int:
        """One atomic update: the count (so two quick messages get one acknowledgement) and
        the new end."""
        result = self.client.update_item(
            TableName=self.table,
            Key=_key(user),
            UpdateExpression=(
                "SET staff_messages = if_not_exists(staff_messages, :zero) + :one,"
                " mode_until = :until, expires_at = :exp"
            ),
            ExpressionAttributeValues={
                ":zero": {"N": "0"},
                ":one": {"N": "1"},
                ":until": {"N": str(until)},
                ":exp": self._expiry(until + HANDOVER_KEEP_SECONDS),
            },
            ReturnValues="UPDATED_NEW",
        )
        return int(result["Attributes"]["staff_messages"]["N"])

    def set_language(self, user: str, language: str) -> None:
        """Remember the profile's language (kept as long as the rest of the item)."""
        self.client.update_item(
            TableName=self.table,
            Key=_key(user),
            UpdateExpression="SET #language = :language, expires_at = :exp",
            ExpressionAttributeNames={"#language": "language"},
            ExpressionAttributeValues={":language": {"S": language}, ":exp": self._expiry()},
        )

    def set_menu_language(self, user: str, language: str) -> None:
        """Remember the linked menu's language; a translated one keeps the item as long as a
        hand-over's (LINE keeps a linked menu forever)."""
        keep = int(self._clock()) + HANDOVER_KEEP_SECONDS if language != "ja" else 0
        self.client.update_item(
            TableName=self.table,
            Key=_key(user),
            UpdateExpression="SET menu_language = :language, expires_at = :exp",
            ExpressionAttributeValues={":language": {"S": language}, ":exp": self._expiry(keep)},
        )

    def clear_mode(self, user: str) -> None:
        """End the hand-over and the no-answer streak."""
        self.client.update_item(
            TableName=self.table,
            Key=_key(user),
            UpdateExpression=(
                "SET mode_until = :zero, no_answer_streak = :zero, staff_messages = :zero,"
                " expires_at = :exp"
            ),
            ExpressionAttributeValues={":zero": {"N": "0"}, ":exp": self._expiry()},
        )

    def note_search(
        self, user: str, search_id: str, faq_ids: tuple[str, ...], answered: bool
    ) -> int:
        """One atomic update per search."""
        if answered:
            self.client.update_item(
                TableName=self.table,
                Key=_key(user),
                UpdateExpression=(
                    "SET last_search_id = :sid, last_faq_ids = :ids,"
                    " no_answer_streak = :zero, expires_at = :exp"
                ),
                ExpressionAttributeValues={
                    ":sid": {"S": search_id},
                    ":ids": {"L": [{"S": i} for i in faq_ids]},
                    ":zero": {"N": "0"},
                    ":exp": self._expiry(),
                },
            )
            return 0
        now = int(self._clock())
        # Choices offered without an answer are this search's too: a tap on one is linked to it.
        chosen = {":sid": {"S": search_id}, ":ids": {"L": [{"S": i} for i in faq_ids]}}
        try:
            result = self.client.update_item(
                TableName=self.table,
                Key=_key(user),
                UpdateExpression=(
                    "SET no_answer_streak = if_not_exists(no_answer_streak, :zero) + :one,"
                    " expires_at = :exp"
                    + (", last_search_id = :sid, last_faq_ids = :ids" if faq_ids else "")
                ),
                # An item past its TTL but not yet deleted must not carry an old streak forward.
                ConditionExpression="attribute_not_exists(expires_at) OR expires_at > :now",
                ExpressionAttributeValues={
                    ":zero": {"N": "0"},
                    ":one": {"N": "1"},
                    ":exp": self._expiry(),
                    ":now": {"N": str(now)},
                    **(chosen if faq_ids else {}),
                },
                ReturnValues="UPDATED_NEW",
            )
        except self.client.exceptions.ConditionalCheckFailedException:
            fresh = {**_key(user), "no_answer_streak": {"N": "1"}, "expires_at": self._expiry()}
            if faq_ids:
                fresh.update(last_search_id=chosen[":sid"], last_faq_ids=chosen[":ids"])
            self.client.put_item(TableName=self.table, Item=fresh)
            return 1
        return int(result["Attributes"]["no_answer_streak"]["N"])

    def claim_crisis_alert(self, user: str, every_seconds: int) -> bool:
        """One conditional update: the moment is kept only if the last alert is old enough."""
        now = int(self._clock())
        try:
            self.client.update_item(
                TableName=self.table,
                Key=_key(user),
                # An existing item keeps its expiry (a hand-over's is longer than a day).
                UpdateExpression=(
                    "SET crisis_alerted_at = :now, expires_at = if_not_exists(expires_at, :exp)"
                ),
                ConditionExpression=(
                    "attribute_not_exists(crisis_alerted_at) OR crisis_alerted_at <= :before"
                ),
                ExpressionAttributeValues={
                    ":now": {"N": str(now)},
                    ":before": {"N": str(now - every_seconds)},
                    ":exp": self._expiry(),
                },
            )
        except self.client.exceptions.ConditionalCheckFailedException:
            return False
        return True


_SCHEMA = (
    "CREATE TABLE IF NOT EXISTS conversation ("
    " user_ref TEXT PRIMARY KEY, mode_since INTEGER NOT NULL DEFAULT 0,"
    " mode_until INTEGER NOT NULL DEFAULT 0, last_search_id TEXT NOT NULL DEFAULT '',"
    " last_faq_ids TEXT NOT NULL DEFAULT '[]', no_answer_streak INTEGER NOT NULL DEFAULT 0,"
    " expires_at INTEGER NOT NULL, staff_messages INTEGER NOT NULL DEFAULT 0,"
    " language TEXT NOT NULL DEFAULT '', crisis_alerted_at INTEGER NOT NULL DEFAULT 0,"
    " menu_language TEXT NOT NULL DEFAULT '')"
)
_COLUMNS = (
    "mode_since, mode_until, last_search_id, last_faq_ids, no_answer_streak, staff_messages,"
    " language, crisis_alerted_at, menu_language"
)


class SqliteConversationState(SqliteFile):
    """The same state in a local SQLite file (it can share the file of the event claims)."""

    schema = _SCHEMA
    added_columns = (
        ("conversation", "staff_messages", "INTEGER NOT NULL DEFAULT 0"),
        ("conversation", "language", "TEXT NOT NULL DEFAULT ''"),
        ("conversation", "crisis_alerted_at", "INTEGER NOT NULL DEFAULT 0"),
        ("conversation", "menu_language", "TEXT NOT NULL DEFAULT ''"),
    )

    def _live_row(self, user: str) -> tuple[Any, ...] | None:
        row = self._db.execute(
            f"SELECT {_COLUMNS}, expires_at FROM conversation WHERE user_ref = ?", (user,)
        ).fetchone()
        return row if row and row[-1] > self._clock() else None

    def _write(self, user: str, state: UserState) -> None:
        expires_at = int(self._clock()) + KEEP_SECONDS
        if state.mode_until:
            expires_at = max(expires_at, state.mode_until + HANDOVER_KEEP_SECONDS)
        if state.menu_language not in ("", "ja"):
            expires_at = max(expires_at, int(self._clock()) + HANDOVER_KEEP_SECONDS)
        self._db.execute(
            f"INSERT OR REPLACE INTO conversation (user_ref, {_COLUMNS}, expires_at)"
            " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (
                user,
                state.mode_since,
                state.mode_until,
                state.last_search_id,
                json.dumps(list(state.last_faq_ids), ensure_ascii=False),
                state.no_answer_streak,
                state.staff_messages,
                state.language,
                state.crisis_alerted_at,
                state.menu_language,
                expires_at,
            ),
        )

    def _read(self, user: str) -> UserState:
        row = self._live_row(user)
        if row is None:
            return UserState()
        since, until, search_id, faq_ids, streak, messages, language, alerted, menu, _ = row
        faq_tuple = tuple(json.loads(faq_ids))
        return UserState(
            since, until, search_id, faq_tuple, streak, messages, language, alerted, menu
        )

    def load(self, user: str) -> UserState:
        """Everything stored for the resident."""
        with self._lock:
            return self._read(user)

    def get_mode(self, user: str) -> UserState | None:
        """The state if the resident is with staff now."""
        state = self.load(user)
        return state if state.with_staff(self._clock()) else None

    def set_mode(self, user: str, since: int, until: int) -> None:
        """Start the hand-over."""
        with self._lock:
            state = self._read(user)
            started = replace(state, mode_since=since, mode_until=until, staff_messages=0)
            self._write(user, started)

    def extend_mode(self, user: str, until: int) -> None:
        """Move the end of the hand-over."""
        with self._lock:
            self._write(user, replace(self._read(user), mode_until=until))

    def note_staff_message(self, user: str, until: int) -> int:
        """Count one message written to staff and extend the hand-over."""
        with self._lock:
            state = self._read(user)
            state = replace(state, mode_until=until, staff_messages=state.staff_messages + 1)
            self._write(user, state)
        return state.staff_messages

    def set_language(self, user: str, language: str) -> None:
        """Remember the profile's language."""
        with self._lock:
            self._write(user, replace(self._read(user), language=language))

    def set_menu_language(self, user: str, language: str) -> None:
        """Remember the linked menu's language."""
        with self._lock:
            self._write(user, replace(self._read(user), menu_language=language))

    def clear_mode(self, user: str) -> None:
        """End the hand-over and the no-answer streak."""
        with self._lock:
            state = self._read(user)
            self._write(user, replace(state, mode_until=0, no_answer_streak=0, staff_messages=0))

    def note_search(
        self, user: str, search_id: str, faq_ids: tuple[str, ...], answered: bool
    ) -> int:
        """Remember a search that showed FAQs; count a search without an answer."""
        with self._lock:
            state = self._read(user)
            if answered:
                state = replace(
                    state, last_search_id=search_id, last_faq_ids=faq_ids, no_answer_streak=0
                )
            else:
                state = replace(state, no_answer_streak=state.no_answer_streak + 1)
                if faq_ids:  # choices offered without an answer: a tap is linked to this search
                    state = replace(state, last_search_id=search_id, last_faq_ids=faq_ids)
            self._write(user, state)
        return state.no_answer_streak

    def claim_crisis_alert(self, user: str, every_seconds: int) -> bool:
        """Keep the moment unless staff were mailed within `every_seconds`."""
        now = int(self._clock())
        with self._lock:
            state = self._read(user)
            if state.crisis_alerted_at and state.crisis_alerted_at > now - every_seconds:
                return False
            self._write(user, replace(state, crisis_alerted_at=now))
        return True
