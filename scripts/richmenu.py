"""Draw the rich menu from the workbook's `メニュー` sheet, or deploy it to the LINE channel.

`preview` also draws each language the sheet translates the menu into (richmenu-vi-tab1.png …)
and prints how long each language's set of tabs took to draw, and every language's 職員対応中
menu (richmenu-vi-staff.png …), translated tabs or not.

  richmenu.py preview [--workbook faq/faq.xlsx] [--out richmenu-preview/]
  richmenu.py deploy  [--workbook faq/faq.xlsx] [--force] [--line-api-base URL]
                      [--token-parameter SSM_NAME]

The access token comes from LINE_CHANNEL_ACCESS_TOKEN or, with --token-parameter, from SSM.
Exit status: 0 done, 1 the workbook or the deploy failed, 2 usage error.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path

from madoguchi.adapters.line_richmenu import LineRichMenuApi
from madoguchi.clock import utc_now
from madoguchi.model import menu_languages
from madoguchi.notice import default_tab
from madoguchi.richmenu.deploy import RichMenuDeployError, deploy_menu, live_deploy_id
from madoguchi.richmenu.layout import HALF_HEIGHT, WIDTH, MenuLayoutError, layout_menu
from madoguchi.richmenu.render import render_tab
from madoguchi.richmenu.spec import deploy_id
from madoguchi.richmenu.staff_menu import (
    render_staff_menu,
    staff_languages,
    staff_words,
    with_own_wording,
)
from madoguchi.search.index import menu_hash
from madoguchi.workbook import format_report_ja, validate_workbook

DEFAULT_WORKBOOK = Path("faq/faq.xlsx")


def main(argv: list[str] | None = None) -> int:
    """Parse the command line and run preview or deploy."""
    parser = argparse.ArgumentParser(description="リッチメニューの画像を作る/LINEに反映します。")
    commands = parser.add_subparsers(dest="command", required=True)
    preview = commands.add_parser("preview", help="タブごとと職員対応中のPNGを書き出す")
    preview.add_argument("--workbook", type=Path, default=DEFAULT_WORKBOOK)
    preview.add_argument("--out", type=Path, default=Path("richmenu-preview"))
    deploy = commands.add_parser("deploy", help="LINEチャネルにメニューを反映する")
    deploy.add_argument("--workbook", type=Path, default=DEFAULT_WORKBOOK)
    deploy.add_argument("--force", action="store_true", help="変わっていなくても反映する")
    deploy.add_argument("--line-api-base", help="LINE APIの代わりに使うURL(ローカル確認用)")
    deploy.add_argument("--token-parameter", help="アクセストークンを入れたSSMパラメータ名")
    args = parser.parse_args(argv)
    workbook = _read_workbook(parser, args.workbook)
    if workbook is None:
        return 1
    if args.command == "preview":
        return _preview(workbook.menu, args.out, workbook.settings)
    return _deploy(parser, workbook, args)


def _read_workbook(parser: argparse.ArgumentParser, path: Path):
    try:
        data = path.read_bytes()
    except OSError as exc:
        parser.error(f"ファイルを開けません: {path} ({exc.strerror or exc})")
    result = validate_workbook(data, filename=path.name)
    if not result.ok or result.workbook is None:
        print(format_report_ja(result), end="", file=sys.stderr)
        return None
    return result.workbook


def _preview(menu, out: Path, settings=None) -> int:
    try:
        layouts = layout_menu(menu)
    except MenuLayoutError as error:
        print(f"メニューを作れません: {error}", file=sys.stderr)
        return 1
    out.mkdir(parents=True, exist_ok=True)
    print(f"{'tab':<4} {'size':>10} {'bytes':>9} {'ms':>7}  file / name")
    for number, (tab, layout) in enumerate(zip(menu, layouts, strict=True), start=1):
        started = time.perf_counter()
        rendered = render_tab(menu, layout)
        elapsed = (time.perf_counter() - started) * 1000
        path = out / f"richmenu-tab{number}.png"
        path.write_bytes(rendered.png)
        size = f"{layout.width}x{layout.height}"
        shown = f"{number:<4} {size:>10} {len(rendered.png):>9,} {elapsed:>7.0f}"
        print(f"{shown}  {path}  {tab.name}")
    staff, _ = render_staff_menu()
    path = out / "richmenu-staff.png"
    path.write_bytes(staff)
    print(f"{'-':<4} {f'{WIDTH}x{HALF_HEIGHT}':>10} {len(staff):>9,} {'':>7}  {path}  職員対応中")
    for language in menu_languages(menu):
        started = time.perf_counter()
        rendered_set = [render_tab(menu, layout, language) for layout in layouts]
        elapsed = (time.perf_counter() - started) * 1000
        for number, rendered in enumerate(rendered_set, start=1):
            (out / f"richmenu-{language}-tab{number}.png").write_bytes(rendered.png)
        total = sum(len(r.png) for r in rendered_set)
        names = " / ".join(tab.name_in(language) for tab in menu)
        print(f"{language:<4} {len(rendered_set):>4} tabs {total:>9,} {elapsed:>7.0f}  {names}")
    for language in staff_languages():
        translated_staff, _ = render_staff_menu(staff_words(language, settings), language)
        path = out / f"richmenu-{language}-staff.png"
        path.write_bytes(translated_staff)
        print(
            f"{language:<7} {len(translated_staff):>9,}  {path}  {staff_words(language).chat_bar}"
        )
    return 0


def _deploy(parser: argparse.ArgumentParser, workbook, args: argparse.Namespace) -> int:
    menu = workbook.menu
    token = _access_token(parser, args.token_parameter)
    api = LineRichMenuApi(token, host=args.line_api_base)
    current_hash = with_own_wording(menu_hash(tuple(menu)), workbook.settings, menu)
    if not args.force and live_deploy_id(api) == deploy_id(current_hash):
        print("メニューは変わっていません(反映済み)。--force で作り直せます。")
        return 0
    try:
        # The tab an お知らせ active now names opens first, as after a publish.
        first = default_tab(menu, workbook.settings, utc_now())
        deployment = deploy_menu(
            api, menu, current_hash, default_tab=first, settings=workbook.settings
        )
    except (MenuLayoutError, RichMenuDeployError) as error:
        print(f"メニューを反映できませんでした。前のメニューのままです: {error}", file=sys.stderr)
        return 1
    print(f"メニューを反映しました(タブ{len(menu)}つ、deploy {deployment.deploy_id})。")
    if deployment.languages:
        print(f"翻訳したメニュー: {'・'.join(sorted(deployment.languages))}")
    for language in deployment.failed_languages:
        print(f"  {language} のメニューは反映できませんでした(前のまま)。", file=sys.stderr)
    for alias, rich_menu_id in deployment.aliases.items():
        print(f"  {alias} -> {rich_menu_id}")
    if deployment.deleted_menus:
        print(f"古いメニューを{len(deployment.deleted_menus)}つ削除しました。")
    for failure in deployment.cleanup_failures:
        print(f"  後片付けできなかったもの(次回削除します): {failure}", file=sys.stderr)
    return 0


def _access_token(parser: argparse.ArgumentParser, parameter: str | None) -> str:
    if parameter:
        from madoguchi.adapters.secrets import read_access_token

        return read_access_token(parameter)
    token = os.environ.get("LINE_CHANNEL_ACCESS_TOKEN", "").strip()
    if not token:
        parser.error(
            "LINE_CHANNEL_ACCESS_TOKEN か --token-parameter でアクセストークンを渡してください"
        )
    return token


if __name__ == "__main__":
    sys.exit(main())
