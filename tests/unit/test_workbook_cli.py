"""scripts/check_workbook.py run as staff run it: exit 0 publishable, 1 not, 2 usage error."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from tests.support.hostile_workbooks import strings_bomb
from tests.support.workbooks import FAQ_HEADER, faq_row, make_workbook

ROOT = Path(__file__).resolve().parents[2]
SCRIPT = ROOT / "scripts" / "check_workbook.py"


def run(*args: str) -> subprocess.CompletedProcess[str]:
    # No PYTHONPATH: the venv finds the core through its .pth file, exactly as staff run it.
    env = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"}
    env["PYTHONIOENCODING"] = "utf-8"
    return subprocess.run(
        [sys.executable, str(SCRIPT), *args],
        capture_output=True,
        text=True,
        encoding="utf-8",
        timeout=60,
        env=env,
        cwd=ROOT.parent,
        check=False,
    )


def test_publishable_workbook_exits_0_even_with_warnings(tmp_path):
    path = tmp_path / "faq.xlsx"
    rows = [[*FAQ_HEADER, "備考"], [*faq_row(1, "粗大ごみ", "予約です。"), "メモ"]]
    path.write_bytes(make_workbook({"FAQ": rows}))
    done = run(str(path))
    assert done.returncode == 0, done.stderr
    assert "公開できます" in done.stdout
    assert "【確認】FAQシート 1行目 「備考」列 (J1)" in done.stdout


def test_broken_workbook_exits_1_and_names_the_cell(tmp_path):
    path = tmp_path / "faq.xlsx"
    path.write_bytes(make_workbook({"FAQ": [FAQ_HEADER, faq_row(1, "粗大ごみ", "")]}))
    done = run(str(path))
    assert done.returncode == 1
    assert "公開できません" in done.stdout
    assert "FAQシート 2行目 「回答」列 (F2)" in done.stdout


def test_not_a_workbook_exits_1_without_traceback(tmp_path):
    path = tmp_path / "faq.xlsx"
    path.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 1024)
    done = run(str(path))
    assert done.returncode == 1
    assert "古い形式(.xls)" in done.stdout
    assert "Traceback" not in done.stdout + done.stderr


def test_usage_errors_exit_2(tmp_path):
    assert run().returncode == 2
    missing = run(str(tmp_path / "nai.xlsx"))
    assert missing.returncode == 2
    assert "ファイルを開けません" in missing.stderr


def test_a_workbook_of_millions_of_strings_is_refused_with_the_cause(tmp_path):
    path = tmp_path / "faq.xlsx"
    path.write_bytes(strings_bomb())
    done = run(str(path))
    assert done.returncode == 1
    assert "文字列(セルの文章)が多すぎます" in done.stdout
    assert "Traceback" not in done.stdout + done.stderr


def test_a_file_over_the_limit_is_refused_by_its_size(tmp_path):
    path = tmp_path / "faq.xlsx"
    with path.open("wb") as sparse:  # 3 GB on paper, nothing on disk: never read whole
        sparse.truncate(3 * 1024**3)
    done = run(str(path))
    assert done.returncode == 1
    assert "ファイルが大きすぎます(3072.0 MB)" in done.stdout
