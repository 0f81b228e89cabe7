"""Every boto3 client the functions make has short timeouts and one retry, SSM included."""

from __future__ import annotations

import ast
import importlib
import inspect
import pkgutil
from pathlib import Path

import boto3
import pytest
from aws_lambda_powertools.utilities import parameters
from aws_lambda_powertools.utilities.parameters.base import DEFAULT_PROVIDERS
from moto import mock_aws

from madoguchi import adapters
from madoguchi.adapters import aws
from madoguchi.adapters.lambda_embedder import INVOKE_READ_TIMEOUT_SECONDS, RemoteEmbedder
from madoguchi.adapters.notifier import SnsNotifier
from madoguchi.adapters.search_log import DynamoSearchLog
from madoguchi.adapters.storage import S3Storage


@pytest.fixture(autouse=True)
def region(monkeypatch):
    for name, value in {
        "AWS_DEFAULT_REGION": "ap-northeast-1",
        "AWS_ACCESS_KEY_ID": "testing",
        "AWS_SECRET_ACCESS_KEY": "testing",
        "AWS_EC2_METADATA_DISABLED": "true",
    }.items():
        monkeypatch.setenv(name, value)
    parameters.clear_caches()
    yield
    parameters.clear_caches()


def assert_limited(client, read_timeout: float = aws.READ_TIMEOUT_SECONDS) -> None:
    config = client.meta.config
    assert config.connect_timeout == aws.CONNECT_TIMEOUT_SECONDS
    assert config.read_timeout == read_timeout
    assert config.retries == {"mode": "standard", "total_max_attempts": aws.MAX_ATTEMPTS}


def test_the_limits_fit_inside_the_webhook_timeout():
    # A call that fails outright (no connection, twice) ends well before the 5 s function timeout.
    assert aws.CONNECT_TIMEOUT_SECONDS * aws.MAX_ATTEMPTS < 5
    assert aws.CONNECT_TIMEOUT_SECONDS + aws.READ_TIMEOUT_SECONDS < 5


@pytest.mark.parametrize(
    "adapter", [lambda: S3Storage("b"), lambda: SnsNotifier("arn"), lambda: DynamoSearchLog("t")]
)
def test_adapters_make_their_clients_with_the_shared_limits(adapter):
    assert_limited(adapter().client)


def test_a_client_passed_in_is_used_as_it_is():
    mine = boto3.client("s3")
    assert S3Storage("b", client=mine).client is mine


def test_ssm_parameters_are_read_with_the_limits_through_the_powertools_cache():
    assert "ssm" not in DEFAULT_PROVIDERS
    with mock_aws():
        ssm = boto3.client("ssm")
        ssm.put_parameter(Name="/madoguchi/test/salt", Value="first", Type="SecureString")
        assert aws.ssm_parameter("/madoguchi/test/salt", 300) == "first"
        ssm.put_parameter(Name="/madoguchi/test/salt", Value="second", Overwrite=True)
        assert aws.ssm_parameter("/madoguchi/test/salt", 300) == "first"  # cached
        assert_limited(DEFAULT_PROVIDERS["ssm"].client)
    parameters.clear_caches()  # tests and rotation rely on this still clearing our provider
    assert "ssm" not in DEFAULT_PROVIDERS


REPO = Path(__file__).resolve().parents[2]
DEPLOYED = [REPO / "layers" / "madoguchi" / "madoguchi", REPO / "functions"]


def deployed_sources() -> list[Path]:
    return sorted(p for root in DEPLOYED for p in root.rglob("*.py"))


def test_only_the_aws_adapter_imports_boto3_or_makes_a_client():
    # Every client the functions use must come through aws_client (or ssm_parameter).
    makers = {"client", "resource", "Session"}
    offenders = []
    for path in deployed_sources():
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            imported = (
                [a.name for a in node.names]
                if isinstance(node, ast.Import)
                else [node.module or ""]
                if isinstance(node, ast.ImportFrom)
                else []
            )
            if any(name.split(".")[0] in ("boto3", "aioboto3") for name in imported):
                offenders.append(f"{path.relative_to(REPO)}: imports boto3")
            if (
                isinstance(node, ast.Attribute)
                and node.attr in makers
                and isinstance(node.value, ast.Name)
                and node.value.id in ("boto3", "botocore", "session")
            ):
                offenders.append(
                    f"{path.relative_to(REPO)}:{node.lineno} {node.value.id}.{node.attr}"
                )
    assert {o.split(":")[0] for o in offenders} == {"layers/madoguchi/madoguchi/adapters/aws.py"}


def lazy_client_classes() -> list[type]:
    found = {}
    for module_info in pkgutil.iter_modules(adapters.__path__):
        module = importlib.import_module(f"madoguchi.adapters.{module_info.name}")
        for value in vars(module).values():
            if isinstance(value, type) and isinstance(
                inspect.getattr_static(value, "client", None), aws.LazyClient
            ):
                found[value.__qualname__] = value
    return [found[name] for name in sorted(found)]


def test_every_adapter_with_a_boto3_client_gets_the_shared_limits():
    classes = lazy_client_classes()
    names = {c.__name__ for c in classes}
    assert {"S3Storage", "SnsNotifier", "DynamoEventClaims", "DynamoConversationState"} <= names
    assert "DynamoSearchLog" in names
    for adapter in classes:
        instance = adapter.__new__(adapter)
        instance._client = None
        # Only a client that waits for work on the other side declares a longer read timeout.
        declared = inspect.getattr_static(adapter, "client").config
        assert_limited(instance.client, declared.get("read_timeout", aws.READ_TIMEOUT_SECONDS))


def test_only_the_embed_function_caller_waits_longer_than_the_shared_read_timeout():
    waiting = {
        c.__name__
        for c in lazy_client_classes()
        if "read_timeout" in inspect.getattr_static(c, "client").config
    }
    assert waiting == {"RemoteEmbedder"}
    instance = RemoteEmbedder.__new__(RemoteEmbedder)
    instance._client = None
    assert_limited(instance.client, INVOKE_READ_TIMEOUT_SECONDS)
    assert INVOKE_READ_TIMEOUT_SECONDS > aws.READ_TIMEOUT_SECONDS


def test_the_webhook_tables_share_one_dynamodb_client_with_tight_limits(monkeypatch):
    from madoguchi.config import Config
    from madoguchi.wiring import webhook_deps

    config = Config(
        bucket_name="b",
        state_table="state",
        log_table="log",
        channel_secret_param="/s",
        channel_token_param="/t",
        log_salt_param="/salt",
    )
    deps = webhook_deps(config)
    responder = deps.responder
    clients = {id(deps.claims.client), id(responder.state.store.client)}
    clients.add(id(responder.search_log.client))
    assert len(clients) == 1
    limits = deps.claims.client.meta.config
    assert limits.connect_timeout == aws.WEBHOOK_DYNAMODB_CONNECT_SECONDS
    assert limits.read_timeout == aws.WEBHOOK_DYNAMODB_READ_SECONDS
    # One attempt, no retry back-off (up to 1 s in botocore's standard mode): a call that hangs
    # to the end still leaves most of LINE's 2 s, and the webhook knows its worst case.
    assert limits.retries["total_max_attempts"] == aws.WEBHOOK_DYNAMODB_ATTEMPTS == 1
    attempt = aws.WEBHOOK_DYNAMODB_CONNECT_SECONDS + aws.WEBHOOK_DYNAMODB_READ_SECONDS
    assert attempt == aws.WEBHOOK_DYNAMODB_CALL_SECONDS < 0.5
