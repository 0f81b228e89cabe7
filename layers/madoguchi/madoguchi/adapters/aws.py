"""boto3 clients made on first use, so importing an adapter keeps boto3 off the cold path."""

from __future__ import annotations

from typing import Any

from madoguchi.clock import Clock, system_clock


class LazyClient:
    """A `client` attribute: the `_client` passed in, else a boto3 client made on first use."""

    def __init__(self, service: str) -> None:
        self.service = service

    def __get__(self, instance: Any, owner: type | None = None) -> Any:
        if instance is None:
            return self
        if instance._client is None:
            import boto3

            instance._client = boto3.client(self.service)
        return instance._client


class DynamoTable:
    """One DynamoDB table with its client (optional, made lazily) and a clock for expiry."""

    client = LazyClient("dynamodb")

    def __init__(self, table: str, client: Any = None, clock: Clock = system_clock) -> None:
        self.table = table
        self._client = client
        self._clock = clock
