"""scripts/richmenu.py as DevOps run it: preview PNGs, deploy to the loopback LINE API."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from PIL import Image

from madoguchi.richmenu.staff_menu import staff_languages
from madoguchi_dev.line_api import LineApiServer

ROOT = Path(__file__).resolve().parents[2]
SCRIPT = ROOT / "scripts" / "richmenu.py"
WORKBOOK = ROOT / "faq" / "faq.xlsx"
TOKEN = "cli-token"


def run(*args: str, token: str | None = TOKEN) -> subprocess.CompletedProcess[str]:
    env = {
        k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "LINE_CHANNEL_ACCESS_TOKEN")
    }
    env["PYTHONIOENCODING"] = "utf-8"
    if token:
        env["LINE_CHANNEL_ACCESS_TOKEN"] = token
    return subprocess.run(
        [sys.executable, str(SCRIPT), *args],
        capture_output=True,
        text=True,
        encoding="utf-8",
        timeout=120,
        env=env,
        cwd=ROOT,
        check=False,
    )


@pytest.fixture
def line():
    server = LineApiServer(access_token=TOKEN).start()
    yield server
    server.stop()


def test_preview_writes_one_png_per_tab_of_the_sample_workbook(tmp_path):
    result = run("preview", "--workbook", str(WORKBOOK), "--out", str(tmp_path))

    assert result.returncode == 0, result.stderr
    files = sorted(tmp_path.glob("richmenu-tab*.png"))
    assert len(files) >= 2
    for path in files:
        with Image.open(path) as image:
            assert image.size == (2500, 1686)
        assert path.stat().st_size < 1_000_000
        assert str(path) in result.stdout
    staff = tmp_path / "richmenu-staff.png"
    with Image.open(staff) as image:
        assert image.size == (2500, 843)
    assert "職員対応中" in result.stdout
    # Every language's 職員対応中 menu, translated tabs or not.
    for language in staff_languages():
        with Image.open(tmp_path / f"richmenu-{language}-staff.png") as image:
            assert image.size == (2500, 843)
    assert "직원 연결 중" in result.stdout


def test_deploy_then_nothing_to_do_until_forced(line):
    first = run("deploy", "--workbook", str(WORKBOOK), "--line-api-base", line.url)
    assert first.returncode == 0, first.stderr
    assert "メニューを反映しました" in first.stdout
    menus = set(line.rich_menus.menus)
    assert line.rich_menus.default in menus
    count = len(line.received)

    again = run("deploy", "--workbook", str(WORKBOOK), "--line-api-base", line.url)
    assert again.returncode == 0 and "変わっていません" in again.stdout
    assert {r.method for r in line.received[count:]} == {"GET"}  # only looked

    forced = run("deploy", "--force", "--workbook", str(WORKBOOK), "--line-api-base", line.url)
    assert forced.returncode == 0 and "古いメニューを" in forced.stdout
    assert not set(line.rich_menus.menus) & menus  # all replaced


def test_deploy_without_a_token_is_a_usage_error(line):
    result = run("deploy", "--workbook", str(WORKBOOK), "--line-api-base", line.url, token=None)
    assert result.returncode == 2
    assert "LINE_CHANNEL_ACCESS_TOKEN" in result.stderr
    assert line.received == []


def test_deploy_that_line_refuses_exits_1_and_says_the_old_menu_stays(line):
    line.rich_menus.fail_on("POST", r"/content$", 500)
    result = run("deploy", "--workbook", str(WORKBOOK), "--line-api-base", line.url)
    assert result.returncode == 1
    assert "前のメニューのまま" in result.stderr
    assert line.rich_menus.menus == {}
