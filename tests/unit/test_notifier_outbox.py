"""The local stand-in for staff mail: one JSON file per message, newest first."""

from madoguchi.adapters.notifier import OutboxNotifier


def test_messages_are_kept_newest_first_with_subjects_fitted(tmp_path):
    outbox = OutboxNotifier(tmp_path / "outbox")
    assert outbox.messages() == []
    outbox.notify("[窓口] 一通目", "本文1")
    outbox.notify("[窓口]\n二通目" + "あ" * 200, "本文2")
    newest, oldest = outbox.messages()
    assert oldest["subject"] == "[窓口] 一通目" and oldest["message"] == "本文1"
    assert "\n" not in newest["subject"] and len(newest["subject"]) <= 99
    assert newest["message"] == "本文2" and newest["sent_at"] >= oldest["sent_at"]
    assert outbox.messages(limit=1) == [newest]
