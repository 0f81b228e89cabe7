"""Burst benchmark: many residents writing at once, on loopback, with real signed webhook requests.

The local preview's stack (the sample workbook published by the indexer handler, the webhook
handler with its SQLite state and search log, the loopback LINE API) behind a loopback HTTP
endpoint standing in for API Gateway. `--clients` threads, each a resident's phone keeping its
connection open, send `--requests` signed text events in all (a bounded run) as fast as they are
answered. One process is one Lambda instance: the handler answers one request at a time, the
others wait in line, as they would for a free instance. Printed: requests per second, latency
p50/p99 as the clients saw it, and errors (a status other than 200, a reply LINE did not accept,
or a failed connection; the target is 0).

    python scripts/bench_burst.py [--clients 32] [--requests 2000]
"""

from __future__ import annotations

import argparse
import contextlib
import http.client
import json
import os
import statistics
import sys
import tempfile
import threading
import time
from http.server import BaseHTTPRequestHandler
from pathlib import Path

from madoguchi_dev import lambda_runtime, line_events
from madoguchi_dev.loopback_http import LoopbackHTTPServer
from madoguchi_dev.preview.server import Preview, PreviewPaths

ROOT = Path(__file__).resolve().parent.parent
REPLY = "/v2/bot/message/reply"
QUESTIONS = (
    "粗大ごみの出し方を教えて",
    "住民票をコンビニで取りたい",
    "児童手当の申請はどこで",
    "避難所はどこですか",
    "マイナンバーカードをなくした",
    "台風で屋根が壊れた",
    "ごみの収集日はいつ",
    "国民健康保険に入りたい",
)


def gateway(preview: Preview) -> LoopbackHTTPServer:
    """POST /webhook -> the webhook handler, as API Gateway invokes it (one at a time)."""

    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"  # keep-alive, as LINE's servers use it

        def do_POST(self) -> None:
            body = self.rfile.read(int(self.headers.get("content-length", 0))).decode()
            headers = {k.lower(): v for k, v in self.headers.items()}
            event = lambda_runtime.http_api_event(body, headers)
            with preview._webhook_lock:  # one Lambda instance answers one request at a time
                result = preview.webhook.lambda_handler(
                    event, lambda_runtime.LocalContext("webhook")
                )
            answer = str(result.get("body", "")).encode()
            self.send_response(int(result["statusCode"]))
            self.send_header("content-length", str(len(answer)))
            self.end_headers()
            self.wfile.write(answer)

        def log_message(self, *args: object) -> None:
            pass

    server = LoopbackHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server


def resident(
    preview: Preview, port: int, count: int, number: int, results: list[tuple[float, int]]
) -> None:
    """One phone: `count` questions, one after another, on one kept-alive connection."""
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    user = f"U{number:032x}"
    for n in range(count):
        token = preview.line.issue_reply_token()
        event = line_events.text_event(
            QUESTIONS[(number + n) % len(QUESTIONS)], user_id=user, reply_token=token
        )
        body = line_events.webhook_body([event], preview.bot_id)
        headers = {
            "content-type": "application/json; charset=utf-8",
            "x-line-signature": line_events.sign(body, preview.channel_secret),
        }
        started = time.perf_counter()
        try:
            connection.request("POST", "/webhook", body.encode(), headers)
            response = connection.getresponse()
            response.read()
            status = response.status
        except (OSError, http.client.HTTPException):
            status = 0
            connection.close()
            connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        results.append(((time.perf_counter() - started) * 1000, status))
    connection.close()


def run(clients: int, requests: int) -> dict[str, float]:
    """Start the stack, send the burst, and sum it up."""
    with tempfile.TemporaryDirectory(prefix="madoguchi-burst-") as folder:
        paths = PreviewPaths(repo=ROOT, workbook=ROOT / "faq" / "faq.xlsx", data=Path(folder))
        preview = Preview(paths)
        preview.start()
        server = gateway(preview)
        try:
            results: list[tuple[float, int]] = []
            share = [requests // clients + (i < requests % clients) for i in range(clients)]
            threads = [
                threading.Thread(
                    target=resident, args=(preview, server.server_address[1], n, i, results)
                )
                for i, n in enumerate(share)
            ]
            started = time.perf_counter()
            for thread in threads:
                thread.start()
            for thread in threads:
                thread.join()
            elapsed = time.perf_counter() - started
            replies = [r for r in preview.line.received if r.path == REPLY]
        finally:
            server.shutdown()
            preview.line.stop()
    latencies = sorted(ms for ms, _ in results)
    failed = sum(status != 200 for _, status in results)
    refused = sum(r.status != 200 for r in replies)
    missing = max(0, len(results) - len(replies))
    return {
        "requests": len(results),
        "per_second": len(results) / elapsed,
        "p50_ms": statistics.median(latencies),
        "p99_ms": latencies[min(len(latencies) - 1, int(0.99 * len(latencies)))],
        "errors": failed + refused + missing,
    }


def main(argv: list[str] | None = None) -> int:
    """Print the table."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--clients", type=int, default=32)
    parser.add_argument("--requests", type=int, default=2000)
    args = parser.parse_args(argv)
    if not 1 <= args.requests <= 9000:
        parser.error("--requests: 1 to 9000 (the loopback LINE API keeps the last 10,000)")
    from scripts.bench import machine, print_table

    # The handlers' JSON logs and metrics would drown the table: they go nowhere during the run.
    with open(os.devnull, "w") as nowhere, contextlib.redirect_stdout(nowhere):
        figures = run(max(1, args.clients), args.requests)
    row = {
        "clients": args.clients,
        "requests": figures["requests"],
        "requests/s": f"{figures['per_second']:.0f}",
        "p50 / p99 ms": f"{figures['p50_ms']:.0f} / {figures['p99_ms']:.0f}",
        "errors": figures["errors"],
    }
    print_table(f"Burst on loopback: sample workbook, one process ({machine()})", [row])
    print(json.dumps(figures), file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
