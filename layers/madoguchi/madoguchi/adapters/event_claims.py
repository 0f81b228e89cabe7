"""Event claims: which LINE webhook events were already handled (DynamoDB or SQLite).

Claims are items keyed by `pk` + `sk` with an `expires_at` epoch (DynamoDB TTL) in the webhook's
state table; per-resident conversations (adapters/conversation_state.py) share the table under
their own `pk`.
"""

from __future__ import annotations

from typing import Protocol

from madoguchi.adapters.aws import DynamoTable
from madoguchi.adapters.sqlite_file import SqliteFile

EVENT_SK = "event"


def event_key(event_id: str) -> tuple[str, str]:
    """Item key of one webhook event."""
    return f"event#{event_id}", EVENT_SK


class EventClaims(Protocol):
    """Remembers handled webhook events so a redelivered event is answered once."""

    def claim_event(self, event_id: str, ttl_seconds: int) -> bool:
        """True the first time an event id is seen (within its TTL), False afterwards."""
        ...


class DynamoEventClaims(DynamoTable):
    """Event claims as DynamoDB items, made with one conditional put each."""

    def claim_event(self, event_id: str, ttl_seconds: int) -> bool:
        """Put the claim unless a live one exists; TTL deletion lags, so expiry is checked too."""
        pk, sk = event_key(event_id)
        now = int(self._clock())
        try:
            self.client.put_item(
                TableName=self.table,
                Item={
                    "pk": {"S": pk},
                    "sk": {"S": sk},
                    "expires_at": {"N": str(now + ttl_seconds)},
                },
                ConditionExpression="attribute_not_exists(pk) OR expires_at < :now",
                ExpressionAttributeValues={":now": {"N": str(now)}},
            )
        except self.client.exceptions.ConditionalCheckFailedException:
            return False
        return True


class SqliteEventClaims(SqliteFile):
    """Event claims in a local SQLite file, for the local preview and development."""

    schema = (
        "CREATE TABLE IF NOT EXISTS state ("
        " pk TEXT NOT NULL, sk TEXT NOT NULL, expires_at INTEGER NOT NULL,"
        " PRIMARY KEY (pk, sk))"
    )

    def claim_event(self, event_id: str, ttl_seconds: int) -> bool:
        """Insert the claim unless a live one exists, in one statement."""
        pk, sk = event_key(event_id)
        now = int(self._clock())
        with self._lock:
            cursor = self._db.execute(
                "INSERT INTO state (pk, sk, expires_at) VALUES (?, ?, ?)"
                " ON CONFLICT (pk, sk) DO UPDATE SET expires_at = excluded.expires_at"
                " WHERE state.expires_at < ?",
                (pk, sk, now + ttl_seconds, now),
            )
            claimed = cursor.rowcount == 1
            if claimed and now % 64 == 0:  # now and then, drop long-expired rows
                self._db.execute("DELETE FROM state WHERE expires_at < ?", (now,))
        return claimed
