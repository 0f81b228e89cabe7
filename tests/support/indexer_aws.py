"""A mocked AWS account (moto) with the indexer's bucket, topic and a queue reading the topic;
the `account` fixture (tests/integration/conftest.py) gives one to a test."""

from __future__ import annotations

import copy
import importlib
import json
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import boto3
import pytest
from moto import mock_aws

from madoguchi_dev.lambda_runtime import LocalContext

REGION = "ap-northeast-1"
BUCKET = "madoguchi-test-bucket"
EVENTS = Path(__file__).resolve().parent.parent / "events"


@dataclass
class IndexerAccount:
    """Handles on the mocked account and the freshly imported handler module."""

    s3: Any
    sqs: Any
    queue_url: str
    topic_arn: str
    app: Any
    context: LocalContext = field(
        default_factory=lambda: LocalContext(
            "madoguchi-indexer",
            memory_limit_in_mb=1024,
            aws_request_id="6f1c1c36-0000-4000-8000-000000000001",
        )
    )

    def upload(self, key: str, data: bytes) -> dict:
        """Put a workbook as staff would; returns put_object's answer (VersionId, ETag)."""
        return self.s3.put_object(Bucket=BUCKET, Key=key, Body=data)

    def event_for(self, fixture: str, put: dict, event_time: str = "", **object_fields) -> dict:
        """A fixture event naming the object version `put` created (its real id and ETag)."""
        event = copy.deepcopy(load_event(fixture))
        record = event["Records"][0]
        record["s3"]["object"].update(
            versionId=put["VersionId"], eTag=put["ETag"].strip('"'), **object_fields
        )
        if event_time:
            record["eventTime"] = event_time
        return event

    def invoke(self, event: dict) -> dict:
        """Call the handler exactly as Lambda would."""
        return self.app.lambda_handler(event, self.context)

    def messages(self) -> list[dict]:
        """Every SNS message delivered to the test queue so far (Subject, Message)."""
        found: list[dict] = []
        while True:
            batch = self.sqs.receive_message(QueueUrl=self.queue_url, MaxNumberOfMessages=10)
            if not batch.get("Messages"):
                return found
            for message in batch["Messages"]:
                found.append(json.loads(message["Body"]))
                self.sqs.delete_message(
                    QueueUrl=self.queue_url, ReceiptHandle=message["ReceiptHandle"]
                )

    def read(self, key: str) -> bytes:
        """Bytes of one object in the bucket."""
        return self.s3.get_object(Bucket=BUCKET, Key=key)["Body"].read()

    def keys(self, prefix: str) -> list[str]:
        """Keys under a prefix."""
        listed = self.s3.list_objects_v2(Bucket=BUCKET, Prefix=prefix)
        return sorted(item["Key"] for item in listed.get("Contents", []))


def load_event(name: str) -> dict:
    """One JSON event fixture from tests/events/."""
    return json.loads((EVENTS / name).read_text(encoding="utf-8"))


@contextmanager
def indexer_account(monkeypatch: pytest.MonkeyPatch) -> Iterator[IndexerAccount]:
    """A versioned private bucket, an SNS topic with an SQS subscriber, and the handler."""
    for name, value in {
        "AWS_ACCESS_KEY_ID": "testing",
        "AWS_SECRET_ACCESS_KEY": "testing",
        "AWS_SESSION_TOKEN": "testing",
        "AWS_DEFAULT_REGION": REGION,
        "POWERTOOLS_METRICS_NAMESPACE": "Madoguchi",
        "POWERTOOLS_SERVICE_NAME": "madoguchi-indexer",
    }.items():
        monkeypatch.setenv(name, value)
    monkeypatch.delenv("MADOGUCHI_LOCAL_DIR", raising=False)
    with mock_aws():
        s3 = boto3.client("s3", region_name=REGION)
        s3.create_bucket(Bucket=BUCKET, CreateBucketConfiguration={"LocationConstraint": REGION})
        s3.put_bucket_versioning(Bucket=BUCKET, VersioningConfiguration={"Status": "Enabled"})
        sns = boto3.client("sns", region_name=REGION)
        topic_arn = sns.create_topic(Name="madoguchi-staff")["TopicArn"]
        sqs = boto3.client("sqs", region_name=REGION)
        queue_url = sqs.create_queue(QueueName="staff-mail")["QueueUrl"]
        queue_arn = sqs.get_queue_attributes(QueueUrl=queue_url, AttributeNames=["QueueArn"])
        sns.subscribe(
            TopicArn=topic_arn, Protocol="sqs", Endpoint=queue_arn["Attributes"]["QueueArn"]
        )
        monkeypatch.setenv("MADOGUCHI_BUCKET", BUCKET)
        monkeypatch.setenv("MADOGUCHI_TOPIC_ARN", topic_arn)
        # The handler reads its configuration at import: import it fresh inside the mock.
        app = importlib.reload(importlib.import_module("functions.indexer.app"))
        yield IndexerAccount(s3=s3, sqs=sqs, queue_url=queue_url, topic_arn=topic_arn, app=app)
