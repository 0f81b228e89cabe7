"""S3Storage's conditional writes against moto, and publishing when two writers race."""

import json

import pytest

import madoguchi.publish.workflow as workflow
from madoguchi.adapters.notifier import RecordingNotifier
from madoguchi.adapters.storage import RETIRED_TAG, S3Storage
from madoguchi.config import Config
from madoguchi.publish import VersionStore, publish_upload
from tests.support.indexer_aws import BUCKET
from tests.support.workbooks import sample_faqs, sample_workbook

CONFIG = Config(bucket_name=BUCKET)
KEY = "uploads/faq.xlsx"


def publish_version(storage, put, **options):
    """Publish one uploaded version of the FAQ workbook, as the indexer does."""
    return publish_upload(storage, KEY, version_id=put["VersionId"], config=CONFIG, **options)


def test_put_if_absent_writes_once(account):
    storage = S3Storage(BUCKET, client=account.s3)
    assert storage.put_if_absent("indexes/processed/a.json", b"first") is True
    assert storage.put_if_absent("indexes/processed/a.json", b"second") is False
    assert storage.get("indexes/processed/a.json") == b"first"


def test_put_if_match_rejects_a_stale_etag(account):
    storage = S3Storage(BUCKET, client=account.s3)
    storage.put("indexes/current.json", b"v1")
    _, etag = storage.get_tagged("indexes/current.json")
    assert storage.put_if_match("indexes/current.json", b"v2", etag) is True
    assert storage.put_if_match("indexes/current.json", b"v3", etag) is False
    assert storage.get("indexes/current.json") == b"v2"
    assert storage.put_if_match("indexes/none.json", b"x", etag) is False


def test_get_head_list_and_missing_objects(account):
    storage = S3Storage(BUCKET, client=account.s3)
    first = account.upload("uploads/よくある質問.xlsx", b"one")
    account.upload("uploads/よくある質問.xlsx", b"two")
    assert storage.get("uploads/よくある質問.xlsx") == b"two"
    assert storage.get("uploads/よくある質問.xlsx", first["VersionId"]) == b"one"
    info = storage.head("uploads/よくある質問.xlsx", first["VersionId"])
    assert (info.size, info.version_id) == (3, first["VersionId"])
    assert storage.get("uploads/none.xlsx") is None
    assert storage.head("uploads/none.xlsx") is None
    assert storage.list("uploads/") == ["uploads/よくある質問.xlsx"]


def test_retire_tags_the_object_for_the_lifecycle_rule(account):
    storage = S3Storage(BUCKET, client=account.s3)
    storage.put("indexes/versions/old.index", b"x")
    storage.retire("indexes/versions/old.index")
    storage.retire("indexes/versions/gone.index")  # already expired: not an error
    tags = account.s3.get_object_tagging(Bucket=BUCKET, Key="indexes/versions/old.index")
    assert tags["TagSet"] == [{"Key": RETIRED_TAG[0], "Value": RETIRED_TAG[1]}]


class PointerRace(S3Storage):
    """Lets a newer upload switch the pointer just before this writer's compare-and-swap."""

    def __init__(self, *args, interloper, **kwargs):
        super().__init__(*args, **kwargs)
        self.interloper = interloper
        self.swaps = 0

    def put_if_match(self, key, data, etag, content_type="application/octet-stream"):
        if key.endswith("current.json") and self.interloper:
            run, self.interloper = self.interloper, None
            run()
        self.swaps += key.endswith("current.json")
        return super().put_if_match(key, data, etag, content_type)


def test_a_newer_upload_that_switches_first_wins_the_race(account):
    old = account.upload(KEY, sample_workbook())
    newer_faqs = sample_faqs()
    newer_faqs[0][5] = "粗大ごみは新しい窓口で受け付けます。"
    new = account.upload(KEY, sample_workbook(newer_faqs))
    plain = S3Storage(BUCKET, client=account.s3)

    def newer_finishes_first():
        report = publish_version(plain, new, event_time="2026-04-01T00:00:02.000Z")
        assert report.status == "published"

    racing = PointerRace(BUCKET, client=account.s3, interloper=newer_finishes_first)
    notifier = RecordingNotifier()
    report = publish_version(racing, old, notifier=notifier, event_time="2026-04-01T00:00:01.000Z")

    assert report.status == "superseded"
    assert racing.swaps == 1  # the first swap failed on the ETag; the re-read saw the newer one
    pointer = VersionStore(plain, CONFIG.index_prefix).pointer()
    assert pointer.source.version_id == new["VersionId"]
    # The loser's artifact is tagged for expiry; the winner's is not.
    loser = f"indexes/versions/{report.version}.index"
    assert account.s3.get_object_tagging(Bucket=BUCKET, Key=loser)["TagSet"]
    winner = account.s3.get_object_tagging(Bucket=BUCKET, Key=pointer.artifact_key)
    assert winner["TagSet"] == []
    assert notifier.sent[0][0].startswith("[窓口] より新しいファイルがあるため")


