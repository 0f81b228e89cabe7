"""scripts/pinned_wheel.py: a cached wheel is reused only with the pinned hash, a download with
another hash is refused and removed, and a member is read only when it matches the RECORD."""

from __future__ import annotations

import base64
import hashlib
import zipfile
from pathlib import Path

import pytest

from scripts import pinned_wheel

WHEEL = "demo-1.0-py3-none-any.whl"


def record_line(name: str, data: bytes) -> str:
    digest = base64.urlsafe_b64encode(hashlib.sha256(data).digest()).rstrip(b"=").decode()
    return f"{name},sha256={digest},{len(data)}"


def make_wheel(path: Path, members: dict[str, bytes], tamper: str | None = None) -> Path:
    record = [record_line(name, data) for name, data in members.items()]
    record.append("demo-1.0.dist-info/RECORD,,")
    with zipfile.ZipFile(path, "w") as archive:
        for name, data in members.items():
            archive.writestr(name, b"something else" if name == tamper else data)
        archive.writestr("demo-1.0.dist-info/RECORD", "\n".join(record))
    return path


def test_a_cached_wheel_with_the_pinned_hash_is_reused(tmp_path, monkeypatch):
    cached = make_wheel(tmp_path / WHEEL, {"demo/__init__.py": b""})
    monkeypatch.setattr(pinned_wheel.subprocess, "run", lambda *a, **k: pytest.fail("downloaded"))
    found = pinned_wheel.download(tmp_path, "demo==1.0", WHEEL, pinned_wheel.sha256(cached))
    assert found == cached


def test_a_download_with_another_hash_is_refused_and_removed(tmp_path, monkeypatch):
    (tmp_path / WHEEL).write_bytes(b"an altered cached copy")
    commands = []

    def pip(command, check):
        commands.append(command)
        (tmp_path / WHEEL).write_bytes(b"not the pinned wheel")

    monkeypatch.setattr(pinned_wheel.subprocess, "run", pip)
    with pytest.raises(SystemExit, match="refusing"):
        pinned_wheel.download(tmp_path, "demo==1.0", WHEEL, "0" * 64, ["--platform", "any"])
    assert not (tmp_path / WHEEL).exists()
    (command,) = commands
    assert command[command.index("download") + 1] == "demo==1.0"
    assert "--no-deps" in command and "--only-binary=:all:" in command
    assert command[command.index("--platform") + 1] == "any"
    assert command[command.index("--dest") + 1] == str(tmp_path)


def test_a_download_that_brings_no_wheel_is_an_error(tmp_path, monkeypatch):
    monkeypatch.setattr(pinned_wheel.subprocess, "run", lambda command, check: None)
    with pytest.raises(SystemExit, match=f"did not download {WHEEL}"):
        pinned_wheel.download(tmp_path / "cache", "demo==1.0", WHEEL, "0" * 64)


def test_members_are_read_only_when_they_match_the_record(tmp_path):
    members = {"demo/__init__.py": b"x = 1\n", "demo/data.bin": b"\x00\x01"}
    wheel = make_wheel(tmp_path / WHEEL, members, tamper="demo/data.bin")
    with zipfile.ZipFile(wheel) as archive:
        hashes = pinned_wheel.record_hashes(archive)
        assert set(hashes) == set(members)  # the RECORD's own line has no hash
        assert pinned_wheel.read_checked(archive, hashes, "demo/__init__.py") == b"x = 1\n"
        with pytest.raises(SystemExit, match=r"demo/data\.bin does not match"):
            pinned_wheel.read_checked(archive, hashes, "demo/data.bin")


def test_a_member_the_record_does_not_list_is_refused(tmp_path):
    wheel = make_wheel(tmp_path / WHEEL, {"demo/__init__.py": b""})
    with zipfile.ZipFile(wheel, "a") as archive:
        archive.writestr("demo/extra.py", b"import os")
    with zipfile.ZipFile(wheel) as archive, pytest.raises(SystemExit, match="does not match"):
        pinned_wheel.read_checked(archive, pinned_wheel.record_hashes(archive), "demo/extra.py")


def test_a_wheel_without_a_record_is_refused(tmp_path):
    with zipfile.ZipFile(tmp_path / WHEEL, "w") as archive:
        archive.writestr("demo/__init__.py", b"")
    with zipfile.ZipFile(tmp_path / WHEEL) as archive, pytest.raises(SystemExit, match="0 RECORD"):
        pinned_wheel.record_hashes(archive)
