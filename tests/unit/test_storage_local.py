"""LocalStorage: atomic writes, conditional puts and listing in a plain folder."""

import os
import threading

import pytest

from madoguchi.adapters.storage import LocalStorage


@pytest.fixture
def storage(tmp_path):
    return LocalStorage(tmp_path / "bucket")


def test_put_then_get_round_trips_bytes_under_japanese_keys(storage):
    storage.put("uploads/よくある質問.xlsx", b"\x00\x01data")
    assert storage.get("uploads/よくある質問.xlsx") == b"\x00\x01data"
    assert storage.get("uploads/missing.xlsx") is None


def test_put_replaces_atomically_and_leaves_no_temporary_files(storage):
    storage.put("indexes/current.json", b"old")
    storage.put("indexes/current.json", b"new")
    assert storage.get("indexes/current.json") == b"new"
    names = os.listdir(storage.root / "indexes")
    assert names == ["current.json"]


def test_list_is_sorted_filtered_by_prefix_and_skips_internal_files(storage):
    for key in ["reports/b.txt", "reports/a.json", "uploads/faq.xlsx"]:
        storage.put(key, b"x")
    storage.put_if_match("indexes/current.json", b"p", None)  # creates the lock file
    assert storage.list("reports/") == ["reports/a.json", "reports/b.txt"]
    assert storage.list("") == [
        "indexes/current.json",
        "reports/a.json",
        "reports/b.txt",
        "uploads/faq.xlsx",
    ]
    assert storage.list("nothing/") == []


def test_put_if_absent_only_writes_once(storage):
    assert storage.put_if_absent("indexes/processed/abc.json", b"first") is True
    assert storage.put_if_absent("indexes/processed/abc.json", b"second") is False
    assert storage.get("indexes/processed/abc.json") == b"first"


def test_put_if_absent_has_exactly_one_winner_among_threads(storage):
    results = []
    barrier = threading.Barrier(8)

    def claim(n):
        barrier.wait()
        results.append(storage.put_if_absent("indexes/processed/race.json", str(n).encode()))

    threads = [threading.Thread(target=claim, args=(n,)) for n in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(results) == [False] * 7 + [True]


def test_put_if_match_is_a_compare_and_swap(storage):
    assert storage.put_if_match("indexes/current.json", b"v1", None) is True
    assert storage.put_if_match("indexes/current.json", b"again", None) is False
    data, tag = storage.get_tagged("indexes/current.json")
    assert data == b"v1"
    assert storage.put_if_match("indexes/current.json", b"v2", tag) is True
    # The tag is now stale: a second writer holding it must lose.
    assert storage.put_if_match("indexes/current.json", b"v3", tag) is False
    assert storage.get("indexes/current.json") == b"v2"
    assert storage.put_if_match("indexes/other.json", b"x", tag) is False


def test_head_reports_size_time_and_tag(storage):
    storage.put("uploads/faq.xlsx", b"12345")
    info = storage.head("uploads/faq.xlsx")
    assert info.size == 5
    assert info.last_modified.tzinfo is not None
    assert info.etag == storage.get_tagged("uploads/faq.xlsx")[1]
    assert storage.head("uploads/none.xlsx") is None


def test_delete_and_retire_remove_files_and_tolerate_missing_ones(storage):
    storage.put("indexes/versions/a.index", b"x")
    storage.put("indexes/versions/b.index", b"y")
    storage.delete("indexes/versions/a.index")
    storage.retire("indexes/versions/b.index")
    storage.delete("indexes/versions/a.index")
    assert storage.list("indexes/") == []


@pytest.mark.parametrize("key", ["", "/etc/passwd", "../outside", "a/../../b", "a//b", "a\\b"])
def test_keys_cannot_escape_the_folder(storage, key):
    with pytest.raises(ValueError):
        storage.put(key, b"x")
