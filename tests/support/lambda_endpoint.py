"""A loopback stand-in for Lambda's Invoke API, so a real boto3 client (endpoint_url) can call a
handler function of the test's choosing, with real HTTP and real serialisation."""

from __future__ import annotations

import json
import re
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import boto3

INVOKE_PATH = re.compile(r"^/2015-03-31/functions/([^/]+)/invocations$")
# (function name, event) -> (function error or None, answer)
Handler = Callable[[str, Any], tuple[str | None, Any]]


class LambdaEndpoint:
    """Records every invocation; `in_flight_peak` is the most invocations seen at once."""

    def __init__(self, handler: Handler) -> None:
        self.handler = handler
        self.calls: list[tuple[str, Any]] = []
        self.in_flight = 0
        self.in_flight_peak = 0
        self._lock = threading.Lock()
        self.server = ThreadingHTTPServer(("127.0.0.1", 0), self._request_handler())
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"

    def client(self, **config: Any) -> Any:
        """A real boto3 Lambda client pointed here, with the project's botocore config."""
        from madoguchi.adapters.aws import client_config

        return boto3.client(
            "lambda",
            endpoint_url=self.url,
            region_name="ap-northeast-1",
            aws_access_key_id="testing",
            aws_secret_access_key="testing",
            config=client_config(**config),
        )

    def _request_handler(self) -> type[BaseHTTPRequestHandler]:
        endpoint = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                match = INVOKE_PATH.match(self.path)
                body = self.rfile.read(int(self.headers.get("content-length") or 0))
                if not match:
                    self.send_error(404)
                    return
                name, event = match.group(1), json.loads(body)
                with endpoint._lock:
                    endpoint.calls.append((name, event))
                    endpoint.in_flight += 1
                    endpoint.in_flight_peak = max(endpoint.in_flight_peak, endpoint.in_flight)
                try:
                    error, answer = endpoint.handler(name, event)
                finally:
                    with endpoint._lock:
                        endpoint.in_flight -= 1
                data = json.dumps(answer).encode()
                self.send_response(200)
                self.send_header("content-type", "application/json")
                self.send_header("content-length", str(len(data)))
                if error:
                    self.send_header("X-Amz-Function-Error", error)
                self.end_headers()
                self.wfile.write(data)

            def log_message(self, format: str, *args: Any) -> None:
                pass

        return Handler


@contextmanager
def lambda_endpoint(handler: Handler) -> Iterator[LambdaEndpoint]:
    """A running endpoint, shut down afterwards."""
    endpoint = LambdaEndpoint(handler)
    thread = threading.Thread(target=endpoint.server.serve_forever, daemon=True)
    thread.start()
    try:
        yield endpoint
    finally:
        endpoint.server.shutdown()
        endpoint.server.server_close()
        thread.join()
