"""Every 5 minutes: post the signed verification request to the public webhook URL; the metric
FrontDoorFailures (0 or 1) feeds the front-door alarm, which also fires when checks stop."""

import os

from aws_lambda_powertools import Logger, Metrics
from aws_lambda_powertools.metrics import MetricUnit
from aws_lambda_powertools.utilities.typing import LambdaContext

from madoguchi.adapters.https_post import post
from madoguchi.adapters.secrets import read_parameter
from madoguchi.front_door import check_front_door

URL = os.environ["MADOGUCHI_WEBHOOK_URL"]
SECRET_PARAM = os.environ["MADOGUCHI_CHANNEL_SECRET_PARAM"]
logger = Logger(service="madoguchi-healthcheck")
metrics = Metrics(service="healthcheck")


@metrics.log_metrics
@logger.inject_lambda_context
def lambda_handler(event: dict, context: LambdaContext) -> dict:
    """One check of the front door; a failure is logged with the status, never raised."""
    result = check_front_door(URL, read_parameter(SECRET_PARAM), post)
    metrics.add_metric(
        name="FrontDoorFailures", unit=MetricUnit.Count, value=int(not result.healthy)
    )
    if result.healthy:
        logger.info("front door answered", extra={"status": result.status})
    else:
        logger.warning("front door failed", extra={"status": result.status, "error": result.error})
    return {"healthy": result.healthy, "status": result.status}
