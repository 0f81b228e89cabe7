"""Turn an uploaded workbook into the live search index, or keep the old one and say why."""

from __future__ import annotations

import hashlib
import logging
import time
from collections.abc import Callable, Sequence
from dataclasses import replace
from pathlib import PurePosixPath
from typing import Any

from madoguchi.adapters.e5_engine import EngineUnavailable
from madoguchi.adapters.embed_cache import CachingEmbedder
from madoguchi.adapters.notifier import Notifier
from madoguchi.adapters.storage import Storage
from madoguchi.clock import Clock, system_clock, utc_now
from madoguchi.config import Config
from madoguchi.learning import Learned
from madoguchi.model import FaqWorkbook, LearnedPhrasing, TestCase
from madoguchi.publish.broadcast import BroadcastApiFactory, NoticeBroadcast, failed_notice
from madoguchi.publish.completion import Completion
from madoguchi.publish.report_files import deliver_report
from madoguchi.publish.upload_report import UploadReport, UploadStatus, answer_summary
from madoguchi.publish.versions import (
    Pointer,
    PointerContention,
    Upload,
    VersionRecord,
    VersionStore,
    is_newer,
    iso_utc,
)
from madoguchi.search import SearchIndex, build_index, evaluate
from madoguchi.search.answer_policy import Calibration
from madoguchi.workbook import format_report_ja, validate_workbook
from madoguchi.workbook.problems import Problem, Severity

log = logging.getLogger(__name__)

# The analysed text of the last build (madoguchi.search.analysis_cache), beside the versions.
ANALYSIS_CACHE_NAME = "analysis-cache.bin"

KEEP_VERSIONS = 10  # newest versions kept for rollback; older ones are retired
MAX_UPLOAD_BYTES = 25 * 1024 * 1024  # a real FAQ workbook is well under 1 MB

AfterPublish = Callable[[SearchIndex], dict[str, Any]]
# The phrasings a workbook may learn from residents now (madoguchi.learning.source.LogLearning).
Learner = Callable[[FaqWorkbook], Learned]


def publish_upload(
    storage: Storage,
    key: str,
    *,
    version_id: str | None = None,
    notifier: Notifier | None = None,
    config: Config,
    event_time: str | None = None,
    sequencer: str | None = None,
    after_publish: AfterPublish | None = None,
    clock: Clock = system_clock,
    embedder: CachingEmbedder | None = None,
    learner: Learner | None = None,
    broadcast_api: BroadcastApiFactory | None = None,
) -> UploadReport:
    """Validate, build and publish one uploaded workbook; always writes a report.

    `after_publish` (the rich menu sync) runs on the new index before the report is written; its
    result goes into the report, and its failure never undoes the publish. A call that raises
    may be retried with the same upload: the retry finishes whatever the first one left undone,
    and staff hear of the upload once. With an `embedder` the index carries the FAQs' semantic
    vectors; when they cannot be computed it is published with BM25 alone (report.vectors says
    so). A published notice is described in report.notice and, when 設定 asks for it and it is
    active, sent once to every friend through `broadcast_api` (publish.broadcast), after the
    rich menu; a refused, superseded or duplicate upload never sends it.
    """
    run = _PublishRun(storage, config, key, version_id, clock, embedder, learner)
    report = run.process(event_time, sequencer)
    if after_publish is not None and report.status is UploadStatus.PUBLISHED and run.index:
        try:
            report.rich_menu = after_publish(run.index)
        except Exception:
            log.exception("the after-publish step failed; the new index stays live")
            report.rich_menu = {"status": "failed", "message": "メニューを更新できませんでした。"}
    if report.status is UploadStatus.PUBLISHED and run.index and run.upload:
        announce = NoticeBroadcast(storage, config.index_prefix, broadcast_api, clock)
        try:
            report.notice = announce(run.index, run.upload.upload_id)
        except Exception:
            log.exception("the notice broadcast failed; the new index stays live")
            report.notice = failed_notice(run.index, utc_now(clock))
    run.finish(report, notifier)
    return report


