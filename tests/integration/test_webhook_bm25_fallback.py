"""Residents are answered with BM25 alone when the semantic signal cannot take part: no engine
where the webhook runs, or an index published without FAQ vectors. Said once, never an error."""

from __future__ import annotations

import logging

import pytest

from madoguchi.adapters.e5_engine import ENV_DIR
from madoguchi.webhook import handle_webhook
from madoguchi.wiring import webhook_deps
from tests.support import line_events as ev
from tests.support.embedders import needs_engine
from tests.support.webhook_stack import webhook_stack

QUESTIONS = {
    "粗大ごみの出し方を教えて": "前日までに",
    "児童手当の申請はどうすればいい": "出生の翌日から",
    "住民票の写しがほしい": "コンビニ",
}
LOGGERS = ("madoguchi.wiring", "madoguchi.search.index", "madoguchi.publish.live_index")


@pytest.fixture
def stack(monkeypatch, caplog):
    monkeypatch.setenv("MADOGUCHI_SEMANTIC", "on")
    # The handler's init hands these loggers to powertools, which stops their propagation;
    # here they must reach caplog whatever ran before.
    for name in LOGGERS:
        monkeypatch.setattr(logging.getLogger(name), "propagate", True)
    caplog.set_level(logging.INFO)
    with webhook_stack(monkeypatch) as stack:  # publishes without vectors, as BM25-only indexes
        yield stack


def answers(stack, deps) -> None:
    """Every question answered with its FAQ, status 200, nothing failed."""
    for question, expected in QUESTIONS.items():
        event = ev.text_event(question, reply_token=stack.line.issue_reply_token())
        outcome = handle_webhook(*ev.signed_body(event), deps=deps)
        assert outcome.status == 200 and outcome.failures == 0
        assert expected in stack.line.delivered()[-1][0]["text"]
        assert [t.kind for t in outcome.turns] == ["answer"]


def bm25_alone_lines(caplog) -> list[logging.LogRecord]:
    return [r for r in caplog.records if "BM25 alone" in r.getMessage()]


def test_without_an_engine_the_webhook_answers_with_bm25_alone_and_says_so_once(
    stack, monkeypatch, tmp_path, caplog
):
    monkeypatch.setenv(ENV_DIR, str(tmp_path))  # a runtime folder without the engine's files
    caplog.clear()
    deps = webhook_deps(stack.config, clock=stack.clock, stopwatch=stack.stopwatch)
    index = deps.index.current()
    assert index is not None and not index.semantic
    answers(stack, deps)
    said = bm25_alone_lines(caplog)
    assert len(said) == 1 and said[0].levelno == logging.WARNING
    assert "semantic search is unavailable" in said[0].getMessage()
    assert not [r for r in caplog.records if r.levelno >= logging.ERROR]


@needs_engine
def test_an_index_without_vectors_is_searched_with_bm25_alone_and_said_once(stack, caplog):
    caplog.clear()
    deps = webhook_deps(stack.config, clock=stack.clock, stopwatch=stack.stopwatch)
    assert deps.index.embedder is not None  # the engine runs here
    index = deps.index.current()
    assert index is not None and index.vectors is None and not index.semantic
    answers(stack, deps)
    deps.index.expire()  # the pointer is read again: the same index, no second line
    assert deps.index.current() is index
    answers(stack, deps)
    said = bm25_alone_lines(caplog)
    assert [r.getMessage() for r in said] == [
        "the index has no vectors of this model: searching with BM25 alone"
    ]
    assert not [r for r in caplog.records if r.levelno >= logging.ERROR]
