"""A very long cell: e5 reads its start only, the EmbedFunction never refuses it, and the
workbook check names the cell."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from madoguchi.adapters.e5_engine import E5Engine
from madoguchi.adapters.lambda_embedder import (
    INVOKE_READ_TIMEOUT_SECONDS,
    MAX_REQUEST_CHARS,
    RemoteEmbedder,
    answer_request,
)
from madoguchi.model import Faq
from madoguchi.search.semantic import PASSAGE_CHARS, PASSAGE_TOKENS, passages_of
from madoguchi.workbook import Severity, validate_workbook
from madoguchi_dev.lambda_runtime import LocalContext, load_handler_module
from tests.support.embedders import CountingEmbedder, needs_engine
from tests.support.lambda_endpoint import lambda_endpoint
from tests.support.workbooks import FAQ_HEADER, faq_row, make_workbook

FUNCTION = "madoguchi-test-embedder"
PARAGRAPH = (
    "国民健康保険に加入している方が会社に就職したときは、14日以内に保険年金課で脱退の届出を"
    "してください。届出には、新しい保険証とマイナンバーが確認できるものが必要です。"
)
LONG = (PARAGRAPH * 1_000)[:40_000]


@pytest.fixture(scope="module")
def engine() -> E5Engine:
    return E5Engine().load()


@needs_engine
def test_the_engine_embeds_only_the_start_e5_reads(engine):
    start = engine.readable_start(LONG)
    assert engine.tokens(start) <= PASSAGE_TOKENS < engine.tokens(LONG[: len(start) + 1])
    assert 300 < len(start) < 1_000
    long_vector, short_vector = engine.embed_passages([LONG, "粗大ごみの出し方"])
    np.testing.assert_array_equal(long_vector, engine.embed_passages([start])[0])
    assert engine.readable_start("粗大ごみの出し方") == "粗大ごみの出し方"
    np.testing.assert_allclose(np.linalg.norm(short_vector), 1.0, rtol=1e-4)


@needs_engine
def test_the_function_embeds_a_40000_character_passage_as_its_start(monkeypatch, engine):
    monkeypatch.setenv("POWERTOOLS_LOG_LEVEL", "WARNING")
    root = Path(__file__).resolve().parents[2]
    app = load_handler_module(root / "functions" / "embedder", "embedder_app")
    context = LocalContext("madoguchi-embedder", memory_limit_in_mb=1769)

    def handle(name, event):
        return None, app.lambda_handler(event, context)

    with lambda_endpoint(handle) as endpoint:
        # The function's own wait (INVOKE_READ_TIMEOUT_SECONDS): a loaded machine is slow.
        client = endpoint.client(read_timeout=INVOKE_READ_TIMEOUT_SECONDS)
        (vector,) = RemoteEmbedder(FUNCTION, client=client).embed_passages([LONG])
    np.testing.assert_array_equal(vector, engine.embed_passages([engine.readable_start(LONG)])[0])
    [(_, event)] = endpoint.calls
    assert len(event["texts"][0]) == PASSAGE_CHARS


def test_a_cell_longer_than_a_request_is_still_embedded_not_refused():
    embedder = CountingEmbedder()
    huge = "長" * (MAX_REQUEST_CHARS + 10_000)

    def handle(name, event):
        return None, answer_request(event, embedder)

    with lambda_endpoint(handle) as endpoint:
        vectors = RemoteEmbedder(FUNCTION, client=endpoint.client()).embed_passages([huge, "税"])
    assert vectors.shape == (2, 384)
    assert sorted(len(t) for t in embedder.passages) == [1, PASSAGE_CHARS]  # parallel batches


def test_an_oversize_request_is_refused_with_its_sizes():
    answer = answer_request({"kind": "passage", "texts": ["長" * 50_000]}, CountingEmbedder())
    assert "50000 characters" in answer["error"] and str(MAX_REQUEST_CHARS) in answer["error"]


def test_passages_of_a_long_faq_are_cut_before_anything_embeds_them():
    faq = Faq("1", LONG, "回答" * 5_000, paraphrases=(LONG, "短い言い換え"))
    assert [len(p) for p in passages_of(faq)] == [
        PASSAGE_CHARS,
        PASSAGE_CHARS,
        6,
        PASSAGE_CHARS + 1 + 200,
    ]


def check(question="粗大ごみの出し方", paraphrases="", keywords=""):
    row = faq_row(1, question, "予約します。", paraphrases=paraphrases, keywords=keywords)
    return validate_workbook(make_workbook({"FAQ": [FAQ_HEADER, row]}))


@pytest.mark.parametrize(
    "cells, cell, severity",
    [
        ({"question": "住民票" * 100}, "C2", Severity.WARNING),
        ({"question": "住民票" * 400}, "C2", Severity.ERROR),
        ({"question": LONG}, "C2", Severity.ERROR),
        ({"paraphrases": "短い\n" + "言い換え" * 60}, "D2", Severity.WARNING),
        ({"paraphrases": "言い換え" * 300}, "D2", Severity.ERROR),
        ({"paraphrases": "\n".join(["言い換え" * 100] * 20)}, "D2", Severity.ERROR),
        ({"keywords": "ごみ、" + "キーワード" * 8}, "E2", Severity.WARNING),
        ({"keywords": "キーワード" * 30}, "E2", Severity.ERROR),
        ({"keywords": "、".join(["キーワード"] * 300)}, "E2", Severity.ERROR),
    ],
)
def test_long_question_side_cells_are_named(cells, cell, severity):
    result = check(**cells)
    [problem] = [p for p in result.problems if p.cell == cell]
    assert problem.severity is severity and problem.sheet == "FAQ"
    assert "長" in problem.message and "文字" in problem.message
    assert result.ok is (severity is Severity.WARNING)
