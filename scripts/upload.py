"""Save an FAQ workbook into the upload folder, after checking it here first.

  python scripts/upload.py faq/faq.xlsx --bucket madoguchi-prod-123456789012-ap-northeast-1
  python scripts/upload.py faq/faq.xlsx --local-dir .local/bucket   # publishes right here

With --bucket the indexer in AWS publishes it within seconds; this script waits for its report.
With --local-dir there is no Lambda, so the script publishes it itself.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

from madoguchi.adapters.notifier import RecordingNotifier
from madoguchi.adapters.storage import LocalStorage, S3Storage
from madoguchi.config import Config
from madoguchi.publish import Upload, publish_upload
from madoguchi.workbook import format_report_ja, validate_workbook

XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description="FAQ のワークブックを確認してから保存します。")
    parser.add_argument("path", type=Path, help="ワークブック (.xlsx)")
    where = parser.add_mutually_exclusive_group()
    where.add_argument("--bucket", help="保存先の S3 バケット(省略時は MADOGUCHI_BUCKET)")
    where.add_argument("--local-dir", type=Path, help="バケットの代わりに使うフォルダー")
    parser.add_argument("--force", action="store_true", help="直すべき点があっても保存する")
    parser.add_argument(
        "--wait", type=float, default=90, help="S3 のとき結果を待つ秒数 (0: 待たない)"
    )
    return parser.parse_args(argv)


def config_for(args: argparse.Namespace) -> Config:
    """Bucket or folder from the flags, else from MADOGUCHI_* variables."""
    if args.bucket:
        return Config(bucket_name=args.bucket)
    if args.local_dir:
        return Config(local_dir=args.local_dir)
    return Config.from_env()


def check(path: Path, data: bytes, force: bool) -> bool:
    """Validate here and print what staff need to know; False means do not upload."""
    result = validate_workbook(data, filename=path.name)
    print(format_report_ja(result).rstrip())
    if result.ok and result.workbook is not None:
        faqs = len(result.workbook.published_faqs)
        print(f"\n確認できました(公開する FAQ {faqs} 件)。保存します。")
        return True
    print(f"\n直す必要がある点が {len(result.errors)} 件あります。保存しても公開されません。")
    if force:
        print("--force が指定されたため、このまま保存します。")
    return force


def wait_for_report(storage: S3Storage, config: Config, key: str, seconds: float) -> int:
    """Poll the report folder for this upload's report and print it."""
    info = storage.head(key)
    if info is None:
        print(f"{key} が見つかりませんでした。もう一度保存してください。")
        return 2
    upload = Upload(key, info.version_id, info.etag, "")
    suffix = f"_{upload.upload_id[:8]}.txt"
    print(f"インデックス作成の結果を待っています(最大 {seconds:.0f} 秒)…")
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        found = [k for k in storage.list(config.report_prefix) if k.endswith(suffix)]
        text = storage.get(found[-1]) if found else None
        body = storage.get(found[-1][: -len(".txt")] + ".json") if found else None
        if text is not None and body is not None:
            print(text.decode("utf-8-sig"))
            report = json.loads(body)
            return 0 if report["status"] in ("published", "duplicate") else 1
        time.sleep(2)
    print(f"まだ結果が出ていません。しばらくして {config.report_prefix}latest.txt をご覧ください。")
    return 2


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    if args.path.suffix.lower() != ".xlsx":
        print(
            f"{args.path.name} は .xlsx ではありません。Excel ブック (.xlsx) で保存してください。"
        )
        return 2
    try:
        data = args.path.read_bytes()
    except OSError as error:
        print(f"ファイルを読めませんでした: {error}")
        return 2
    config = config_for(args)
    if not check(args.path, data, args.force):
        return 1
    key = config.upload_prefix + args.path.name
    if config.local_dir:
        folder = LocalStorage(config.local_dir)
        folder.put(key, data, XLSX_TYPE)
        notifier = RecordingNotifier()
        report = publish_upload(folder, key, notifier=notifier, config=config)
        print(f"\n件名: {report.subject()}\n")
        print(report.text())
        return 0 if report.status in ("published", "duplicate") else 1
    storage = S3Storage(str(config.bucket_name))  # Config has a bucket when not a folder
    storage.put(key, data, XLSX_TYPE)
    print(f"s3://{config.bucket_name}/{key} に保存しました。")
    return wait_for_report(storage, config, key, args.wait) if args.wait > 0 else 0


if __name__ == "__main__":
    sys.exit(main())
