"""The indexer handler on real S3 event fixtures, against a mocked AWS account."""

import json
from dataclasses import replace
from urllib.parse import quote_plus

import pytest

from madoguchi.adapters.storage import S3Storage
from madoguchi.config import Config
from madoguchi.publish import VersionStore
from tests.support.indexer_aws import BUCKET, load_event
from tests.support.workbooks import (
    FAQ_HEADER,
    duplicate_id_rows,
    sample_faqs,
    sample_workbook,
)

JAPANESE_KEY = "uploads/よくある質問 2026年4月.xlsx"
CONFIG = Config(bucket_name=BUCKET)


def versions() -> VersionStore:
    return VersionStore(S3Storage(BUCKET), CONFIG.index_prefix)


def publish_good(account, faqs=None, event_time="2026-04-01T00:05:03.120Z", key=JAPANESE_KEY):
    """Upload a valid workbook under `key` and run the handler on its event."""
    put = account.upload(key, sample_workbook(faqs))
    event = account.event_for(
        "s3_object_created_japanese_key.json", put, event_time, key=quote_plus(key, safe="/")
    )
    return put, account.invoke(event)


def test_fixture_key_is_url_encoded_japanese_with_a_plus_for_the_space():
    raw_key = load_event("s3_object_created_japanese_key.json")["Records"][0]["s3"]["object"]["key"]
    assert "%E3%82%88" in raw_key and "+" in raw_key and " " not in raw_key


def test_good_workbook_under_a_japanese_key_is_published(account):
    put, result = publish_good(account)

    assert result["processed"][0]["status"] == "published"
    pointer = versions().pointer()
    assert pointer.source.key == JAPANESE_KEY
    assert pointer.source.version_id == put["VersionId"]
    assert pointer.counts["published_faqs"] == 8
    index = versions().load_index()
    assert index.search("粗大ごみを出したい").hits[0].faq.id == "F001"

    report = json.loads(account.read(result["processed"][0]["report"]))
    assert report["status"] == "published"
    assert report["tests"]["new"]["n"] == 6
    assert report["tests"]["new"]["hit@1"] > 0.5
    assert report["tests"]["previous"] is None
    assert set(report["timings"]) >= {"validate", "build", "evaluate", "publish", "total"}
    text = account.read(report["text_key"]).decode("utf-8-sig")
    assert "公開しました" in text and "よくある質問 2026年4月.xlsx" in text
    assert account.read("reports/latest.json") == account.read(report["report_key"])

    [mail] = account.messages()
    assert mail["Subject"] == "[窓口] FAQを公開しました (8件)"
    assert "公開しました" in mail["Message"] and "1位に正解" in mail["Message"]


def test_a_file_that_is_not_a_workbook_is_refused_with_a_report(account):
    put = account.upload("uploads/メモ.txt", "メモです".encode())
    result = account.invoke(account.event_for("s3_object_created_not_xlsx.json", put))

    [outcome] = result["processed"]
    assert outcome["status"] == "refused"
    assert account.keys("indexes/versions/") == []  # nothing built, nothing published
    text = account.read("reports/latest.txt").decode("utf-8-sig")
    assert "テキストファイルのようです" in text and "CSV" not in text
    [mail] = account.messages()
    assert "公開できません" in mail["Message"]


def test_keys_outside_the_upload_prefix_and_folders_are_ignored(account):
    folder = account.upload("uploads/2026年度/", b"")
    elsewhere = account.upload("notes/faq.xlsx", b"any")
    for put, key in [(folder, "uploads/2026年度/"), (elsewhere, "notes/faq.xlsx")]:
        event = account.event_for("s3_object_created_not_xlsx.json", put, key=key)
        assert account.invoke(event) == {"processed": []}
    assert account.keys("reports/") == [] and account.messages() == []


def missing_answer_column() -> bytes:
    headers = tuple(h for h in FAQ_HEADER if h != "回答")
    return sample_workbook(columns=headers)


def duplicate_id() -> bytes:
    return sample_workbook(duplicate_id_rows())


BROKEN = {
    "missing column": (missing_answer_column, "FAQ", "回答"),
    "duplicate ID": (duplicate_id, "FAQ", "ID"),
    "not a zip": (lambda: b"this is a CSV, not Excel\n1,2,3\n", None, None),
}


