"""A refused upload counts as the newest one seen: nothing older publishes behind its report."""

import json

from madoguchi.adapters.storage import S3Storage
from madoguchi.config import Config
from madoguchi.publish import Pointer, VersionStore
from tests.support.indexer_aws import BUCKET
from tests.support.workbooks import duplicate_id_rows, sample_faqs, sample_workbook

KEY = "uploads/faq.xlsx"
FIXTURE = "s3_object_created_japanese_key.json"
CONFIG = Config(bucket_name=BUCKET)


def versions() -> VersionStore:
    return VersionStore(S3Storage(BUCKET), CONFIG.index_prefix)


def pointer() -> Pointer:
    found = versions().pointer()
    assert found is not None
    return found


def changed_answer(text: str) -> bytes:
    faqs = sample_faqs()
    faqs[0][5] = text
    return sample_workbook(faqs)


def broken_workbook() -> bytes:
    return sample_workbook(duplicate_id_rows())


def upload(account, data: bytes, minute: int):
    """Put `data` under KEY as saved at 00:0`minute`; returns (put, its event)."""
    put = account.upload(KEY, data)
    event = account.event_for(
        FIXTURE,
        put,
        f"2026-04-01T00:0{minute}:00.000Z",
        key=KEY,
        sequencer=f"0067EB2E{minute:010d}",
    )
    return put, event


def status(result: dict) -> str:
    return result["processed"][0]["status"]


def answer() -> str:
    index = versions().load_index()
    assert index is not None
    faq = index.faq("F001")
    assert faq is not None
    return faq.answer


def test_an_older_good_upload_arriving_after_a_refused_one_does_not_publish(account):
    _, first = upload(account, changed_answer("最初の回答です。"), 1)
    _, older_good = upload(account, changed_answer("途中の回答です。"), 2)
    _, newest_broken = upload(account, broken_workbook(), 3)
    assert status(account.invoke(first)) == "published"
    assert status(account.invoke(newest_broken)) == "refused"
    live = pointer().version

    late = account.invoke(older_good)  # its event was delayed past the refusal

    assert status(late) == "superseded"
    assert pointer().version == live
    assert answer() == "最初の回答です。"  # what the refusal report promised
    subjects = [m["Subject"] for m in account.messages()]
    assert subjects[1].startswith("[窓口] FAQを公開できませんでした")
    assert subjects[2] == "[窓口] より新しいファイルがあるため、このファイルは公開しませんでした"
    report = json.loads(account.read(late["processed"][0]["report"]))
    text = account.read(report["text_key"]).decode("utf-8-sig")
    assert f"このファイルより後に保存されたファイル({KEY})があり" in text
    assert "もう一度保存(アップロード)してください" in text


def test_the_fixed_workbook_after_a_refusal_publishes(account):
    _, first = upload(account, changed_answer("最初の回答です。"), 1)
    _, broken = upload(account, broken_workbook(), 2)
    _, fixed = upload(account, changed_answer("直した回答です。"), 3)
    account.invoke(first)
    account.invoke(broken)

    assert status(account.invoke(fixed)) == "published"
    assert answer() == "直した回答です。"
    latest = pointer().latest_upload
    assert latest is not None and latest.sequencer.endswith("3") and not latest.refused


def test_a_refused_upload_whose_report_was_lost_is_checked_again_not_superseded(account):
    _, first = upload(account, changed_answer("最初の回答です。"), 1)
    _, broken = upload(account, broken_workbook(), 2)
    account.invoke(first)
    refused = json.loads(account.read(account.invoke(broken)["processed"][0]["report"]))
    # As if finishing had failed: the refusal is marked as newest, but no marker says "done".
    account.s3.delete_object(Bucket=BUCKET, Key=f"indexes/processed/{refused['upload_id']}.json")
    latest = pointer().latest_upload
    assert latest is not None and latest.refused
    account.messages()

    again = account.invoke(broken)

    assert status(again) == "refused"
    [mail] = account.messages()
    assert mail["Subject"].startswith("[窓口] FAQを公開できませんでした")


def test_before_anything_is_live_the_first_good_workbook_publishes_whatever_the_order(account):
    _, older_good = upload(account, changed_answer("最初の回答です。"), 1)
    _, newer_broken = upload(account, broken_workbook(), 2)
    assert status(account.invoke(newer_broken)) == "refused"

    assert status(account.invoke(older_good)) == "published"
    assert answer() == "最初の回答です。"
