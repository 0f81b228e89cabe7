"""The EmbedFunction and its caller: passage vectors computed in a Lambda function of their own.

The indexer and the shared layer already fill most of Lambda's 250 MiB, so the 72 MB model
cannot ride with them; the indexer sends batches of passages to the EmbedFunction (in parallel
for a first build) instead. Both sides of the wire format are here: `answer_request` is what
functions/embedder/app.py runs, `RemoteEmbedder` what the indexer calls.
"""

from __future__ import annotations

import base64
import json
import logging
import time
from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import numpy as np

from madoguchi.adapters.aws import LazyClient
from madoguchi.adapters.e5_engine import EngineUnavailable
from madoguchi.search.semantic import DIM, MODEL_ID, PASSAGE_CHARS, Embedder

log = logging.getLogger(__name__)

KINDS = ("query", "passage")
# One request: at most this many texts and characters. About 8 s of engine time at one vCPU
# (the engine reads ~900 characters of FAQ text a second), well inside the function's timeout.
BATCH_TEXTS = 32
BATCH_CHARS = 8_000
# What the function accepts at most (a single long passage may exceed BATCH_CHARS on its own).
MAX_REQUEST_TEXTS = 256
MAX_REQUEST_CHARS = 40_000
# Invocations in flight at once from one indexer; the template reserves room for two indexers.
WORKERS = 8
# The function's own timeout is 60 s (template.yaml); the caller waits a little longer for it.
INVOKE_READ_TIMEOUT_SECONDS = 65.0
# No batch is sent after this long: the indexer (timeout 300 s) then still has the time to
# publish with BM25 alone. A first build of 2,000 FAQs takes about a minute and a half.
BUDGET_SECONDS = 180.0


class EmbedFailed(EngineUnavailable):
    """The EmbedFunction did not return vectors (an error, a timeout, another model)."""


class BadRequest(ValueError):
    """A request the EmbedFunction refuses; it is never retried."""


# --- the function's side ---------------------------------------------------------------------


def answer_request(event: Any, embedder: Embedder) -> dict[str, Any]:
    """{"kind", "texts"} -> {"model_id", "dim", "count", "vectors": base64 of float32 rows},
    or {"error": why} for a request that is not one."""
    try:
        kind, texts = _parse(event)
    except BadRequest as error:
        return {"error": str(error)}
    embed = embedder.embed_queries if kind == "query" else embedder.embed_passages
    vectors = embed(texts)
    rows = np.ascontiguousarray(vectors, dtype="<f4")
    return {
        "model_id": embedder.model_id,
        "dim": DIM,
        "count": len(texts),
        "vectors": base64.b64encode(rows.tobytes()).decode("ascii"),
    }


def _parse(event: Any) -> tuple[str, list[str]]:
    if not isinstance(event, dict):
        raise BadRequest("the request must be a JSON object")
    kind, texts = event.get("kind"), event.get("texts")
    if kind not in KINDS:
        raise BadRequest(f"kind must be one of {', '.join(KINDS)}")
    if not isinstance(texts, list) or not all(isinstance(t, str) for t in texts):
        raise BadRequest("texts must be a list of strings")
    chars = sum(map(len, texts))
    if len(texts) > MAX_REQUEST_TEXTS or chars > MAX_REQUEST_CHARS:
        raise BadRequest(
            f"the request has {len(texts)} texts and {chars} characters: at most"
            f" {MAX_REQUEST_TEXTS} texts and {MAX_REQUEST_CHARS} characters a request (the"
            f" caller sends each passage cut to {PASSAGE_CHARS} characters, in batches)"
        )
    return kind, texts


# --- the indexer's side ----------------------------------------------------------------------


def batches(texts: Sequence[str]) -> list[tuple[int, int]]:
    """(start, end) slices of at most BATCH_TEXTS texts and BATCH_CHARS characters (a longer
    single text goes alone)."""
    out: list[tuple[int, int]] = []
    start, chars = 0, 0
    for i, text in enumerate(texts):
        if i > start and (i - start >= BATCH_TEXTS or chars + len(text) > BATCH_CHARS):
            out.append((start, i))
            start, chars = i, 0
        chars += len(text)
    if start < len(texts):
        out.append((start, len(texts)))
    return out


