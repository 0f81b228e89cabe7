"""The webhook's second reader: USE multilingual v3 loaded at init and attached to each index it
loads; none when the semantic signal is off or the model cannot load (logged, ranked without)."""

from __future__ import annotations

import logging

import numpy as np
import pytest

from madoguchi.adapters.storage import S3Storage
from madoguchi.adapters.use_engine import DIM, MODEL_ID, ReaderUnavailable, UseEngine
from madoguchi.config import Config
from madoguchi.publish.live_index import IndexHolder
from madoguchi.search.second_reader import SecondReader
from madoguchi.wiring import second_reader_for
from tests.support.webhook_stack import webhook_stack


def local(tmp_path, **more) -> Config:
    return Config(local_dir=tmp_path, state_path=tmp_path / "state.sqlite3", **more)


@pytest.fixture(scope="module")
def engine() -> UseEngine:
    return UseEngine().load()


def test_the_model_reads_japanese_questions_near_their_faq(engine):
    vectors = engine.embed(["住民票の写しがほしい", "住民票の写しを取りたい", "粗大ごみの出し方"])
    assert vectors.shape == (3, DIM) and vectors.dtype == np.float32
    assert np.linalg.norm(vectors, axis=1) == pytest.approx([1.0, 1.0, 1.0], abs=1e-4)
    assert vectors[0] @ vectors[1] > vectors[0] @ vectors[2] + 0.1
    assert engine.embed([]).shape == (0, DIM)
    assert engine.model_id == MODEL_ID


def test_english_reads_near_the_japanese_faq(engine):
    question, near, far = engine.embed(
        ["Where is the evacuation shelter?", "避難所はどこですか", "粗大ごみの手数料"]
    )
    assert question @ near > question @ far


def test_a_missing_model_is_refused_with_a_clear_error():
    with pytest.raises(ReaderUnavailable, match="no_such_model_package"):
        UseEngine(module="no_such_model_package").load()


def test_the_webhook_gets_a_loaded_reader_and_none_when_the_signal_is_off(tmp_path):
    reader = second_reader_for(local(tmp_path))
    assert isinstance(reader, SecondReader) and reader.model_id == MODEL_ID
    assert second_reader_for(local(tmp_path, semantic=False)) is None


def test_a_model_that_cannot_load_leaves_the_webhook_ranking_without_it(
    tmp_path, monkeypatch, caplog
):
    import madoguchi.adapters.use_engine as use_engine

    monkeypatch.setattr(use_engine.UseEngine, "__init__", lambda self: _missing(self))
    with caplog.at_level(logging.WARNING, logger="madoguchi.wiring"):
        assert second_reader_for(local(tmp_path)) is None
    assert "second reader is unavailable" in caplog.text


def _missing(engine: UseEngine) -> None:
    engine._module = "no_such_model_package"
    engine._model = None
    engine._lock = __import__("threading").Lock()


def test_each_index_the_holder_loads_gets_the_reader(monkeypatch):
    with webhook_stack(monkeypatch) as stack:
        reader = SecondReader(UseEngine())
        holder = IndexHolder(S3Storage(stack.config.bucket_name), stack.config, reader=reader)
        index = holder.current()
        assert index is not None and index.reader is reader
