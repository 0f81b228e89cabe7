"""Fixtures for the whole suite."""

from collections.abc import Iterator

import pytest


@pytest.fixture(autouse=True, scope="session")
def bm25_alone_unless_asked() -> Iterator[None]:
    """Handlers configured from the environment search with BM25 alone.

    The e5 engine embeds a few FAQ passages a second on this machine, too slow for every test
    that publishes the sample workbook; the tests of the semantic signal turn it on (or pass
    their own embedder) with small workbooks. Session-scoped, so that it is set before any
    module-scoped fixture (the running preview) reads the environment.
    """
    with pytest.MonkeyPatch.context() as environment:
        environment.setenv("MADOGUCHI_SEMANTIC", "off")
        yield