class RemoteEmbedder:
    """An Embedder that invokes the EmbedFunction: batches, up to WORKERS at once.

    Timeouts and throttling retries come from the shared botocore config (one retry); a batch
    the function failed on (FunctionError) is sent once more. Anything else raises EmbedFailed,
    which the publish turns into an index with BM25 alone.
    """

    model_id = MODEL_ID
    client = LazyClient("lambda", read_timeout=INVOKE_READ_TIMEOUT_SECONDS, connections=WORKERS)

    def __init__(
        self,
        function_name: str,
        client: Any = None,
        workers: int = WORKERS,
        budget_seconds: float = BUDGET_SECONDS,
    ) -> None:
        self.function_name = function_name
        self._client = client
        self.workers = workers
        self.budget_seconds = budget_seconds

    def embed_queries(self, texts: Sequence[str]) -> np.ndarray:
        """Question vectors (the webhook embeds its own; this is for completeness)."""
        return self._embed("query", texts)

    def embed_passages(self, texts: Sequence[str]) -> np.ndarray:
        """FAQ passage vectors, computed by the EmbedFunction."""
        return self._embed("passage", texts)

    def _embed(self, kind: str, texts: Sequence[str]) -> np.ndarray:
        # e5 reads only the start of a passage (the function cuts it to its tokens): a longer
        # cell is never sent whole, so no request exceeds what the function accepts.
        texts = [text[:PASSAGE_CHARS] for text in texts]
        out = np.empty((len(texts), DIM), dtype=np.float32)
        slices = batches(texts)
        if not slices:
            return out
        client = self.client  # made once, before the threads share it
        deadline = time.monotonic() + self.budget_seconds

        def run(part: tuple[int, int]) -> None:
            if time.monotonic() > deadline:
                raise EmbedFailed(f"the passages took longer than {self.budget_seconds:.0f} s")
            start, end = part
            out[start:end] = self._invoke(client, kind, texts[start:end])

        with ThreadPoolExecutor(max_workers=max(1, min(self.workers, len(slices)))) as pool:
            futures = [pool.submit(run, part) for part in slices]
            try:
                for future in futures:
                    future.result()
            except BaseException:
                for future in futures:  # the build fails anyway: send no more batches
                    future.cancel()
                raise
        return out

    def _invoke(self, client: Any, kind: str, texts: list[str]) -> np.ndarray:
        from botocore.exceptions import BotoCoreError, ClientError

        payload = json.dumps({"kind": kind, "texts": texts}, ensure_ascii=False).encode()
        for attempt in (1, 2):
            try:
                response = client.invoke(
                    FunctionName=self.function_name,
                    InvocationType="RequestResponse",
                    Payload=payload,
                )
                body = response["Payload"].read()
            except (BotoCoreError, ClientError) as error:
                raise EmbedFailed(f"the EmbedFunction could not be invoked: {error}") from error
            if response.get("FunctionError"):
                log.warning(
                    "the EmbedFunction failed on a batch (attempt %d): %s",
                    attempt,
                    body[:300].decode("utf-8", "replace"),
                )
                continue
            return _vectors(body, len(texts))
        raise EmbedFailed("the EmbedFunction failed twice on the same batch")


def _vectors(body: bytes, count: int) -> np.ndarray:
    try:
        answer = json.loads(body)
        if "error" in answer:
            raise EmbedFailed(f"the EmbedFunction refused the request: {answer['error']}")
        if answer.get("model_id") != MODEL_ID or answer.get("dim") != DIM:
            raise EmbedFailed(
                f"the EmbedFunction runs {answer.get('model_id')!r}, not {MODEL_ID!r}"
            )
        rows = np.frombuffer(base64.b64decode(answer["vectors"]), dtype="<f4")
    except (ValueError, KeyError, TypeError) as error:
        raise EmbedFailed(f"the EmbedFunction's answer is unreadable: {error}") from error
    if rows.size != count * DIM:
        raise EmbedFailed(f"the EmbedFunction returned {rows.size // DIM} vectors for {count}")
    return rows.reshape(count, DIM).astype(np.float32)