@pytest.mark.parametrize("kind", BROKEN)
def test_broken_workbook_is_refused_and_the_old_answers_stay(account, kind):
    publish_good(account)
    account.messages()
    before = versions().pointer()
    make, sheet, column = BROKEN[kind]

    put = account.upload(JAPANESE_KEY, make())
    result = account.invoke(
        account.event_for("s3_object_created_japanese_key.json", put, "2026-04-01T01:00:00.000Z")
    )

    assert result["processed"][0]["status"] == "refused"
    after = versions().pointer()
    assert after is not None and after.latest_upload is not None
    # The live index stays; only the newest-upload mark moves, to the refused upload.
    assert replace(after, latest_upload=before.latest_upload) == before
    assert after.latest_upload.version_id == put["VersionId"] and after.latest_upload.refused
    report = json.loads(account.read(result["processed"][0]["report"]))
    assert report["live_version"] == before.version
    assert report["error_count"] >= 1
    errors = [p for p in report["problems"] if p["severity"] == "error"]
    if sheet:
        located = [p for p in errors if p["sheet"] == sheet and p["column"] == column]
        assert located, errors
        if kind == "duplicate ID":
            assert located[0]["cell"] == "A5" and located[0]["row"] == 5
    text = account.read(report["text_key"]).decode("utf-8-sig")
    assert "公開できませんでした" in text and before.version in text
    [mail] = account.messages()
    assert mail["Subject"] == f"[窓口] FAQを公開できませんでした:{len(errors)}件の修正が必要です"


def test_redelivered_event_publishes_once(account):
    put = account.upload(JAPANESE_KEY, sample_workbook())
    first = account.invoke(account.event_for("s3_object_created_japanese_key.json", put))
    pointer = versions().pointer()

    again = account.invoke(account.event_for("s3_object_created_redelivered.json", put))

    assert first["processed"][0]["status"] == "published"
    assert again["processed"][0]["status"] == "duplicate"
    assert versions().pointer() == pointer
    assert len(versions().versions()) == 1
    assert len(account.messages()) == 1
    latest = json.loads(account.read("reports/latest.json"))
    assert latest["status"] == "published"


def test_older_upload_processed_after_a_newer_one_does_not_win(account):
    old_faqs, new_faqs = sample_faqs(), sample_faqs()
    new_faqs[0][5] = "粗大ごみは新しい受付センターに申し込んでください。"
    old_put = account.upload(JAPANESE_KEY, sample_workbook(old_faqs))
    new_put = account.upload(JAPANESE_KEY, sample_workbook(new_faqs))
    new_event = account.event_for(
        "s3_object_created_japanese_key.json",
        new_put,
        "2026-04-01T00:05:04.000Z",
        sequencer="0067EB2E400000000A",
    )
    old_event = account.event_for(
        "s3_object_created_japanese_key.json",
        old_put,
        "2026-04-01T00:05:03.000Z",
        sequencer="0067EB2E3F00000009",
    )

    assert account.invoke(new_event)["processed"][0]["status"] == "published"
    late = account.invoke(old_event)

    assert late["processed"][0]["status"] == "superseded"
    pointer = versions().pointer()
    assert pointer.source.version_id == new_put["VersionId"]
    answer = versions().load_index().faq("F001").answer
    assert "新しい受付センター" in answer
    subjects = [m["Subject"] for m in account.messages()]
    assert subjects[0] == "[窓口] FAQを公開しました (8件)"
    assert subjects[1].startswith("[窓口] より新しいファイルがあるため")


def test_older_upload_of_another_file_is_ordered_by_time(account):
    publish_good(account, event_time="2026-04-01T00:10:00.000Z", key="uploads/faq.xlsx")
    _, late = publish_good(account, event_time="2026-04-01T00:09:59.500Z")

    assert late["processed"][0]["status"] == "superseded"
    assert versions().pointer().source.key == "uploads/faq.xlsx"


def test_rollback_restores_the_previous_answers(account):
    publish_good(account, event_time="2026-04-01T00:05:00.000Z")
    first_version = versions().pointer().version
    changed = sample_faqs()
    changed[0][5] = "粗大ごみの受付は終了しました。"
    changed_put, _ = publish_good(account, changed, event_time="2026-04-01T00:06:00.000Z")
    assert "終了しました" in versions().load_index().faq("F001").answer

    pointer = versions().rollback(first_version)

    assert pointer.version == first_version
    assert "処理券" in versions().load_index().faq("F001").answer
    assert [v.version == first_version for v in versions().versions()] == [False, True]
    # The newer upload, redelivered after the rollback, must not undo it.
    redelivered = account.event_for(
        "s3_object_created_redelivered.json", changed_put, "2026-04-01T00:06:00.000Z"
    )
    assert account.invoke(redelivered)["processed"][0]["status"] == "duplicate"
    assert versions().pointer().version == first_version


def test_rollback_to_an_unknown_version_changes_nothing(account):
    publish_good(account)
    before = versions().pointer()
    with pytest.raises(KeyError):
        versions().rollback("20990101-000000-deadbeef")
    assert versions().pointer() == before
