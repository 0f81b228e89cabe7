"""API Gateway HTTP API (payload v2) POST /webhook -> answer residents on LINE."""

import os

# Before numpy and the e5 engine load: one thread each. The template sets these too; on a
# fraction of a vCPU more threads only contend (multithreaded BLAS was 100x slower here).
os.environ.setdefault("OMP_NUM_THREADS", "1")
os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")

import base64
import binascii
import time

from aws_lambda_powertools import Logger, Metrics
from aws_lambda_powertools.logging import correlation_paths
from aws_lambda_powertools.logging.utils import copy_config_to_registered_loggers
from aws_lambda_powertools.metrics import MetricUnit
from aws_lambda_powertools.utilities.typing import LambdaContext

from madoguchi.config import Config
from madoguchi.conversation.turns import TurnKind
from madoguchi.webhook import handle_webhook, prefetch_secrets
from madoguchi.wiring import webhook_deps

# A broken deployment fails here, at init, not on a resident. The local preview and the tests
# replace DEPS with their own (their clock); CONFIG and DEPS are all a caller may read.
CONFIG = Config.from_env()
logger = Logger(service="madoguchi-webhook")
copy_config_to_registered_loggers(source_logger=logger, include={"madoguchi"})  # JSON everywhere
# The namespace comes from POWERTOOLS_METRICS_NAMESPACE ("Madoguchi/<Stage>" in the template),
# so stages and cities deployed side by side in one account keep their figures apart.
metrics = Metrics(service="webhook")
DEPS = webhook_deps(
    CONFIG
)  # every client, and the e5 engine loaded and warmed when it can run here
DEPS.index.current()  # load the index during init (and into the SnapStart snapshot)
prefetch_secrets(DEPS)  # the LINE credentials and the log salt, read once now

try:  # present only in the Lambda runtime: after a snapshot restore, look for a newer index
    from snapshot_restore_py import register_after_restore
except ImportError:
    pass
else:
    register_after_restore(lambda: DEPS.index.expire())


def _header(event: dict, name: str) -> str | None:
    for key, value in (event.get("headers") or {}).items():
        if key.lower() == name:
            return value
    return None


@metrics.log_metrics
@logger.inject_lambda_context(correlation_id_path=correlation_paths.API_GATEWAY_HTTP)
def lambda_handler(event: dict, context: LambdaContext) -> dict:
    """Verify and answer; user ids and message text are never logged."""
    started = time.perf_counter()
    metrics.add_metric(name="WebhookRequests", unit=MetricUnit.Count, value=1)
    body = event.get("body") or ""
    try:
        if event.get("isBase64Encoded"):
            body = base64.b64decode(body, validate=True).decode("utf-8")
    except (binascii.Error, UnicodeDecodeError):
        return {"statusCode": 400, "body": "malformed body"}
    signature = _header(event, "x-line-signature")
    outcome = handle_webhook(body, signature, deps=DEPS)
    if outcome.status == 401 and signature:
        # Signed, but not with our channel secret: every resident's message when the secret in
        # SSM is wrong (a missing signature is just someone else's request).
        metrics.add_metric(name="SignatureRejected", unit=MetricUnit.Count, value=1)
    if outcome.status >= 500:
        # Nothing answered (credentials unreadable): LINE redelivers later, if redelivery is on.
        metrics.add_metric(name="RequestsFailed", unit=MetricUnit.Count, value=1)
    if outcome.turns:
        # Residents' events only (the silence alarm): the front-door check sends none.
        metrics.add_metric(name="ResidentEvents", unit=MetricUnit.Count, value=len(outcome.turns))
    handovers = sum(turn.kind is TurnKind.STAFF for turn in outcome.turns)
    if handovers:
        metrics.add_metric(name="Handovers", unit=MetricUnit.Count, value=handovers)
    crisis_replies = sum(turn.kind is TurnKind.CRISIS for turn in outcome.turns)
    if crisis_replies:
        # Residents who may be in danger and were given the consultation lines (no alarm: staff
        # are mailed per resident; the figure is for the dashboard).
        metrics.add_metric(name="CrisisReplies", unit=MetricUnit.Count, value=crisis_replies)
    for turn in outcome.turns:
        if turn.answered is not None:
            metrics.add_metric(name="Searches", unit=MetricUnit.Count, value=1)
            metrics.add_metric(name="NoAnswer", unit=MetricUnit.Count, value=int(not turn.answered))
            metrics.add_metric(
                name="SearchLatency", unit=MetricUnit.Milliseconds, value=turn.search_ms or 0.0
            )
    metrics.add_metric(name="ReplyFailures", unit=MetricUnit.Count, value=outcome.failures)
    if outcome.skipped:
        # Events given up on for lack of time (also in ReplyFailures).
        metrics.add_metric(name="RepliesSkipped", unit=MetricUnit.Count, value=outcome.skipped)
    if outcome.calls_skipped:
        # Store writes and menu changes not made: they could not have ended before the deadline.
        metrics.add_metric(name="CallsSkipped", unit=MetricUnit.Count, value=outcome.calls_skipped)
    if outcome.state_failures:
        # Answered without the conversation state: hand-over and the no-answer streak suffer.
        metrics.add_metric(
            name="StateFailures", unit=MetricUnit.Count, value=outcome.state_failures
        )
    elapsed_ms = (time.perf_counter() - started) * 1000
    metrics.add_metric(name="WebhookLatency", unit=MetricUnit.Milliseconds, value=elapsed_ms)
    logger.info(
        "webhook handled",
        extra={
            "status": outcome.status,
            "reason": outcome.reason,
            "turns": [t.kind for t in outcome.turns],
            "duplicates": outcome.duplicates,
            "failures": outcome.failures,
            "skipped": outcome.skipped,
            "state_failures": outcome.state_failures,
            "calls_skipped": outcome.calls_skipped,
            "ms": round(elapsed_ms, 1),
        },
    )
    return {
        "statusCode": outcome.status,
        "headers": {"content-type": "text/plain"},
        "body": outcome.reason,
    }
