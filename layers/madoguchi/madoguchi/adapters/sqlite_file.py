"""The SQLite file behind the local stores (event claims, conversations, search log)."""

from __future__ import annotations

import sqlite3
import threading
from pathlib import Path

from madoguchi.clock import Clock, system_clock


class SqliteFile:
    """One SQLite file in autocommit mode with the store's `schema`, a clock and one lock."""

    schema = ""  # CREATE ... IF NOT EXISTS statements, so several stores can share one file
    # (table, column, definition) added after a table first shipped: a file made by an older
    # version (the preview keeps its data folder) gets them on opening.
    added_columns: tuple[tuple[str, str, str], ...] = ()

    def __init__(self, path: Path | str, clock: Clock = system_clock) -> None:
        self.path = Path(path)
        self._clock = clock
        self._lock = threading.Lock()  # the preview server answers from several threads
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self._db = sqlite3.connect(self.path, check_same_thread=False, isolation_level=None)
        # Every event makes a few autocommitted writes: with a write-ahead log synced only at
        # checkpoints, each costs microseconds instead of an fsync (milliseconds). A crash of
        # the process loses nothing; a power cut may lose the last writes of this local store.
        self._db.execute("PRAGMA journal_mode=WAL")
        self._db.execute("PRAGMA synchronous=NORMAL")
        self._db.executescript(self.schema)
        for table, column, definition in self.added_columns:
            present = {row[1] for row in self._db.execute(f"PRAGMA table_info({table})")}
            if column not in present:
                self._db.execute(f"ALTER TABLE {table} ADD COLUMN {column} {definition}")

    def close(self) -> None:
        """Close the database file."""
        self._db.close()
