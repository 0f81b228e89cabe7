"""Check or regenerate faq/passage-vectors.bin, the sample workbook's passage vectors.

    python scripts/sample_vectors.py          # check: exit 1 when faq/faq.xlsx changed without them
    python scripts/sample_vectors.py --write  # embed new or edited passages (make sample-vectors)

The check hashes the passages (no engine, about a second); --write keeps the rows of unchanged
passages and shows progress while it embeds the others.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path

# One engine thread: more only slow small batches down on this machine (set before numpy loads).
os.environ.setdefault("OMP_NUM_THREADS", "1")
os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")

from madoguchi.adapters.embed_cache import Progress
from madoguchi.adapters.storage import LocalStorage
from madoguchi_dev import sample_vectors


def main(argv: list[str] | None = None) -> int:
    """Check the vectors against the workbook, or write them."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--write", action="store_true", help="embed what is missing and write")
    parser.add_argument("--workbook", type=Path, default=sample_vectors.SAMPLE_WORKBOOK)
    parser.add_argument("--vectors", type=Path, default=sample_vectors.SAMPLE_VECTORS)
    args = parser.parse_args(argv)
    found = sample_vectors.coverage(args.workbook, args.vectors)
    if not args.write:
        if found.matches:
            print(f"{args.vectors.name}: all {found.passages:,} passages of {args.workbook.name}")
            return 0
        print(
            f"{args.vectors.name} does not match {args.workbook.name}: "
            f"{len(found.missing):,} of {found.passages:,} passages have no vector, "
            f"{found.unused:,} vectors are for passages no longer there.\n"
            "Regenerate with: make sample-vectors",
            file=sys.stderr,
        )
        return 1
    if found.matches:
        print(f"{args.vectors.name} already matches {args.workbook.name}; nothing to embed.")
        return 0
    from madoguchi.adapters.e5_engine import E5Engine

    print(
        f"Embedding {len(found.missing):,} new or edited passages of {found.passages:,} "
        f"(the other {found.passages - len(found.missing):,} keep their vectors)…",
        flush=True,
    )
    last = [0.0]

    def show(progress: Progress) -> None:
        now = time.monotonic()
        if now - last[0] >= 2 or progress.done == progress.total:
            last[0] = now
            print("  " + sample_vectors.progress_text(progress), flush=True)

    started = time.perf_counter()
    embedded, reused = sample_vectors.regenerate(
        E5Engine().load(),
        LocalStorage(args.vectors.parent),
        args.vectors.name,
        sample_vectors.passages(args.workbook),
        progress=show,
    )
    args.vectors.chmod(0o644)  # storage writes private files; this one is shared in git
    size = args.vectors.stat().st_size
    print(
        f"Wrote {args.vectors} ({size / 1e6:.2f} MB): {embedded:,} embedded, {reused:,} kept, "
        f"{time.perf_counter() - started:.0f} s."
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
