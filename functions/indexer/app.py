"""S3 ObjectCreated on the upload prefix -> validate, build and publish the FAQ workbook; the
nightly schedule -> the live workbook rebuilt with what residents taught since; the notice
check every 5 minutes -> the live notice sent to every friend once its period begins."""

from urllib.parse import unquote_plus

from aws_lambda_powertools import Logger, Metrics
from aws_lambda_powertools.metrics import MetricUnit
from aws_lambda_powertools.utilities.data_classes import S3Event
from aws_lambda_powertools.utilities.typing import LambdaContext

from madoguchi.config import Config
from madoguchi.publish import publish_upload
from madoguchi.publish.broadcast import SENT_NOW
from madoguchi.publish.notice_schedule import check_notice
from madoguchi.publish.rebuild import rebuild_live
from madoguchi.staff_report.delivery import ReportKind, deliver_scheduled_report
from madoguchi.wiring import indexer_deps

# A broken deployment fails here, at init, not on a staff upload. The local preview and the tests
# replace DEPS with their own (their clock); CONFIG and DEPS are all a caller may read.
CONFIG = Config.from_env()
DEPS = indexer_deps(CONFIG)
logger = Logger(service="madoguchi-indexer")
metrics = Metrics(service="indexer")  # namespace from POWERTOOLS_METRICS_NAMESPACE
# The payload EventBridge Scheduler sends every night (template.yaml, NightlyRebuildSchedule).
NIGHTLY_REBUILD = {"madoguchi": "nightly-rebuild"}
# The payloads of the report schedules: {"madoguchi": "search-report", "period": "monthly"}.
SEARCH_REPORT = "search-report"
# The payload of the notice check every 5 minutes (template.yaml, NoticeCheck).
NOTICE_CHECK = {"madoguchi": "notice-check"}


@metrics.log_metrics
@logger.inject_lambda_context
def lambda_handler(event: dict, context: LambdaContext) -> dict:
    """Publish each file uploaded under the upload prefix; other keys are logged and skipped.

    Any file there is read as a workbook: a macro-enabled book, a CSV or a memo put there by
    mistake gets a report saying what it is and how to save it, instead of silence."""
    if event.get("madoguchi") == NIGHTLY_REBUILD["madoguchi"]:
        return nightly_rebuild()
    if event.get("madoguchi") == SEARCH_REPORT:
        return search_report(ReportKind(event.get("period", ReportKind.MONTHLY)))
    if event.get("madoguchi") == NOTICE_CHECK["madoguchi"]:
        return notice_check()
    outcomes = []
    for record in S3Event(event).records:
        key = unquote_plus(record.s3.get_object.key)  # notification keys arrive URL-encoded
        if not key.startswith(DEPS.config.upload_prefix) or key.endswith("/"):
            logger.info("ignored: not an upload", extra={"upload_key": key})
            metrics.add_metric(name="UploadsIgnored", unit=MetricUnit.Count, value=1)
            continue
        try:
            report = publish_upload(
                DEPS.storage,
                key,
                version_id=record.s3.get_object.version_id,
                notifier=DEPS.notifier,
                config=DEPS.config,
                event_time=record.event_time,
                sequencer=record.s3.get_object.get("sequencer"),
                after_publish=DEPS.after_publish,
                clock=DEPS.clock,
                learner=DEPS.learner,
                embedder=DEPS.embedder,
                broadcast_api=DEPS.broadcast_api,
            )
        except Exception:
            # Lambda retries the event, then parks it in the failure queue; the live index stays.
            metrics.add_metric(name="UploadsFailed", unit=MetricUnit.Count, value=1)
            raise
        logger.info("upload processed", extra=report.log_fields())
        metrics.add_metric(
            name=f"Uploads{report.status.value.title()}", unit=MetricUnit.Count, value=1
        )
        if report.vectors and report.vectors.get("status") == "unavailable":
            # Published with BM25 alone: the EmbedFunction failed or could not be invoked.
            metrics.add_metric(name="VectorsUnavailable", unit=MetricUnit.Count, value=1)
        outcomes.append({"key": key, "status": report.status.value, "report": report.report_key})
    return {"processed": outcomes}


def nightly_rebuild() -> dict:
    """Rebuild the live index with the phrasings learned now; publish it only if no worse."""
    if DEPS.learner is None:
        logger.info("nightly rebuild skipped: no search log configured")
        return {"rebuild": "no_search_log"}
    outcome = rebuild_live(
        DEPS.storage,
        config=DEPS.config,
        learner=DEPS.learner,
        clock=DEPS.clock,
        embedder=DEPS.embedder,
        calibrator=DEPS.calibrator,
    )
    metrics.add_metric(
        name=f"Rebuilds{outcome.status.value.title().replace('_', '')}",
        unit=MetricUnit.Count,
        value=1,
    )
    metrics.add_metric(
        name="LearnedPhrasings",
        unit=MetricUnit.Count,
        value=int(outcome.learning.get("phrasings", 0)),
    )
    return {"rebuild": outcome.status.value, "version": outcome.version}


def search_report(kind: ReportKind) -> dict:
    """Save the month's or the week's search report for staff and mail them its summary."""
    if DEPS.search_log is None:
        logger.info("search report skipped: no search log configured")
        return {"report": "no_search_log"}
    report = deliver_scheduled_report(
        kind,
        storage=DEPS.storage,
        search_log=DEPS.search_log,
        config=DEPS.config,
        notifier=DEPS.notifier,
        clock=DEPS.clock,
    )
    logger.info(
        "search report saved",
        extra={"report_name": report.period.name, "searches": report.searches},
    )
    metrics.add_metric(name="SearchReports", unit=MetricUnit.Count, value=1)
    return {"report": report.period.name, "searches": report.searches}


def notice_check() -> dict:
    """Send the live notice to every friend when its period has begun and it is not sent yet."""
    check = check_notice(
        DEPS.storage,
        index_prefix=DEPS.config.index_prefix,
        broadcast_api=DEPS.broadcast_api,
        notifier=DEPS.notifier,
        clock=DEPS.clock,
        live=DEPS.live_notices,
    )
    logger.info("notice checked", extra=check.to_dict())
    if check.status == SENT_NOW:
        metrics.add_metric(name="ScheduledNoticeBroadcasts", unit=MetricUnit.Count, value=1)
    return check.to_dict()