def test_an_older_upload_retries_its_swap_and_wins_against_an_unrelated_change(account):
    plain = S3Storage(BUCKET, client=account.s3)
    first = account.upload(KEY, sample_workbook())
    publish_version(plain, first, event_time="2026-04-01T00:00:01.000Z")
    second = account.upload(KEY, sample_workbook())

    def touch_pointer():
        # Someone rewrites the pointer (e.g. a rollback to the same version) mid-publish.
        pointer = json.loads(plain.get("indexes/current.json"))
        plain.put("indexes/current.json", json.dumps(pointer).encode())

    racing = PointerRace(BUCKET, client=account.s3, interloper=touch_pointer)
    report = publish_version(racing, second, event_time="2026-04-01T00:00:02.000Z")

    assert report.status == "published"
    assert racing.swaps == 2
    pointer = VersionStore(plain, CONFIG.index_prefix).pointer()
    assert pointer.source.version_id == second["VersionId"]


def test_old_versions_are_retired_but_never_the_live_one(account, monkeypatch):
    monkeypatch.setattr(workflow, "KEEP_VERSIONS", 2)
    plain = S3Storage(BUCKET, client=account.s3)
    for second in range(4):
        put = account.upload(KEY, sample_workbook())
        report = publish_version(plain, put, event_time=f"2026-04-01T00:00:0{second}.000Z")
        assert report.status == "published"

    store = VersionStore(plain, CONFIG.index_prefix)
    versions = store.versions()
    tagged = {
        v.version: bool(account.s3.get_object_tagging(Bucket=BUCKET, Key=v.artifact_key)["TagSet"])
        for v in versions
    }
    assert versions[0].version == store.pointer().version
    assert [tagged[v.version] for v in versions] == [False, False, True, True]


def test_an_oversized_upload_is_refused_without_reading_it(account, monkeypatch):
    monkeypatch.setattr(workflow, "MAX_UPLOAD_BYTES", 1000)
    plain = S3Storage(BUCKET, client=account.s3)
    put = account.upload(KEY, b"x" * 1001)
    report = publish_version(plain, put)
    assert report.status == "refused"
    assert "大きすぎます" in report.problems[0].message
    assert VersionStore(plain, CONFIG.index_prefix).pointer() is None


def test_a_403_for_a_missing_key_reads_as_absent_when_listing_shows_no_such_key():
    import boto3
    from botocore.exceptions import ClientError
    from botocore.stub import Stubber

    client = boto3.client(
        "s3", region_name="ap-northeast-1", aws_access_key_id="x", aws_secret_access_key="x"
    )
    storage = S3Storage(BUCKET, client=client)
    with Stubber(client) as stub:
        # A role with prefix-limited s3:ListBucket gets 403, not 404, for a missing key.
        stub.add_client_error("get_object", "AccessDenied", http_status_code=403)
        stub.add_response("list_objects_v2", {"KeyCount": 0})
        assert storage.get("indexes/current.json") is None
        # The key exists, so the 403 is a real refusal and must surface.
        stub.add_client_error("get_object", "AccessDenied", http_status_code=403)
        stub.add_response(
            "list_objects_v2", {"KeyCount": 1, "Contents": [{"Key": "indexes/current.json"}]}
        )
        with pytest.raises(ClientError, match="AccessDenied"):
            storage.get("indexes/current.json")


def test_after_publish_runs_on_the_live_index_and_its_failure_keeps_the_publish(account):
    plain = S3Storage(BUCKET, client=account.s3)
    seen = []

    def put_menu(index):
        seen.append(index.faq("F003").question)
        return {"status": "deployed", "message": "LINEのメニューを新しくしました。"}

    put = account.upload(KEY, sample_workbook())
    report = publish_version(plain, put, after_publish=put_menu)
    assert report.status == "published"
    assert seen == ["住民票の写しを取りたい"]
    assert "LINEのメニューを新しくしました。" in report.text()
    assert json.loads(plain.get(report.report_key))["rich_menu"]["status"] == "deployed"

    def broken_menu(index):
        raise ConnectionError("LINE is down")

    put = account.upload(KEY, sample_workbook(sample_faqs(9)))
    report = publish_version(
        plain, put, after_publish=broken_menu, event_time="2099-01-01T00:00:00Z"
    )
    assert report.status == "published"
    assert VersionStore(plain, CONFIG.index_prefix).pointer().counts["published_faqs"] == 9
    assert report.rich_menu["status"] == "failed"
    assert "メニューを更新できませんでした" in report.text() and "公開しました" in report.text()
