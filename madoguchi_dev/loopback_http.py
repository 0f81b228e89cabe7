"""The HTTP server the loopback LINE API and the preview listen with."""

from __future__ import annotations

import socket
from http.server import ThreadingHTTPServer
from typing import Any


class LoopbackHTTPServer(ThreadingHTTPServer):
    """A thread per connection, answers sent at once, and room for bursts of connections.

    Without TCP_NODELAY a small answer written after its headers waits for the client's delayed
    ACK (about 40 ms a request on Linux); the default listen backlog of 5 resets connections
    when a few dozen clients connect at once.
    """

    daemon_threads = True
    request_queue_size = 128

    def get_request(self) -> tuple[socket.socket, Any]:
        connection, address = super().get_request()
        connection.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        return connection, address
