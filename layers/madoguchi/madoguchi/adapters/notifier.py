"""Tell staff what happened: SNS (mail) in the cloud, an outbox folder locally."""

from __future__ import annotations

import json
import time
import uuid
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol

from madoguchi.adapters.aws import LazyClient

if TYPE_CHECKING:
    pass

SUBJECT_LIMIT = 99  # SNS wants fewer than 100 characters, without line breaks
MESSAGE_LIMIT_BYTES = 250_000  # SNS allows 256 KB; keep room for the envelope


class Notifier(Protocol):
    """Sends one short message to the people who look after the FAQ."""

    def notify(self, subject: str, message: str) -> None: ...


def fit_subject(subject: str) -> str:
    """One line, short enough for SNS and for a mail client's list view."""
    line = " ".join(subject.split())
    return line if len(line) <= SUBJECT_LIMIT else line[: SUBJECT_LIMIT - 1] + "…"


def fit_message(message: str) -> str:
    """Cut a very long report so it still goes out; the full report stays in the bucket."""
    data = message.encode("utf-8")
    if len(data) <= MESSAGE_LIMIT_BYTES:
        return message
    cut = data[:MESSAGE_LIMIT_BYTES].decode("utf-8", errors="ignore")
    return cut + "\n…(長いため省略しました。全文はレポートファイルをご覧ください)"


class SnsNotifier:
    """Publishes to one SNS topic (email subscribers get it as a mail)."""

    client = LazyClient("sns")

    def __init__(self, topic_arn: str, client: Any = None) -> None:
        self.topic_arn = topic_arn
        self._client = client

    def notify(self, subject: str, message: str) -> None:
        """Publish the message with a subject SNS accepts."""
        self.client.publish(
            TopicArn=self.topic_arn, Subject=fit_subject(subject), Message=fit_message(message)
        )


@dataclass
class RecordingNotifier:
    """Keeps messages in memory, for the local preview and command-line tools."""

    sent: list[tuple[str, str]] = field(default_factory=list)

    def notify(self, subject: str, message: str) -> None:
        """Remember the message instead of sending it."""
        self.sent.append((fit_subject(subject), fit_message(message)))


class OutboxNotifier:
    """Writes each message as a JSON file into a folder: the local stand-in for staff mail."""

    def __init__(self, directory: Path) -> None:
        self.directory = Path(directory)

    def notify(self, subject: str, message: str) -> None:
        """Save the message; names sort by time."""
        self.directory.mkdir(parents=True, exist_ok=True)
        sent_ns = time.time_ns()  # nanoseconds in the name keep messages of one second in order
        name = f"{sent_ns:020d}-{uuid.uuid4().hex[:8]}"
        record = {
            "sent_at": sent_ns / 1e9,
            "subject": fit_subject(subject),
            "message": fit_message(message),
        }
        path = self.directory / f"{name}.json"
        path.write_text(json.dumps(record, ensure_ascii=False), encoding="utf-8")

    def messages(self, limit: int = 20) -> list[dict[str, Any]]:
        """The newest messages first."""
        if not self.directory.is_dir():
            return []
        paths = sorted(self.directory.glob("*.json"), reverse=True)[:limit]
        return [json.loads(p.read_text(encoding="utf-8")) for p in paths]
