"""Run Madoguchi on this machine: a LINE-like chat page at http://127.0.0.1:8000 (no AWS, no LINE).

python scripts/preview.py [--port 8000] [--workbook faq/faq.xlsx]
"""

from __future__ import annotations

import argparse
import io
import os
import sys
from pathlib import Path

from madoguchi_dev.preview.guard import RequestGuard, is_loopback
from madoguchi_dev.preview.server import PortInUseError, Preview, PreviewPaths, serve

REPO = Path(__file__).resolve().parent.parent


def main(argv: list[str] | None = None) -> int:
    """Start the preview and serve until Ctrl-C."""
    parser = argparse.ArgumentParser(description="窓口をこのパソコンで動かします(LINE・AWS不要)")
    parser.add_argument("--host", default="127.0.0.1", help="待ち受けるアドレス")
    parser.add_argument(
        "--port", type=int, default=int(os.environ.get("MADOGUCHI_PORT", "8000")), help="ポート番号"
    )
    parser.add_argument("--workbook", type=Path, default=REPO / "faq" / "faq.xlsx")
    parser.add_argument("--data-dir", type=Path, default=REPO / ".local" / "preview")
    args = parser.parse_args(argv)
    # Each line as it happens, also when the output goes to a pipe or a log file.
    if isinstance(sys.stdout, io.TextIOWrapper):
        sys.stdout.reconfigure(line_buffering=True)

    if not args.workbook.is_file():
        print(f"ワークブックが見つかりません: {args.workbook}", file=sys.stderr)
        return 2
    preview = Preview(PreviewPaths(repo=REPO, workbook=args.workbook, data=args.data_dir))
    guard = RequestGuard.for_host(args.host)
    if not is_loopback(args.host):
        print(
            f"注意: --host {args.host} で起動すると、同じネットワークのほかのパソコンからも"
            "このプレビューに届きます。住民の個人情報を入れないでください。\n"
            "  起動後に表示される URL(合言葉つき)を開いた人だけが使えます。"
            "URL を人に見せないでください。\n"
            f"Warning: --host {args.host} exposes the preview beyond this machine; "
            "only the URL printed below (with its token) opens it.",
            file=sys.stderr,
        )
    try:
        server = serve(preview, args.host, args.port, guard)
    except PortInUseError:
        print(
            f"ポート {args.port} はほかのプログラムが使っています。"
            f"--port で別の番号を指定してください(例: --port {args.port + 1})。\n"
            f"Port {args.port} is already in use; choose another with --port.",
            file=sys.stderr,
        )
        return 1
    try:
        # The page answers at once (「準備中」) while the workbook is published in a thread; the
        # sample's passage vectors come with the repository, so its first publish takes seconds.
        # Another workbook embeds its new passages once, with progress here and on the page.
        preview.start_in_background()
        host, port = server.server_address[:2]
        print(f"窓口プレビューを起動しました: {guard.url(str(host), int(port))}")
        print(f"  {args.workbook.name} を公開しています(ページには「準備中」と表示されます)…")
        print(f"  ワークブック: {args.workbook}(保存すると自動で公開し直します)")
        print(f"  データフォルダ: {args.data_dir}(消してもかまいません)")
        print("  止めるときは Ctrl-C を押してください。")
        server.serve_forever(poll_interval=0.2)
    except KeyboardInterrupt:
        print("\n窓口プレビューを止めました。")
    finally:
        server.server_close()
        preview.stop()
    return 0


if __name__ == "__main__":
    sys.exit(main())
