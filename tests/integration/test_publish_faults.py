"""A fault at any step of a publish, retried as Lambda retries: the live index ends right and
staff are told, once, with the full report; a fault after the pointer moved no longer ends as a
silent "duplicate"."""

from __future__ import annotations

import json
from dataclasses import replace
from typing import Any, cast
from urllib.parse import quote_plus

import pytest

from madoguchi.adapters.storage import LocalStorage, Storage
from madoguchi.config import Config
from madoguchi.publish import publish_upload
from madoguchi.publish.completion import CLAIM_SECONDS, Completion
from madoguchi.publish.versions import Pointer
from tests.support.clock import FixedClock
from tests.support.faults import Faults, FaultyStorage, InjectedFault
from tests.support.publish_faults import (
    SECOND,
    every_fault,
    publish_second,
    steps_of_a_publish,
    workbook,
)
from tests.support.workbooks import sample_workbook


def refusing_reports(storage: Storage) -> Storage:
    """The storage, refusing every write under reports/ (S3 down for that prefix)."""

    class Refusing(FaultyStorage):
        def put(self, key: str, *args: Any, **kwargs: Any) -> None:
            if key.startswith("reports/"):
                raise InjectedFault(key)
            self.inner.put(key, *args, **kwargs)

    return cast(Storage, Refusing(storage, Faults()))


def test_a_publish_has_the_steps_the_fault_tests_go_through():
    steps = [" ".join(s.split("/")[0].split()[:2]) for s in steps_of_a_publish()]
    assert steps[0] == "head uploads" and steps[-1] == "put indexes"  # the upload, the marker
    assert "put_if_match indexes" in steps  # the pointer
    assert "notify" in steps and steps.count("put reports") == 4


@pytest.mark.parametrize("stop", [False, True], ids=["error", "function stopped"])
@pytest.mark.parametrize("after", [False, True], ids=["before the call", "after the call"])
def test_a_fault_at_any_step_ends_with_the_new_index_live_and_staff_told(stop, after):
    endings = every_fault(stop=stop, after=after)
    assert len(endings) == len(steps_of_a_publish())
    wrong = [e for e in endings if not e.correct]
    assert wrong == []
    twice = [e.step.split()[0] for e in endings if e.mails > 1]
    # The one mail too many comes from a fault after the mail went out, before the upload could
    # be marked reported: telling staff twice is better than not at all.
    assert twice == ([] if not (stop or after) else ["put" if not after else "notify"])
    assert all(e.mails <= 2 for e in endings)


def test_a_report_lost_after_the_pointer_moved_is_finished_from_the_saved_report(tmp_path):
    steps = steps_of_a_publish()
    latest = steps.index("put reports/latest.json") + 1
    ending = publish_second(tmp_path, Faults(fail_at=latest))
    assert ending.correct and ending.mails == 1 and ending.attempts == 2
    report = json.loads((tmp_path / "reports" / "latest.json").read_text(encoding="utf-8"))
    # The retry sends the first attempt's report: the version it published, the one before,
    # the workbook check and the test figures, not a bare "already processed".
    assert report["status"] == "published" and report["version"] == report["live_version"]
    assert report["previous_version"] and report["tests"]["new"]
    assert "ワークブックの確認結果" in (tmp_path / "reports" / "latest.txt").read_text("utf-8-sig")


def test_a_duplicate_delivery_while_another_reports_stays_quiet(tmp_path):
    config, storage, clock = Config(local_dir=tmp_path), LocalStorage(tmp_path), FixedClock()
    completion = Completion(storage, config.index_prefix, clock)
    assert completion.claim("abc", {"key": SECOND})
    assert not completion.claim("abc", {"key": SECOND})  # the other delivery is at it
    clock.advance(CLAIM_SECONDS)
    assert completion.claim("abc", {"key": SECOND})  # abandoned (the function stopped)
    completion.done("abc", {"key": SECOND})
    clock.advance(3600)
    assert completion.reported("abc") and not completion.claim("abc", {"key": SECOND})


def test_markers_written_before_reports_had_a_state_still_mean_reported(tmp_path):
    storage = LocalStorage(tmp_path)
    completion = Completion(storage, "indexes/", FixedClock())
    storage.put(completion.marker_key("old"), b'{"upload_id": "old", "status": "published"}')
    assert completion.reported("old") and not completion.claim("old", {})


def test_an_upload_live_before_reports_were_saved_is_reported_from_its_pointer(tmp_path):
    # Published by an older deployment that failed before its report: no saved report exists.
    config, storage = Config(local_dir=tmp_path), LocalStorage(tmp_path)
    storage.put(SECOND, workbook("コンビニでも取れます。"))
    with pytest.raises(InjectedFault):
        publish_upload(refusing_reports(storage), SECOND, config=config, clock=FixedClock())
    for key in storage.list("indexes/processed/"):
        storage.delete(key)  # as if the deployment before had saved nothing
    report = publish_upload(storage, SECOND, config=config, clock=FixedClock())
    pointer = Pointer.from_dict(json.loads(storage.get("indexes/current.json") or b""))
    assert report.status.value == "published" and report.version == pointer.version
    assert report.counts == pointer.counts


def test_the_indexer_retried_by_lambda_after_the_report_failed_mails_staff(account):
    # Through the handler on moto: the first run switches the pointer, then S3 refuses the
    # report; Lambda runs the same event again.
    key = "uploads/faq.xlsx"
    put = account.upload(key, sample_workbook())
    event = account.event_for(
        "s3_object_created_japanese_key.json", put, key=quote_plus(key, safe="/")
    )
    deps = account.app.DEPS
    account.app.DEPS = replace(deps, storage=refusing_reports(deps.storage))
    with pytest.raises(InjectedFault):
        account.invoke(event)
    assert json.loads(account.read("indexes/current.json"))["source"]["key"] == key
    assert account.messages() == []
    account.app.DEPS = deps
    result = account.invoke(event)
    assert result["processed"][0]["status"] == "published"
    [mail] = account.messages()
    assert mail["Subject"] == "[窓口] FAQを公開しました (8件)"
    assert json.loads(account.read("reports/latest.json"))["status"] == "published"
    again = account.invoke(event)  # and a later duplicate delivery stays quiet
    assert again["processed"][0]["status"] == "duplicate" and account.messages() == []
