"""Tell staff what happened to their upload: SNS in the cloud, a list in memory locally."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Protocol

from madoguchi.adapters.aws import LazyClient

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