class _PublishRun:
    """The steps of one publish_upload call, sharing storage, config and timings."""

    def __init__(
        self,
        storage: Storage,
        config: Config,
        key: str,
        version_id: str | None,
        clock: Clock,
        embedder: CachingEmbedder | None = None,
        learner: Learner | None = None,
    ):
        self.storage, self.config, self.key, self.clock = storage, config, key, clock
        self.embedder = embedder
        self.learner = learner
        self.versions = VersionStore(storage, config.index_prefix)
        self.completion = Completion(storage, config.index_prefix, clock)
        self.report = UploadReport(
            status=UploadStatus.REFUSED,
            key=key,
            version_id=version_id,
            received_at=iso_utc(utc_now(clock)),
        )
        self.started = time.perf_counter()
        self.index: SearchIndex | None = None
        self.upload: Upload | None = None

    def timed(self, name: str, since: float) -> None:
        self.report.timings[name] = round(time.perf_counter() - since, 4)

    def process(self, event_time: str | None, sequencer: str | None) -> UploadReport:
        report, storage = self.report, self.storage
        info = storage.head(self.key, report.version_id)
        pointer = self.versions.pointer()
        report.live_version = report.previous_version = pointer.version if pointer else None
        if info is None:
            return self.refuse(
                [
                    _problem(
                        "アップロードされたファイルが見つかりませんでした。",
                        "もう一度ファイルを保存(アップロード)してください。",
                    )
                ]
            )
        upload = Upload(
            key=self.key,
            version_id=info.version_id or report.version_id,
            etag=info.etag,
            uploaded_at=iso_utc(event_time or info.last_modified),
            sequencer=sequencer or "",
        )
        report.version_id, report.upload_id = upload.version_id, upload.upload_id
        report.uploaded_at = upload.uploaded_at
        self.upload = upload
        if self.completion.reported(upload.upload_id):
            report.status = UploadStatus.DUPLICATE
            return report
        if pointer and pointer.source.upload_id == upload.upload_id:
            return self.resume(pointer, upload)
        if pointer and not is_newer(upload, pointer.latest_upload):
            return self.supersede(pointer)
        if info.size > MAX_UPLOAD_BYTES:
            return self.refuse(
                [
                    _problem(
                        f"ファイルが大きすぎます({info.size // (1024 * 1024)} MB)。",
                        "FAQ のワークブックだけを保存してください。画像などは入れないでください。",
                    )
                ]
            )
        data = storage.get(self.key, upload.version_id)
        if data is None:
            unreadable = _problem("ファイルを読めませんでした。", "もう一度保存してください。")
            return self.refuse([unreadable])
        return self.validate_and_publish(data, upload, pointer)

    def validate_and_publish(
        self, data: bytes, upload: Upload, pointer: Pointer | None
    ) -> UploadReport:
        report = self.report
        since = time.perf_counter()
        result = validate_workbook(data, filename=PurePosixPath(self.key).name, clock=self.clock)
        self.timed("validate", since)
        report.checksum, report.problems = result.checksum, list(result.problems)
        report.validation_text = format_report_ja(result)
        workbook = result.workbook
        if not result.ok or workbook is None:
            return self.refuse([])
        report.counts = {
            "faqs": len(workbook.faqs),
            "published_faqs": len(workbook.published_faqs),
            "unpublished_faqs": len(workbook.faqs) - len(workbook.published_faqs),
            "synonym_groups": len(workbook.synonyms),
            "menu_tabs": len(workbook.menu),
            "menu_buttons": sum(len(tab.buttons) for tab in workbook.menu),
            "tests": len(workbook.tests),
            "shelters": len(workbook.shelters),
            "shelters_open": sum(1 for s in workbook.shelters if s.open is True),
        }
        learned = self.learn(workbook)
        since = time.perf_counter()
        built_at = iso_utc(utc_now(self.clock))
        try:
            index = self.build(
                workbook, result.checksum, built_at, learned.phrasings, learned.views
            )
            artifact = index.to_bytes()
        except Exception:
            # The validator accepted it, so this is our fault, but staff still need to hear.
            log.exception("building the index failed")
            return self.refuse(
                [
                    _problem(
                        "検索用のデータを作れませんでした。",
                        "ファイルはそのままで、システムの担当者に連絡してください。",
                    )
                ]
            )
        self.timed("build", since)
        self.evaluate(index, workbook.tests, pointer)
        report.answers = answer_summary(
            workbook.settings, Calibration.from_dict(pointer.calibration if pointer else None)
        )
        self.index = index
        since = time.perf_counter()
        version = _version_name(built_at, upload.upload_id)
        report.version = version
        new_tests = report.tests.get("new") or {}
        record = VersionRecord(
            version=version,
            artifact_key=self.versions.artifact_key(version),
            checksum=hashlib.sha256(artifact).hexdigest(),
            workbook_checksum=result.checksum,
            artifact_bytes=len(artifact),
            built_at=built_at,
            counts=report.counts,
            menu_hash=index.meta.get("menu_hash", ""),
            tests={k: v for k, v in new_tests.items() if k != "misses"},
            source=upload,
        )
        self.versions.store(record, artifact, learned=index.learned)
        self.save_analysis(index)
        # Saved before the pointer moves: should the report fail after it, a retry sends this.
        self.completion.save_draft(
            replace(
                report,
                status=UploadStatus.PUBLISHED,
                live_version=version,
                previous_version=pointer.version if pointer else None,
            )
        )
        switched = self.switch_pointer(record, upload)
        self.timed("publish", since)
        return switched

    def learn(self, workbook: FaqWorkbook) -> Learned:
        """The learned phrasings for this build (none without a learner)."""
        if self.learner is None:
            return Learned(enabled=False)
        since = time.perf_counter()
        learned = self.learner(workbook)
        self.timed("learn", since)
        self.report.learning = learned.summary()
        self.report.counts["learned_phrasings"] = len(learned.phrasings)
        self.report.counts["learned_residents"] = learned.residents
        return learned

    def build(
        self,
        workbook: FaqWorkbook,
        checksum: str,
        built_at: str,
        learned: tuple[LearnedPhrasing, ...] = (),
        views: dict[str, int] | None = None,
    ) -> SearchIndex:
        """The index, with semantic vectors when an embedder is given and can compute them."""
        # Texts analysed by the last build are not analysed again (search.analysis_cache).
        index, self.report.vectors = build_searchable(
            workbook,
            checksum=checksum,
            built_at=built_at,
            learned=learned,
            embedder=self.embedder,
            previous_analysis=self.previous_analysis(),
            views=views,
        )
        return index

    def evaluate(
        self, index: SearchIndex, tests: Sequence[TestCase], pointer: Pointer | None
    ) -> None:
        since = time.perf_counter()
        self.report.tests["new"] = _test_summary(evaluate(index, tests), index)
        self.report.tests["previous"] = None
        if pointer is not None:
            try:
                previous = self.versions.load_index(pointer)
                if previous is not None and index.semantic:
                    previous.attach_embedder(self.embedder)  # compared as residents get it
                if previous is not None:
                    summary = _test_summary(evaluate(previous, tests), previous)
                    self.report.tests["previous"] = summary
            except Exception:
                # Comparing is a courtesy; a broken old index must not stop a good new one.
                log.exception("evaluating the previous index failed")
                self.report.tests["previous"] = None
        self.timed("evaluate", since)

    @property
    def analysis_key(self) -> str:
        """Where the analysed text of the last build is kept, beside the published index."""
        return self.config.index_prefix + ANALYSIS_CACHE_NAME

    def previous_analysis(self) -> bytes | None:
        """The last build's analysed text; without it every text is analysed again."""
        try:
            return self.storage.get(self.analysis_key)
        except Exception as error:
            log.warning("analysis cache not read", extra={"error": type(error).__name__})
            return None

    def save_analysis(self, index: SearchIndex) -> None:
        """Keep this build's analysed text for the next one (a failure costs only time)."""
        if index.analysis is None:
            return
        try:
            self.storage.put(self.analysis_key, index.analysis.to_bytes())
        except Exception as error:
            log.warning("analysis cache not saved", extra={"error": type(error).__name__})
        else:
            log.info(
                "analysed text reused",
                extra={"reused": index.analysis.hits, "analysed": index.analysis.misses},
            )

    def switch_pointer(self, record: VersionRecord, upload: Upload) -> UploadReport:
        outcome = UploadStatus.PUBLISHED

        def propose(current: Pointer | None) -> Pointer | None:
            nonlocal outcome
            if current and current.source.upload_id == upload.upload_id:
                outcome = UploadStatus.DUPLICATE
                return None
            if current and not is_newer(upload, current.latest_upload):
                outcome = UploadStatus.SUPERSEDED
                return None
            outcome = UploadStatus.PUBLISHED
            published_at = iso_utc(utc_now(self.clock))
            return Pointer.naming(record, current, published_at=published_at, latest_upload=upload)

        current, written = self.versions.switch(propose)
        if written is None:
            self._tidy(lambda: self.versions.retire(record.version))
            if outcome is UploadStatus.SUPERSEDED and current is not None:
                return self.supersede(current)
            self.report.status = UploadStatus.DUPLICATE
            return self.report
        self.report.status = UploadStatus.PUBLISHED
        self.report.live_version = record.version
        self.report.previous_version = current.version if current else None
        self._tidy(lambda: self.versions.prune(KEEP_VERSIONS))
        return self.report

    @staticmethod
    def _tidy(step: Callable[[], None]) -> None:
        """Retiring versions is housekeeping: the next publish does it if this one cannot."""
        try:
            step()
        except Exception:
            log.exception("retiring index versions failed; the next publish retires them")

    def resume(self, pointer: Pointer, upload: Upload) -> UploadReport:
        """This upload is live, but staff were not told (the delivery that published it failed
        after the pointer moved): finish with the report it saved."""
        draft = self.completion.draft(upload.upload_id)
        if draft is None:  # published by an older deployment: say what the pointer knows
            draft = replace(self.report, version=pointer.version, counts=dict(pointer.counts))
        self.report = replace(draft, status=UploadStatus.PUBLISHED, live_version=pointer.version)
        try:
            self.index = self.versions.load_index(pointer)  # for the rich menu sync
        except Exception:
            log.exception("the live index could not be loaded for the rich menu sync")
        return self.report

    def refuse(self, problems: list[Problem]) -> UploadReport:
        self.report.status = UploadStatus.REFUSED
        self.report.problems = problems + self.report.problems
        if problems:
            extra = "\n".join(f"・{p.message} {p.fix}" for p in problems)
            self.report.validation_text = (extra + "\n" + self.report.validation_text).strip()
        self.remember_refused()
        return self.report

    def remember_refused(self) -> None:
        """Make a refused upload the newest one seen, so no older upload can publish after it.

        Staff were just told the answers stay as they are until they fix this file; an older
        workbook arriving late (a delayed or retried event) must not change them behind that
        report. It is superseded instead, and saving it again makes it the newest.
        """
        upload = self.upload
        if upload is None:
            return  # the object was never found, so it has no place in time

        def propose(current: Pointer | None) -> Pointer | None:
            if current is None:
                return None  # nothing is live yet: the first good workbook goes live, whenever
            seen = current.latest_upload
            if (seen and seen.upload_id == upload.upload_id) or not is_newer(upload, seen):
                return None
            return replace(current, latest_upload=replace(upload, refused=True))

        try:
            self.versions.switch(propose)
        except PointerContention:
            log.warning("the pointer kept changing; the refused upload is not marked as newest")

    def supersede(self, pointer: Pointer) -> UploadReport:
        self.report.status = UploadStatus.SUPERSEDED
        self.report.live_version = pointer.version
        self.report.newer_upload = pointer.latest_upload.key if pointer.latest_upload else None
        return self.report

    def finish(self, report: UploadReport, notifier: Notifier | None) -> None:
        """Write the report files and tell staff, once per upload."""
        self.timed("total", self.started)
        prefix = self.config.report_prefix
        if report.status is UploadStatus.DUPLICATE or self.upload is None:
            deliver_report(report, self.storage, prefix, notifier)
            return
        upload_id = self.upload.upload_id
        marker = {"upload_id": upload_id, "status": report.status.value, "key": self.key}
        if not self.completion.claim(upload_id, marker):
            # Another delivery of the same upload reports it (or already did).
            report.status = UploadStatus.DUPLICATE
            deliver_report(report, self.storage, prefix, notifier)
            return
        try:
            deliver_report(report, self.storage, prefix, notifier)
        except Exception:
            self.completion.release(upload_id, marker)
            raise  # the retry reports it
        self.completion.done(upload_id, {**marker, "report": report.report_key})


