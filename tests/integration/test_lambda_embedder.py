"""The EmbedFunction and its caller: RemoteEmbedder invokes a loopback Lambda endpoint with a real
boto3 client, in batches and in parallel; the handler itself runs the real engine."""

from __future__ import annotations

import time

import numpy as np
import pytest

from madoguchi.adapters import aws, lambda_embedder
from madoguchi.adapters.e5_engine import EngineUnavailable
from madoguchi.adapters.lambda_embedder import (
    EmbedFailed,
    RemoteEmbedder,
    answer_request,
    batches,
)
from madoguchi.search.semantic import DIM
from madoguchi_dev.lambda_runtime import LocalContext, load_handler_module
from tests.support.embedders import CountingEmbedder, needs_engine
from tests.support.lambda_endpoint import lambda_endpoint

FUNCTION = "madoguchi-test-embedder"


def fake_function(embedder=None, pause: float = 0.0):
    embedder = embedder or CountingEmbedder()

    def handle(name, event):
        time.sleep(pause)  # long enough for the caller's other batches to arrive meanwhile
        return None, answer_request(event, embedder)

    return handle


def test_batches_are_bounded_by_texts_and_characters():
    assert batches([]) == []
    assert batches(["a"] * 70) == [(0, 32), (32, 64), (64, 70)]
    long = "長" * lambda_embedder.BATCH_CHARS
    assert batches(["a", long, "b", "c"]) == [(0, 1), (1, 2), (2, 4)]


def test_passages_come_back_in_order_from_parallel_batches():
    texts = [f"FAQ {n} の質問と回答" for n in range(100)]
    with lambda_endpoint(fake_function(pause=0.05)) as endpoint:
        remote = RemoteEmbedder(FUNCTION, client=endpoint.client(), workers=4)
        vectors = remote.embed_passages(texts)
    np.testing.assert_array_equal(vectors, np.stack([CountingEmbedder.vector(t) for t in texts]))
    assert sorted(len(event["texts"]) for _, event in endpoint.calls) == [4, 32, 32, 32]
    assert {name for name, _ in endpoint.calls} == {FUNCTION}
    assert {event["kind"] for _, event in endpoint.calls} == {"passage"}
    assert 2 <= endpoint.in_flight_peak <= 4


def test_questions_use_the_query_kind():
    with lambda_endpoint(fake_function()) as endpoint:
        remote = RemoteEmbedder(FUNCTION, client=endpoint.client())
        (vector,) = remote.embed_queries(["税金"])
    np.testing.assert_array_equal(vector, CountingEmbedder.vector("q:税金"))
    assert endpoint.calls[0][1] == {"kind": "query", "texts": ["税金"]}


def test_a_batch_the_function_failed_on_is_sent_once_more():
    failures = []

    def flaky(name, event):
        if not failures:
            failures.append(event)
            return "Unhandled", {"errorMessage": "Task timed out after 60.00 seconds"}
        return fake_function()(name, event)

    with lambda_endpoint(flaky) as endpoint:
        vectors = RemoteEmbedder(FUNCTION, client=endpoint.client()).embed_passages(["a", "b"])
    assert vectors.shape == (2, DIM) and len(endpoint.calls) == 2


def test_a_batch_failing_twice_fails_the_embedding_as_engine_unavailable():
    def broken(name, event):
        return "Unhandled", {"errorMessage": "Runtime.ImportModuleError"}

    with lambda_endpoint(broken) as endpoint, pytest.raises(EmbedFailed, match="failed twice"):
        RemoteEmbedder(FUNCTION, client=endpoint.client()).embed_passages(["a"])
    assert issubclass(EmbedFailed, EngineUnavailable)  # what the publish falls back on


@pytest.mark.parametrize(
    ("answer", "message"),
    [
        ({"error": "texts must be a list of strings"}, "refused"),
        ({"model_id": "another", "dim": DIM, "vectors": ""}, "runs 'another'"),
        ({"model_id": "multilingual-e5-small-q4", "dim": DIM, "vectors": ""}, "0 vectors for 1"),
        ({"model_id": "multilingual-e5-small-q4", "dim": DIM}, "unreadable"),
    ],
)
def test_an_answer_without_the_right_vectors_fails_clearly(answer, message):
    with (
        lambda_endpoint(lambda name, event: (None, answer)) as endpoint,
        pytest.raises(EmbedFailed, match=message),
    ):
        RemoteEmbedder(FUNCTION, client=endpoint.client()).embed_passages(["a"])


def test_no_batch_is_sent_once_the_time_budget_is_spent():
    with lambda_endpoint(fake_function()) as endpoint:
        remote = RemoteEmbedder(FUNCTION, client=endpoint.client(), budget_seconds=-1)
        with pytest.raises(EmbedFailed, match="took longer than"):
            remote.embed_passages(["a"] * 40)
    assert endpoint.calls == []


def test_an_unreachable_function_fails_clearly():
    with lambda_endpoint(fake_function()) as endpoint:
        client = endpoint.client()
    # The endpoint is shut down: the connection is refused (and retried once by botocore).
    with pytest.raises(EmbedFailed, match="could not be invoked"):
        RemoteEmbedder(FUNCTION, client=client).embed_passages(["a"])


def test_the_default_client_waits_for_a_batch_and_retries_once(monkeypatch):
    monkeypatch.setenv("AWS_DEFAULT_REGION", "ap-northeast-1")
    config = RemoteEmbedder(FUNCTION).client.meta.config
    assert config.read_timeout == lambda_embedder.INVOKE_READ_TIMEOUT_SECONDS
    assert config.connect_timeout == aws.CONNECT_TIMEOUT_SECONDS
    assert config.retries == {"mode": "standard", "total_max_attempts": aws.MAX_ATTEMPTS}
    assert config.max_pool_connections >= lambda_embedder.WORKERS


@pytest.mark.parametrize(
    "event",
    [
        [],
        {"kind": "passage"},
        {"kind": "document", "texts": ["a"]},
        {"kind": "passage", "texts": ["a", 3]},
        {"kind": "passage", "texts": ["a"] * (lambda_embedder.MAX_REQUEST_TEXTS + 1)},
        {"kind": "passage", "texts": ["長" * (lambda_embedder.MAX_REQUEST_CHARS + 1)]},
    ],
)
def test_the_function_refuses_what_is_not_a_request(event):
    embedder = CountingEmbedder()
    assert "error" in answer_request(event, embedder)
    assert embedder.passages == embedder.queries == []


@needs_engine
def test_the_handler_embeds_with_the_real_engine_end_to_end(monkeypatch):
    from pathlib import Path

    monkeypatch.setenv("POWERTOOLS_LOG_LEVEL", "WARNING")
    root = Path(__file__).resolve().parents[2]
    app = load_handler_module(root / "functions" / "embedder", "embedder_app")
    context = LocalContext("madoguchi-embedder", memory_limit_in_mb=1769)
    texts = ["戸籍謄本の取り方", "粗大ごみの申し込み"]

    def handle(name, event):
        return None, app.lambda_handler(event, context)

    with lambda_endpoint(handle) as endpoint:
        vectors = RemoteEmbedder(FUNCTION, client=endpoint.client()).embed_passages(texts)
    np.testing.assert_array_equal(vectors, app.ENGINE.embed_passages(texts))
    refused = app.lambda_handler({"kind": "passage", "texts": "not a list"}, context)
    assert refused == {"error": "texts must be a list of strings"}
