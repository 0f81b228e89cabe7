"""Which embedder each function gets: the engine for the webhook's questions (warmed at init),
the EmbedFunction behind the cache for the indexer in AWS, the engine in-process locally, and
BM25 alone, logged, when the signal is off or no engine can run."""

from __future__ import annotations

import logging

from madoguchi.adapters.e5_engine import ENV_DIR, E5Engine
from madoguchi.adapters.embed_cache import CachingEmbedder
from madoguchi.adapters.lambda_embedder import RemoteEmbedder
from madoguchi.adapters.storage import LocalStorage
from madoguchi.config import Config
from madoguchi.wiring import (
    indexer_deps,
    passage_embedder_for,
    query_embedder_for,
)
from tests.support.embedders import needs_engine


def local(tmp_path, **more) -> Config:
    return Config(local_dir=tmp_path, state_path=tmp_path / "state.sqlite3", **more)


def test_the_signal_switched_off_means_no_embedder_anywhere(tmp_path):
    config = local(tmp_path, semantic=False)
    assert query_embedder_for(config) is None
    assert passage_embedder_for(config, LocalStorage(tmp_path)) is None
    assert indexer_deps(config).embedder is None


def test_config_reads_the_switch_and_the_function_name():
    config = Config.from_env(
        {"MADOGUCHI_BUCKET": "b", "MADOGUCHI_EMBED_FUNCTION": "madoguchi-prod-embedder"}
    )
    assert config.semantic and config.embed_function == "madoguchi-prod-embedder"
    assert not Config.from_env({"MADOGUCHI_BUCKET": "b", "MADOGUCHI_SEMANTIC": "OFF"}).semantic


def test_in_aws_the_indexer_embeds_through_the_function_behind_the_cache():
    config = Config(bucket_name="b", embed_function="madoguchi-prod-embedder")
    embedder = indexer_deps(config).embedder
    assert isinstance(embedder, CachingEmbedder)
    assert isinstance(embedder.inner, RemoteEmbedder)
    assert embedder.inner.function_name == "madoguchi-prod-embedder"
    assert embedder.key == "indexes/vectors-cache/multilingual-e5-small-q4.bin"


@needs_engine
def test_locally_the_indexer_embeds_in_process_behind_the_cache(tmp_path):
    embedder = indexer_deps(local(tmp_path)).embedder
    assert isinstance(embedder, CachingEmbedder) and isinstance(embedder.inner, E5Engine)
    assert embedder.inner.loaded


@needs_engine
def test_the_webhook_engine_is_loaded_and_warmed_at_init(tmp_path):
    engine = query_embedder_for(local(tmp_path))
    assert isinstance(engine, E5Engine) and engine.loaded


def test_without_an_engine_both_sides_fall_back_to_bm25_and_say_so(tmp_path, monkeypatch, caplog):
    monkeypatch.setenv(ENV_DIR, str(tmp_path))  # a folder without the engine
    with caplog.at_level(logging.WARNING, logger="madoguchi.wiring"):
        assert query_embedder_for(local(tmp_path)) is None
        assert passage_embedder_for(local(tmp_path), LocalStorage(tmp_path)) is None
    warnings = [r.getMessage() for r in caplog.records]
    assert len(warnings) == 2
    assert "BM25 alone" in warnings[0] and "no e5 engine" in warnings[0]
