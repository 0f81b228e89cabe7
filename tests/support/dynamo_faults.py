"""DynamoDB answering with an error, for real boto3 clients under moto: the answer goes through
botocore's parsing and its retry rules exactly as DynamoDB's own would."""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from botocore.awsrequest import AWSResponse

THROTTLED = "ProvisionedThroughputExceededException"


class _Body:
    def __init__(self, data: bytes) -> None:
        self.data = data

    def stream(self, **_: Any) -> Iterator[bytes]:
        yield self.data


@dataclass
class DynamoFailure:
    """Answers every DynamoDB request of the clients it is attached to with `code` (only those
    for `table` when one is named: the webhook's tables share one client; only the updates with
    `expression` in their UpdateExpression when one is given); counts them."""

    code: str = THROTTLED
    status: int = 400
    requests: int = 0
    active: bool = True
    table: str | None = None
    # Only the updates whose UpdateExpression contains this (a store that refuses one write).
    expression: str | None = None

    def attach(self, *clients: Any) -> DynamoFailure:
        """Put this failure in front of moto for these clients (each once)."""
        for client in {id(c): c for c in clients}.values():
            client.meta.events.register_first("before-send.dynamodb", self._answer)
        return self

    def _answer(self, request: Any, **_: Any) -> AWSResponse | None:
        if not self.active:
            return None
        body = json.loads(request.body)
        if self.table is not None and body.get("TableName") != self.table:
            return None
        if self.expression is not None and self.expression not in body.get("UpdateExpression", ""):
            return None
        self.requests += 1
        # botocore still calls moto's own handler for this event (the first answer wins, but
        # every handler runs): give moto a request for no table, so a refused write is not done.
        request.body = json.dumps({**body, "TableName": "refused-by-test"}).encode()
        body = json.dumps(
            {"__type": f"com.amazonaws.dynamodb.v20120810#{self.code}", "message": "injected"}
        ).encode()
        headers = {"x-amzn-requestid": "injected", "content-type": "application/x-amz-json-1.0"}
        return AWSResponse(request.url, self.status, headers, _Body(body))
