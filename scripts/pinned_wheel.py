"""A pinned wheel from PyPI for a function's build: downloaded once, refused unless its sha256 is
the pinned one, and read member by member against its RECORD."""

from __future__ import annotations

import base64
import hashlib
import subprocess
import sys
import zipfile
from collections.abc import Sequence
from pathlib import Path


def sha256(path: Path) -> str:
    """Hex sha256 of a file."""
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def download(
    cache: Path, requirement: str, filename: str, expected: str, pip_options: Sequence[str] = ()
) -> Path:
    """The wheel `filename` from the cache, downloaded with pip when it is missing or altered."""
    path = cache / filename
    if path.is_file() and sha256(path) == expected:
        return path
    path.unlink(missing_ok=True)
    cache.mkdir(parents=True, exist_ok=True)
    command = [
        sys.executable, "-m", "pip", "download", requirement, "--no-deps", "--only-binary=:all:",
        *pip_options, "--dest", str(cache), "--quiet",
    ]  # fmt: skip
    subprocess.run(command, check=True)
    if not path.is_file():
        raise SystemExit(f"pip did not download {filename}")
    found = sha256(path)
    if found != expected:
        path.unlink()
        raise SystemExit(f"{filename} has sha256 {found}, expected {expected}: refusing it")
    return path


def record_hashes(archive: zipfile.ZipFile) -> dict[str, str]:
    """Member -> urlsafe-base64 sha256 from the wheel's RECORD."""
    records = [n for n in archive.namelist() if n.endswith(".dist-info/RECORD")]
    if len(records) != 1:
        raise SystemExit(f"the wheel has {len(records)} RECORD files, expected one")
    hashes = {}
    for line in archive.read(records[0]).decode().splitlines():
        name, digest, _size = line.rsplit(",", 2)
        if digest.startswith("sha256="):
            hashes[name] = digest.removeprefix("sha256=")
    return hashes


def read_checked(archive: zipfile.ZipFile, hashes: dict[str, str], member: str) -> bytes:
    """The member's bytes, or SystemExit when they are not what the RECORD says."""
    data = archive.read(member)
    digest = base64.urlsafe_b64encode(hashlib.sha256(data).digest()).rstrip(b"=").decode()
    if hashes.get(member) != digest:
        raise SystemExit(f"{member} does not match the wheel's RECORD")
    return data
