"""scripts/upload.py and scripts/rollback.py against a local folder standing in for the bucket."""

import json
import runpy
from pathlib import Path

from madoguchi.adapters.storage import LocalStorage
from madoguchi.config import Config
from madoguchi.publish import VersionStore
from tests.support.workbooks import duplicate_id_rows, sample_faqs, sample_workbook

ROOT = Path(__file__).resolve().parents[2]
upload = runpy.run_path(str(ROOT / "scripts" / "upload.py"), run_name="upload")
rollback = runpy.run_path(str(ROOT / "scripts" / "rollback.py"), run_name="rollback")


def test_upload_publishes_locally_and_rollback_lists_and_restores(tmp_path, capsys):
    bucket = tmp_path / "bucket"
    first, second = tmp_path / "よくある質問.xlsx", tmp_path / "faq.xlsx"
    first.write_bytes(sample_workbook())
    changed = sample_faqs()
    changed[0][5] = "粗大ごみの受付は終了しました。"
    second.write_bytes(sample_workbook(changed))

    assert upload["main"]([str(first), "--local-dir", str(bucket)]) == 0
    assert "公開しました" in capsys.readouterr().out
    config = Config(local_dir=bucket)
    storage = LocalStorage(bucket)
    first_version = VersionStore(storage, config.index_prefix).pointer().version
    assert upload["main"]([str(second), "--local-dir", str(bucket)]) == 0
    capsys.readouterr()

    assert rollback["main"](["--list", "--local-dir", str(bucket)]) == 0
    listing = capsys.readouterr().out
    assert listing.index("uploads/faq.xlsx") < listing.index("uploads/よくある質問.xlsx")
    assert "(公開中)" in listing

    assert rollback["main"]([first_version, "--local-dir", str(bucket)]) == 0
    assert f"版 {first_version} に戻しました" in capsys.readouterr().out
    assert "処理券" in VersionStore(storage, config.index_prefix).load_index().faq("F001").answer


def test_upload_stops_on_a_broken_workbook_unless_forced(tmp_path, capsys):
    bucket = tmp_path / "bucket"
    broken = tmp_path / "faq.xlsx"
    broken.write_bytes(sample_workbook(duplicate_id_rows()))

    assert upload["main"]([str(broken), "--local-dir", str(bucket)]) == 1
    out = capsys.readouterr().out
    assert "保存しても公開されません" in out
    assert not (bucket / "uploads").exists()

    assert upload["main"]([str(broken), "--local-dir", str(bucket), "--force"]) == 1
    latest = json.loads((bucket / "reports" / "latest.json").read_text(encoding="utf-8"))
    assert latest["status"] == "refused"
    assert VersionStore(LocalStorage(bucket), "indexes/").pointer() is None


def test_upload_refuses_a_file_that_is_not_xlsx(tmp_path, capsys):
    csv = tmp_path / "faq.csv"
    csv.write_text("ID,質問\n", encoding="utf-8")
    assert upload["main"]([str(csv), "--local-dir", str(tmp_path / "b")]) == 2
    assert ".xlsx ではありません" in capsys.readouterr().out


def test_rollback_to_an_unknown_version_says_so(tmp_path, capsys):
    assert rollback["main"](["20990101-000000-deadbeef", "--local-dir", str(tmp_path)]) == 1
    assert "見つかりませんでした" in capsys.readouterr().out


def test_rollback_brings_the_versions_rich_menu_back_too(tmp_path, capsys, monkeypatch):
    from madoguchi.richmenu.sync import recorded_state
    from madoguchi_dev.line_api import LineApiServer

    bucket = tmp_path / "bucket"
    first, second = tmp_path / "first.xlsx", tmp_path / "second.xlsx"
    first.write_bytes(sample_workbook())
    second.write_bytes(sample_workbook(city="月見台市"))
    config = Config(local_dir=bucket)
    store = VersionStore(LocalStorage(bucket), config.index_prefix)
    assert upload["main"]([str(first), "--local-dir", str(bucket)]) == 0
    first_version = store.pointer().version
    assert upload["main"]([str(second), "--local-dir", str(bucket)]) == 0
    capsys.readouterr()

    with LineApiServer(access_token="rollback-token").start() as line:
        monkeypatch.setenv("LINE_CHANNEL_ACCESS_TOKEN", "rollback-token")
        args = [first_version, "--local-dir", str(bucket), "--line-api-base", line.url]
        assert rollback["main"](args) == 0
        out = capsys.readouterr().out
        assert f"版 {first_version} に戻しました" in out and "メニューを更新しました" in out
        assert line.rich_menus.default in line.rich_menus.menus
        state = recorded_state(store.storage, config)
        assert state is not None
        assert state["menu_hash"] == store.load_index().meta["menu_hash"]

        # The same version again: its menu is already live.
        assert rollback["main"](args) == 0
        assert "メニューは変わっていません" in capsys.readouterr().out


def test_rollback_without_a_token_says_the_menus_stay(tmp_path, capsys, monkeypatch):
    monkeypatch.delenv("LINE_CHANNEL_ACCESS_TOKEN", raising=False)
    monkeypatch.delenv("MADOGUCHI_CHANNEL_TOKEN_PARAM", raising=False)
    bucket = tmp_path / "bucket"
    workbook = tmp_path / "faq.xlsx"
    workbook.write_bytes(sample_workbook())
    assert upload["main"]([str(workbook), "--local-dir", str(bucket)]) == 0
    version = VersionStore(LocalStorage(bucket), "indexes/").pointer().version
    capsys.readouterr()
    assert rollback["main"]([version, "--local-dir", str(bucket)]) == 0
    assert "メニューはそのままです" in capsys.readouterr().out
