"""boto3 clients made on first use, so importing an adapter keeps boto3 off the cold path.

Every client the functions make comes from `aws_client` (and SSM parameters from
`ssm_parameter`), so all of them share one botocore configuration: short timeouts and one
retry. The webhook has 5 s in all and LINE waits 2 s for it, so a stalled connection must fail
fast instead of hanging on botocore's defaults (60 s to connect or read, up to 5 attempts).
"""

from __future__ import annotations

from functools import lru_cache
from typing import Any

from madoguchi.clock import Clock, system_clock

CONNECT_TIMEOUT_SECONDS = 1.0  # an AWS endpoint in the same region answers in milliseconds
READ_TIMEOUT_SECONDS = 2.0  # per socket read: large objects stream, they do not time out
MAX_ATTEMPTS = 2  # the first try and one retry ("standard" mode also backs off on throttling)
# The webhook's DynamoDB calls (event claims, conversation state, search log) are small items in
# the same region, answered in single-digit milliseconds: a table that hangs must cost a resident
# well under a second, not LINE's whole 2 s. One attempt: botocore's retry waits up to a second
# before trying again, which no request inside LINE's 2 s can afford; a failed call gets its
# fallback (store_guard) instead, and the webhook starts a call only while its worst case fits.
WEBHOOK_DYNAMODB_CONNECT_SECONDS = 0.15
WEBHOOK_DYNAMODB_READ_SECONDS = 0.3
WEBHOOK_DYNAMODB_ATTEMPTS = 1
WEBHOOK_DYNAMODB_CALL_SECONDS = WEBHOOK_DYNAMODB_CONNECT_SECONDS + WEBHOOK_DYNAMODB_READ_SECONDS


@lru_cache(maxsize=4)
def client_config(read_timeout: float = READ_TIMEOUT_SECONDS, connections: int = 10) -> Any:
    """The botocore Config every Madoguchi client uses.

    Only a call that waits for work on the other side (the indexer invoking the EmbedFunction)
    passes a longer `read_timeout`, and parallel callers more pooled `connections`.
    """
    from botocore.config import Config

    return Config(
        connect_timeout=CONNECT_TIMEOUT_SECONDS,
        read_timeout=read_timeout,
        retries={"mode": "standard", "total_max_attempts": MAX_ATTEMPTS},
        max_pool_connections=connections,
    )


def aws_client(service: str, **config: Any) -> Any:
    """A boto3 client for `service` with the shared timeouts and retry limit."""
    import boto3

    return boto3.client(service, config=client_config(**config))


@lru_cache(maxsize=1)
def webhook_dynamodb_config() -> Any:
    """The botocore Config of the webhook's DynamoDB client: tighter timeouts."""
    from botocore.config import Config

    return Config(
        connect_timeout=WEBHOOK_DYNAMODB_CONNECT_SECONDS,
        read_timeout=WEBHOOK_DYNAMODB_READ_SECONDS,
        retries={"mode": "standard", "total_max_attempts": WEBHOOK_DYNAMODB_ATTEMPTS},
    )


def webhook_dynamodb_client() -> Any:
    """The one DynamoDB client the webhook's tables share (one connection pool, made at init)."""
    import boto3

    return boto3.client("dynamodb", config=webhook_dynamodb_config())


def ssm_parameter(name: str, max_age: int) -> Any:
    """A decrypted SSM parameter, cached `max_age` seconds by powertools, read with client_config.

    The provider is registered where powertools' own `get_parameter` and `clear_caches` find it,
    so callers and tests keep powertools' cache semantics. Its client comes from boto3's default
    session like every other, so botocore's models and endpoints are parsed once per process.
    """
    from aws_lambda_powertools.utilities import parameters
    from aws_lambda_powertools.utilities.parameters.base import DEFAULT_PROVIDERS

    if "ssm" not in DEFAULT_PROVIDERS:
        DEFAULT_PROVIDERS["ssm"] = parameters.SSMProvider(boto3_client=aws_client("ssm"))
    return parameters.get_parameter(name, decrypt=True, max_age=max_age)


class LazyClient:
    """A `client` attribute: the `_client` passed in, else an `aws_client` made on first use."""

    def __init__(self, service: str, **config: Any) -> None:
        self.service = service
        self.config = config  # client_config's arguments, for a client that waits longer

    def __get__(self, instance: Any, owner: type | None = None) -> Any:
        if instance is None:
            return self
        if instance._client is None:
            instance._client = aws_client(self.service, **self.config)
        return instance._client


class DynamoTable:
    """One DynamoDB table with its client (optional, made lazily) and a clock for expiry."""

    client = LazyClient("dynamodb")

    def __init__(self, table: str, client: Any = None, clock: Clock = system_clock) -> None:
        self.table = table
        self._client = client
        self._clock = clock
