"""The version store: pointers and records already in buckets still load and are written back
byte for byte; one compare-and-swap moves the pointer for publish and rollback alike."""

import shutil
from pathlib import Path

import pytest

from madoguchi.adapters.storage import LocalStorage
from madoguchi.config import Config
from madoguchi.publish import PointerContention, VersionStore, publish_upload
from madoguchi.publish.versions import Pointer, VersionRecord, to_json
from tests.support.workbooks import sample_workbook

# Written by the publisher before it became a package (a publish, a second one, a rollback).
OLD = Path(__file__).resolve().parents[1] / "data" / "published_format1"
OLD_LIVE = "20260401-000640-74ea0699"
OLD_ROLLED_BACK_FROM = "20260402-000640-9f069074"
CONFIG = Config(local_dir=Path("unused"))


@pytest.fixture
def old_bucket(tmp_path) -> LocalStorage:
    shutil.copytree(OLD / "indexes", tmp_path / "indexes")
    return LocalStorage(tmp_path)


def test_pointers_and_records_written_before_load_and_write_back_byte_for_byte():
    import json

    for path in (OLD / "published_pointer.json", OLD / "indexes" / "current.json"):
        data = path.read_bytes()
        assert to_json(Pointer.from_dict(json.loads(data)).to_dict()) == data, path.name
    for path in (OLD / "indexes" / "versions").glob("*.json"):
        data = path.read_bytes()
        assert to_json(VersionRecord.from_dict(json.loads(data)).to_dict()) == data, path.name


def test_an_existing_bucket_answers_lists_and_takes_the_next_upload(old_bucket, tmp_path):
    store = VersionStore(old_bucket, "indexes/")
    pointer = store.pointer()
    assert pointer is not None and pointer.version == OLD_LIVE
    assert pointer.rollback and pointer.rolled_back_from == OLD_ROLLED_BACK_FROM
    assert pointer.latest_upload is not None and pointer.latest_upload.key == "uploads/faq2.xlsx"
    assert store.load_index().search("粗大ごみを出したい").hits[0].faq.id == "F001"
    assert [r.version for r in store.versions()] == [OLD_ROLLED_BACK_FROM, OLD_LIVE]

    old_bucket.put("uploads/faq3.xlsx", sample_workbook(city="新しい市"))
    config = Config(local_dir=tmp_path)
    report = publish_upload(old_bucket, "uploads/faq3.xlsx", config=config)
    assert report.status == "published" and report.previous_version == OLD_LIVE
    assert report.tests["previous"]["n"] == 6  # the old index was evaluated for comparison
    assert store.pointer().version == report.version
    assert store.load_index().settings.city_name == "新しい市"


def test_rollback_switches_the_pointer_back_and_says_from_where(old_bucket):
    store = VersionStore(old_bucket, "indexes/")
    (old_bucket.root / "indexes" / "versions" / f"{OLD_ROLLED_BACK_FROM}.json").unlink()
    published = store.pointer()
    rolled = store.rollback(OLD_LIVE, clock=lambda: 1_800_000_000.0)
    assert rolled.version == OLD_LIVE and rolled.rolled_back_from == OLD_LIVE
    assert rolled.published_at == "2027-01-15T08:00:00.000000Z"
    assert rolled.latest_upload == published.latest_upload  # an old upload still cannot win
    with pytest.raises(KeyError):
        store.rollback(OLD_ROLLED_BACK_FROM)


def test_a_proposal_of_nothing_leaves_the_pointer(old_bucket):
    store = VersionStore(old_bucket, "indexes/")
    before = (old_bucket.root / "indexes" / "current.json").read_bytes()
    seen, written = store.switch(lambda current: None)
    assert seen == store.pointer() and written is None
    assert (old_bucket.root / "indexes" / "current.json").read_bytes() == before


def test_a_pointer_that_keeps_changing_gives_up_without_writing(old_bucket):
    class AlwaysChanged(LocalStorage):
        def put_if_match(self, key, data, etag, content_type="application/octet-stream"):
            return False

    store = VersionStore(AlwaysChanged(old_bucket.root), "indexes/")
    proposals = []

    def propose(current):
        proposals.append(current.version)
        return current

    with pytest.raises(PointerContention):
        store.switch(propose)
    assert proposals == [OLD_LIVE] * 5  # read again before every attempt
