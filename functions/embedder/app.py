"""Invoked by the indexer with a batch of FAQ passages -> their e5 vectors."""

import os

# Before numpy and the engine load: one thread each. The template sets these too; multithreaded
# BLAS and OpenMP are far slower than one thread on these small products.
os.environ.setdefault("OMP_NUM_THREADS", "1")
os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")

import time

from aws_lambda_powertools import Logger
from aws_lambda_powertools.utilities.typing import LambdaContext

from madoguchi.adapters.e5_engine import E5Engine
from madoguchi.adapters.lambda_embedder import answer_request

# A function without its engine fails here, at init; the indexer then publishes BM25 alone.
ENGINE = E5Engine().load()
logger = Logger(service="madoguchi-embedder")


@logger.inject_lambda_context
def lambda_handler(event: dict, context: LambdaContext) -> dict:
    """Embed the texts of one request; the texts themselves are not logged."""
    started = time.perf_counter()
    answer = answer_request(event, ENGINE)
    logger.info(
        "batch embedded" if "error" not in answer else "request refused",
        extra={
            "count": answer.get("count", 0),
            "error": answer.get("error"),
            "ms": round((time.perf_counter() - started) * 1000, 1),
        },
    )
    return answer
