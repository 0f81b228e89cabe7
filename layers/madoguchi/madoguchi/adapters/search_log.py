"""Search log storage: DynamoDB in the cloud, SQLite locally, one Protocol for both."""

from __future__ import annotations

import json
import secrets
from collections.abc import Iterator
from datetime import UTC, date, datetime
from decimal import Decimal
from typing import Any, Protocol

from madoguchi.adapters.aws import DynamoTable
from madoguchi.adapters.sqlite_file import SqliteFile
from madoguchi.searchlog.model import (
    SEARCH,
    LogRecord,
    TopHit,
    japan_day_bounds,
    utc_days,
)

USER_INDEX = (
    "by_user"  # sparse index: only searches carry its key, so it lists a resident's questions
)


class SearchLog(Protocol):
    """Where searches, feedback and hand-overs are kept for the staff report."""

    def put(self, record: LogRecord) -> None:
        """Store one record."""
        ...

    def records(self, since: date, until: date) -> Iterator[LogRecord]:
        """Unexpired records of the Japan days since..until (inclusive), oldest first."""
        ...

    def recent_queries(self, user: str, limit: int = 5) -> list[str]:
        """The resident's last `limit` search texts, oldest first."""
        ...


def _iso(moment: datetime) -> str:
    return (
        moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.") + f"{moment.microsecond // 1000:03d}Z"
    )


def _parse_iso(text: str) -> datetime:
    return datetime.fromisoformat(text.replace("Z", "+00:00"))


def _in_range(record: LogRecord, start: datetime, end: datetime, now: float) -> bool:
    return start <= record.at < end and record.expires_at > now


class DynamoSearchLog(DynamoTable):
    """One item per record; pk = "LOG#<UTC day>", sk = record id (time-ordered)."""

    # Day partitions let the report read a date range with one Query per day instead of a Scan;
    # a municipality's traffic stays far below one partition's write limit.

    def put(self, record: LogRecord) -> None:
        """Store one record."""
        self.client.put_item(TableName=self.table, Item=_to_item(record))

    def records(self, since: date, until: date) -> Iterator[LogRecord]:
        """Query each UTC day partition covering the Japan days, keep those inside the range."""
        start, end = japan_day_bounds(since, until)
        now = self._clock()
        for day in utc_days(since, until):
            kwargs: dict[str, Any] = {
                "TableName": self.table,
                "KeyConditionExpression": "pk = :pk",
                "ExpressionAttributeValues": {":pk": {"S": "LOG#" + day}},
            }
            while True:
                page = self.client.query(**kwargs)
                for item in page.get("Items", []):
                    record = _from_item(item)
                    if _in_range(record, start, end, now):
                        yield record
                if "LastEvaluatedKey" not in page:
                    break
                kwargs["ExclusiveStartKey"] = page["LastEvaluatedKey"]

    def recent_queries(self, user: str, limit: int = 5) -> list[str]:
        """Newest searches of one resident through the sparse user index."""
        page = self.client.query(
            TableName=self.table,
            IndexName=USER_INDEX,
            KeyConditionExpression="user_search = :user",
            ExpressionAttributeValues={":user": {"S": user}},
            ScanIndexForward=False,
            Limit=limit * 2,  # a few may have expired but not yet been deleted by TTL
        )
        now = self._clock()
        items = [i for i in page.get("Items", []) if int(i["expires_at"]["N"]) > now]
        return [i["query"]["S"] for i in reversed(items[:limit])]


def _to_item(record: LogRecord) -> dict[str, Any]:
    item: dict[str, Any] = {
        "pk": {"S": "LOG#" + record.day},
        "sk": {"S": record.id},
        "kind": {"S": record.kind},
        "at": {"S": _iso(record.at)},
        "user_ref": {"S": record.user_ref},
        "expires_at": {"N": str(record.expires_at)},
    }
    if record.kind == SEARCH:
        item["user_search"] = {"S": record.user_ref}
        item["query"] = {"S": record.query}
        item["answered"] = {"BOOL": record.answered}
        item["top"] = {
            "L": [
                {"M": {"id": {"S": h.faq_id}, "score": {"N": str(_score(h.score))}}}
                for h in record.top
            ]
        }
        if record.opened:
            item["opened"] = {"SS": sorted(set(record.opened))}
    if record.faq_id:
        item["faq_id"] = {"S": record.faq_id}
    if record.helpful is not None:
        item["helpful"] = {"BOOL": record.helpful}
    if record.search_id:
        item["search_id"] = {"S": record.search_id}
    if record.detail:
        item["detail"] = {"S": json.dumps(record.detail, ensure_ascii=False)}
    return item


def _score(value: float) -> Decimal:
    return Decimal(str(round(float(value), 4)))


def _from_item(item: dict[str, Any]) -> LogRecord:
    def text(name: str) -> str:
        return item[name]["S"] if name in item else ""

    return LogRecord(
        kind=text("kind"),
        id=text("sk"),
        at=_parse_iso(text("at")),
        user_ref=text("user_ref"),
        expires_at=int(item["expires_at"]["N"]),
        query=text("query"),
        top=tuple(
            TopHit(h["M"]["id"]["S"], float(h["M"]["score"]["N"]))
            for h in item.get("top", {}).get("L", [])
        ),
        answered=item.get("answered", {}).get("BOOL", False),
        opened=tuple(sorted(item.get("opened", {}).get("SS", []))),
        faq_id=text("faq_id"),
        helpful=item["helpful"]["BOOL"] if "helpful" in item else None,
        search_id=text("search_id"),
        detail=json.loads(item["detail"]["S"]) if "detail" in item else {},
    )


_SCHEMA = """
CREATE TABLE IF NOT EXISTS search_log (
    id TEXT PRIMARY KEY,
    at TEXT NOT NULL,
    kind TEXT NOT NULL,
    user_ref TEXT NOT NULL,
    expires_at INTEGER NOT NULL,
    query TEXT NOT NULL DEFAULT '',
    top TEXT NOT NULL DEFAULT '[]',
    answered INTEGER NOT NULL DEFAULT 0,
    opened TEXT NOT NULL DEFAULT '[]',
    faq_id TEXT NOT NULL DEFAULT '',
    helpful INTEGER,
    search_id TEXT NOT NULL DEFAULT '',
    detail TEXT NOT NULL DEFAULT '{}'
);
CREATE INDEX IF NOT EXISTS search_log_at ON search_log (at);
CREATE INDEX IF NOT EXISTS search_log_user ON search_log (user_ref, kind, id);
CREATE INDEX IF NOT EXISTS search_log_expiry ON search_log (expires_at);
CREATE TABLE IF NOT EXISTS search_log_meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
"""

_INSERT = (
    "INSERT OR REPLACE INTO search_log (id, at, kind, user_ref, expires_at, query, top, answered,"
    " opened, faq_id, helpful, search_id, detail) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
)


class SqliteSearchLog(SqliteFile):
    """The same log in one SQLite file, for the local preview and tests."""

    schema = _SCHEMA

    def salt(self) -> str:
        """This database's own random salt for user references, made on first use."""
        with self._lock:
            self._db.execute(
                "INSERT OR IGNORE INTO search_log_meta (key, value) VALUES ('salt', ?)",
                (secrets.token_hex(16),),
            )
            row = self._db.execute(
                "SELECT value FROM search_log_meta WHERE key = 'salt'"
            ).fetchone()
        return row[0]

    def put(self, record: LogRecord) -> None:
        """Store one record and drop expired ones (SQLite has no TTL of its own; the expiry
        index makes that a lookup, not a scan of the whole log)."""
        with self._lock:
            self._db.execute("DELETE FROM search_log WHERE expires_at <= ?", (int(self._clock()),))
            self._db.execute(_INSERT, _row(record))

    def put_many(self, records: list[LogRecord]) -> None:
        """Store many records in one transaction (benchmarks and imports)."""
        with self._lock:
            self._db.execute("BEGIN")
            try:
                for record in records:
                    self._db.execute(_INSERT, _row(record))
                self._db.execute("COMMIT")
            except BaseException:
                self._db.execute("ROLLBACK")
                raise

    def records(self, since: date, until: date) -> Iterator[LogRecord]:
        """Unexpired records of the Japan days since..until, oldest first."""
        start, end = japan_day_bounds(since, until)
        with self._lock:
            rows = self._db.execute(
                "SELECT * FROM search_log WHERE at >= ? AND at < ? AND expires_at > ? ORDER BY id",
                (_iso(start), _iso(end), int(self._clock())),
            ).fetchall()
        for row in rows:
            yield _from_row(row)

    def recent_queries(self, user: str, limit: int = 5) -> list[str]:
        """The resident's last `limit` search texts, oldest first."""
        with self._lock:
            rows = self._db.execute(
                "SELECT query FROM search_log WHERE user_ref = ? AND kind = ? AND expires_at > ?"
                " ORDER BY id DESC LIMIT ?",
                (user, SEARCH, int(self._clock()), limit),
            ).fetchall()
        return [r[0] for r in reversed(rows)]


def _row(record: LogRecord) -> tuple[Any, ...]:
    return (
        record.id,
        _iso(record.at),
        record.kind,
        record.user_ref,
        record.expires_at,
        record.query,
        json.dumps([[h.faq_id, float(_score(h.score))] for h in record.top], ensure_ascii=False),
        int(record.answered),
        json.dumps(sorted(set(record.opened)), ensure_ascii=False),
        record.faq_id,
        None if record.helpful is None else int(record.helpful),
        record.search_id,
        json.dumps(record.detail, ensure_ascii=False),
    )


def _from_row(row: tuple[Any, ...]) -> LogRecord:
    (
        id_,
        at,
        kind,
        user,
        expires_at,
        query,
        top,
        answered,
        opened,
        faq_id,
        helpful,
        sid,
        detail,
    ) = row
    return LogRecord(
        kind=kind,
        id=id_,
        at=_parse_iso(at),
        user_ref=user,
        expires_at=expires_at,
        query=query,
        top=tuple(TopHit(f, s) for f, s in json.loads(top)),
        answered=bool(answered),
        opened=tuple(json.loads(opened)),
        faq_id=faq_id,
        helpful=None if helpful is None else bool(helpful),
        search_id=sid,
        detail=json.loads(detail),
    )
