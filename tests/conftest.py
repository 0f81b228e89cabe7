"""Fixtures for the whole suite."""

from collections.abc import Iterator

import pytest
from moto.core.config import default_user_config


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


@pytest.fixture(autouse=True, scope="session")
def one_boto3_session_for_every_mock() -> Iterator[None]:
    """moto keeps boto3's default session from one mock to the next.

    By default every `mock_aws()` drops it, so each test's clients parse botocore's service
    models (S3's alone is megabytes of JSON) afresh: about a third of the suite's time. Each
    mock still starts with empty buckets and tables; only the parsed models are kept.
    """
    with pytest.MonkeyPatch.context() as moto_config:
        moto_config.setitem(default_user_config["core"], "reset_boto3_session", False)
        yield


@pytest.fixture(autouse=True)
def no_parameters_kept_from_another_test() -> Iterator[None]:
    """Each test reads its SSM parameters afresh: a value kept by an earlier test's environment
    (madoguchi.adapters.secrets.PARAMETERS) must not answer for a parameter this test removed."""
    from madoguchi.adapters.secrets import PARAMETERS

    PARAMETERS.forget()
    yield
    PARAMETERS.forget()
