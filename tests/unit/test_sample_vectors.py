"""The sample workbook's passage vectors in the repository match faq/faq.xlsx, so a fresh clone's
first `make demo` embeds nothing; a change to the sample without them fails here (and in CI)."""

from __future__ import annotations

import numpy as np
import pytest

from madoguchi.adapters.embed_cache import Progress, decode_rows, encode_rows, text_key
from madoguchi.adapters.storage import LocalStorage
from madoguchi.search.semantic import DIM, MODEL_ID
from madoguchi_dev import sample_vectors
from scripts import sample_vectors as script
from tests.support.embedders import CountingEmbedder
from tests.support.workbooks import FAQ_HEADER, faq_row, make_workbook


def test_the_checked_in_vectors_cover_exactly_the_sample_passages():
    found = sample_vectors.coverage()
    assert found.passages > 900  # every FAQ of the sample: question, 言い換え, question + answer
    assert found.missing == (), (
        f"{len(found.missing)} passages of faq/faq.xlsx have no vector: run `make sample-vectors`"
    )
    assert found.unused == 0, "faq/passage-vectors.bin has vectors of removed passages"
    assert sample_vectors.SAMPLE_VECTORS.stat().st_size < 5_000_000


def workbook(tmp_path, answers: dict[int, str]):
    path = tmp_path / "faq.xlsx"
    rows = [faq_row(n, f"質問{n}", answer) for n, answer in answers.items()]
    path.write_bytes(make_workbook({"FAQ": [FAQ_HEADER, *rows]}))
    return path


def regenerate(tmp_path, book, inner):
    vectors = tmp_path / "vectors.bin"
    steps: list[Progress] = []
    counts = sample_vectors.regenerate(
        inner, LocalStorage(tmp_path), vectors.name, sample_vectors.passages(book), steps.append
    )
    return vectors, counts, steps


def test_an_edited_sample_fails_the_check_and_regenerating_embeds_only_what_changed(
    tmp_path, capsys
):
    book = workbook(tmp_path, {1: "回答一", 2: "回答二", 3: "回答三"})
    vectors, counts, steps = regenerate(tmp_path, book, CountingEmbedder())
    assert counts == (6, 0)  # two passages per FAQ: the question, the question with the answer
    assert steps[-1].done == steps[-1].total == 6
    assert script.main(["--workbook", str(book), "--vectors", str(vectors)]) == 0
    first = decode_rows(vectors.read_bytes(), MODEL_ID)

    edited = workbook(tmp_path, {1: "回答一", 2: "回答二 (直しました)", 3: "回答三"})
    assert script.main(["--workbook", str(edited), "--vectors", str(vectors)]) == 1
    assert "1 of 6 passages have no vector, 1 vectors are for passages" in capsys.readouterr().err

    inner = CountingEmbedder()
    _, counts, _ = regenerate(tmp_path, edited, inner)
    assert counts == (1, 5) and inner.passages == ["質問2\n回答二 (直しました)"]
    assert sample_vectors.coverage(edited, vectors).matches
    again = decode_rows(vectors.read_bytes(), MODEL_ID)
    kept = text_key(MODEL_ID, "質問1\n回答一")
    np.testing.assert_array_equal(again[kept][0], first[kept][0])


def test_seeding_adds_the_sample_rows_to_a_cache_and_keeps_its_own(tmp_path):
    sample = {text_key(MODEL_ID, "a"): (np.ones(DIM, np.int8), np.float32(0.01))}
    own = {text_key(MODEL_ID, "b"): (np.full(DIM, 2, np.int8), np.float32(0.02))}
    sample_file, cache = tmp_path / "sample.bin", tmp_path / "cache" / "e5.bin"
    sample_file.write_bytes(encode_rows(sample, MODEL_ID))
    assert sample_vectors.seed_cache(cache, sample_file) == 1  # no cache yet: created
    cache.write_bytes(encode_rows(own, MODEL_ID))
    assert sample_vectors.seed_cache(cache, sample_file) == 1
    assert set(decode_rows(cache.read_bytes(), MODEL_ID)) == set(sample) | set(own)
    assert sample_vectors.seed_cache(cache, sample_file) == 0  # nothing new: not rewritten
    cache.write_bytes(b"not a cache")
    assert sample_vectors.seed_cache(cache, sample_file) == 1


@pytest.mark.parametrize(
    ("progress", "text"),
    [
        (Progress(0, 1020, 0.0), "意味の近さの準備: 0 / 1,020 件"),
        (
            Progress(320, 1020, 32.0),
            "意味の近さの準備: 320 / 1,020 件(毎秒 10.0 件、残り約 1 分 10 秒)",
        ),
        (
            Progress(1000, 1020, 100.0),
            "意味の近さの準備: 1,000 / 1,020 件(毎秒 10.0 件、残り約 2 秒)",
        ),
    ],
)
def test_progress_says_how_many_how_fast_and_how_long_still(progress, text):
    assert sample_vectors.progress_text(progress) == text
