"""Which hand-over mails were sent: one per resident per hand-over, and a count per Japan hour.

Every Lambda instance answers some residents, so the record lives in the webhook's state table
(DynamoDB: pk = "mail#user#<ref>" or "mail#hour#<2026-11-02T09>", with an `expires_at` TTL) or,
locally, in the same SQLite file as the event claims. Each check is one atomic write.
"""

from __future__ import annotations

from typing import Protocol

from madoguchi.adapters.aws import DynamoTable
from madoguchi.adapters.sqlite_file import SqliteFile

MAIL_SK = "mail"
HOUR_KEEP_SECONDS = 3 * 3600  # an hour's count is read once more, by the next hour's first mail


def _user_pk(user: str) -> str:
    return f"mail#user#{user}"


def _hour_pk(hour: str) -> str:
    return f"mail#hour#{hour}"


class MailLedger(Protocol):
    """Remembers hand-over mails across instances."""

    def claim_resident(self, user: str, hold_seconds: int) -> bool:
        """True when no mail about this resident was claimed in the last `hold_seconds`."""
        ...

    def count_hour(self, hour: str) -> int:
        """Count one hand-over mail in the Japan hour `hour`; returns the count so far."""
        ...

    def hour_count(self, hour: str) -> int:
        """The count of an hour (0 when none or forgotten)."""
        ...


class DynamoMailLedger(DynamoTable):
    """The ledger as items in the webhook's state table."""

    def claim_resident(self, user: str, hold_seconds: int) -> bool:
        """One conditional put; TTL deletion lags, so expiry is checked too."""
        now = int(self._clock())
        try:
            self.client.put_item(
                TableName=self.table,
                Item={
                    "pk": {"S": _user_pk(user)},
                    "sk": {"S": MAIL_SK},
                    "expires_at": {"N": str(now + hold_seconds)},
                },
                ConditionExpression="attribute_not_exists(pk) OR expires_at < :now",
                ExpressionAttributeValues={":now": {"N": str(now)}},
            )
        except self.client.exceptions.ConditionalCheckFailedException:
            return False
        return True

    def count_hour(self, hour: str) -> int:
        """One atomic ADD."""
        result = self.client.update_item(
            TableName=self.table,
            Key={"pk": {"S": _hour_pk(hour)}, "sk": {"S": MAIL_SK}},
            UpdateExpression="ADD mails :one SET expires_at = :exp",
            ExpressionAttributeValues={
                ":one": {"N": "1"},
                ":exp": {"N": str(int(self._clock()) + HOUR_KEEP_SECONDS)},
            },
            ReturnValues="UPDATED_NEW",
        )
        return int(result["Attributes"]["mails"]["N"])

    def hour_count(self, hour: str) -> int:
        """One read."""
        item = self.client.get_item(
            TableName=self.table, Key={"pk": {"S": _hour_pk(hour)}, "sk": {"S": MAIL_SK}}
        ).get("Item")
        return int(item["mails"]["N"]) if item and "mails" in item else 0


class SqliteMailLedger(SqliteFile):
    """The same ledger in a local SQLite file (the preview's, beside the event claims)."""

    schema = (
        "CREATE TABLE IF NOT EXISTS mail_ledger ("
        " pk TEXT PRIMARY KEY, mails INTEGER NOT NULL DEFAULT 0, expires_at INTEGER NOT NULL)"
    )

    def claim_resident(self, user: str, hold_seconds: int) -> bool:
        """Insert the claim unless a live one exists, in one statement."""
        now = int(self._clock())
        with self._lock:
            cursor = self._db.execute(
                "INSERT INTO mail_ledger (pk, expires_at) VALUES (?, ?)"
                " ON CONFLICT (pk) DO UPDATE SET expires_at = excluded.expires_at"
                " WHERE mail_ledger.expires_at < ?",
                (_user_pk(user), now + hold_seconds, now),
            )
            return cursor.rowcount == 1

    def count_hour(self, hour: str) -> int:
        """One upsert that returns the new count."""
        expires_at = int(self._clock()) + HOUR_KEEP_SECONDS
        with self._lock:
            row = self._db.execute(
                "INSERT INTO mail_ledger (pk, mails, expires_at) VALUES (?, 1, ?)"
                " ON CONFLICT (pk) DO UPDATE SET mails = mails + 1,"
                " expires_at = excluded.expires_at"
                " RETURNING mails",
                (_hour_pk(hour), expires_at),
            ).fetchone()
        return int(row[0])

    def hour_count(self, hour: str) -> int:
        """One read."""
        with self._lock:
            row = self._db.execute(
                "SELECT mails FROM mail_ledger WHERE pk = ? AND expires_at > ?",
                (_hour_pk(hour), int(self._clock())),
            ).fetchone()
        return int(row[0]) if row else 0
