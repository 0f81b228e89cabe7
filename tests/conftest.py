"""Fixtures for the whole suite."""

import pytest


@pytest.fixture(autouse=True)
def bm25_alone_unless_asked(monkeypatch: pytest.MonkeyPatch) -> None:
    """Handlers configured from the environment search with BM25 alone.

    The e5 engine embeds a few FAQ passages a second on this machine, too slow for every test
    that publishes the sample workbook; the tests of the semantic signal turn it on (or pass
    their own embedder) with small workbooks.
    """
    monkeypatch.setenv("MADOGUCHI_SEMANTIC", "off")
