"""Fixtures shared by the integration tests."""

from collections.abc import Iterator

import pytest

from tests.support.indexer_aws import IndexerAccount, indexer_account


@pytest.fixture
def account(monkeypatch: pytest.MonkeyPatch) -> Iterator[IndexerAccount]:
    """A mocked AWS account with the indexer's bucket and topic, and the handler imported in it."""
    with indexer_account(monkeypatch) as account:
        yield account