def build_searchable(
    workbook: FaqWorkbook,
    *,
    checksum: str,
    built_at: str,
    learned: tuple[LearnedPhrasing, ...] = (),
    embedder: CachingEmbedder | None = None,
    previous_analysis: bytes | None = None,
    views: dict[str, int] | None = None,
) -> tuple[SearchIndex, dict[str, Any] | None]:
    """The index (vectors when the embedder can compute them) and what embedding it took."""
    common: dict[str, Any] = {
        "checksum": checksum,
        "built_at": built_at,
        "learned": learned,
        "previous_analysis": previous_analysis,
        "views": views,
    }
    if embedder is None:
        return build_index(workbook, **common), None
    try:
        index = build_index(workbook, embedder=embedder, **common)
    except EngineUnavailable:
        embedder.discard()
        # Residents still get answers (BM25 alone); operators get the log and a metric.
        log.exception("FAQ vectors could not be computed: publishing with BM25 alone")
        plain = build_index(workbook, **common)
        return plain, {"status": "unavailable"}
    except BaseException:
        embedder.discard()
        raise
    stats = embedder.save()
    return index, {
        "status": "ok",
        "passages": stats.passages,
        "embedded": stats.embedded,
        "reused": stats.reused,
        "embed_seconds": round(stats.seconds, 3),
    }


