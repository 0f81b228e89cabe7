"""List published FAQ index versions, or make an earlier one live again, rich menus included.

python scripts/rollback.py --list --bucket madoguchi-prod-123456789012-ap-northeast-1-1a2b3c4d
python scripts/rollback.py 20260401-000503-1a2b3c4d --bucket madoguchi-prod-... \
    --token-parameter /madoguchi/prod/line/access-token
python scripts/rollback.py --list --local-dir .local/bucket

The rich menus follow the version: the menu that version published is deployed again when it
differs from the live one (the access token is read from the SSM parameter named by
--token-parameter or MADOGUCHI_CHANNEL_TOKEN_PARAM, or LINE_CHANNEL_ACCESS_TOKEN). Without a
token the answers go back and the menus stay as they are, which the script says.
"""

from __future__ import annotations

import argparse
import os
import sys
from dataclasses import replace
from pathlib import Path

from madoguchi.config import Config
from madoguchi.publish import PublishedIndexError, VersionRecord, VersionStore
from madoguchi.publish.upload_report import japan_time
from madoguchi.wiring import rich_menu_hook, storage_for


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description="公開した FAQ の版を一覧し、前の版に戻します。")
    parser.add_argument("version", nargs="?", help="戻したい版(--list で確かめられます)")
    parser.add_argument("--list", action="store_true", help="版の一覧を表示する")
    where = parser.add_mutually_exclusive_group()
    where.add_argument("--bucket", help="S3 バケット(省略時は MADOGUCHI_BUCKET)")
    where.add_argument("--local-dir", type=Path, help="バケットの代わりに使うフォルダー")
    parser.add_argument(
        "--token-parameter",
        default=os.environ.get("MADOGUCHI_CHANNEL_TOKEN_PARAM"),
        help="LINE のアクセストークンを入れた SSM パラメータ名(メニューも戻すため)",
    )
    parser.add_argument("--line-api-base", help="LINE APIの代わりに使うURL(ローカル確認用)")
    return parser.parse_args(argv)


def print_versions(versions: list[VersionRecord], live: str | None) -> None:
    """Newest first; the live one is marked."""
    if not versions:
        print("公開した版はまだありません。")
        return
    for v in versions:
        hit1 = v.tests.get("hit@1")
        current = v.version == live
        print(f"{'*' if current else ' '} {v.version}{'  (公開中)' if current else ''}")
        learned = v.counts.get("learned_phrasings")
        print(
            f"    作成: {japan_time(v.built_at)}  FAQ {v.counts.get('published_faqs', 0)}件  "
            f"テスト1位正解 {'-' if hit1 is None else f'{hit1:.0%}'}"
            + ("" if learned is None else f"  住民の言葉から学んだ言い換え {learned}件")
        )
        print(f"    元のファイル: {v.source.key}  チェックサム: {v.checksum[:12]}")
    print("\n* が今、住民のみなさんへの回答に使われている版です。")


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    if args.bucket:
        config = Config(bucket_name=args.bucket)
    elif args.local_dir:
        config = Config(local_dir=args.local_dir)
    else:
        config = Config.from_env()
    config = replace(
        config,
        channel_token_param=args.token_parameter or config.channel_token_param,
        line_api_base=args.line_api_base or config.line_api_base,
    )
    store = VersionStore(storage_for(config), config.index_prefix)
    if args.list or not args.version:
        live = store.pointer()
        print_versions(store.versions(), live.version if live else None)
        return 0
    try:
        pointer = store.rollback(args.version)
    except KeyError:
        print(f"版 {args.version} は見つかりませんでした。--list で一覧を確かめてください。")
        return 1
    except PublishedIndexError as error:
        print(f"版 {args.version} には戻せません(データが欠けています): {error}")
        return 1
    faqs, source = pointer.counts.get("published_faqs", 0), pointer.source.key
    print(f"版 {pointer.version} に戻しました(FAQ {faqs} 件、元のファイル {source})。")
    learned = store.learned(pointer.version)
    if learned:
        print(f"この版は、住民の言葉から学んだ言い換え {len(learned)} 件を使います。")
    print("LINE の回答は 1 分ほどで切り替わります。")
    return _menus_back(store, pointer, config)


def _menus_back(store: VersionStore, pointer, config: Config) -> int:
    """Deploy the rich menu of the version now live (nothing when it is the same)."""
    token = os.environ.get("LINE_CHANNEL_ACCESS_TOKEN")
    hook = rich_menu_hook(store.storage, config, (lambda: token) if token else None)
    if hook is None:
        print(
            "メニューはそのままです(戻すには --token-parameter でアクセストークンの"
            " SSM パラメータ名を指定して、もう一度実行してください)。"
        )
        return 0
    index = store.load_index(pointer)
    if index is None:
        print("メニューはそのままです(この版の索引を読めませんでした)。")
        return 1
    outcome = hook(index)
    print(outcome.get("message", ""))
    return 0 if outcome.get("status") != "failed" else 1


if __name__ == "__main__":
    sys.exit(main())