def _test_summary(metrics: dict[str, Any], index: SearchIndex) -> dict[str, Any]:
    """Headline figures plus the questions whose first answer was not a right one."""
    keys = ("n", "hit@1", "hit@4", "mrr@10", "no_answer_rate")
    summary: dict[str, Any] = {k: metrics[k] for k in keys if k in metrics}
    summary["misses"] = [
        {
            "query": case["query"],
            "row": case.get("row"),
            "expected": list(case["relevant_ids"]),
            "top_id": case["top"][0] if case.get("top") else None,
            "top_question": _question_of(index, case["top"][0]) if case.get("top") else None,
            "rank": case["rank"],
        }
        for case in metrics.get("cases", [])
        if case.get("rank") != 1
    ]
    return summary


def _question_of(index: SearchIndex, faq_id: str) -> str:
    faq = index.faq(faq_id)
    return faq.question if faq else ""


def _version_name(built_at: str, upload_id: str) -> str:
    """Sortable, readable and unique per upload: 20260401-000503-1a2b3c4d."""
    compact = built_at[:19].replace("-", "").replace(":", "").replace("T", "-")
    return f"{compact}-{upload_id[:8]}"


def _problem(message: str, fix: str) -> Problem:
    return Problem(severity=Severity.ERROR, message=message, fix=fix)
