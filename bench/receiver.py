"""A webhook receiver on loopback that answers 200 and notes when each body arrived.

HTTP/1.1 with a Content-Length on every answer, so senders keep their
connections alive as they would with a real receiver; TCP_NODELAY, so an
answer is not held back waiting for an ACK.
"""
from __future__ import annotations

import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


class Receiver:
    """`with Receiver() as receiver:` serves on 127.0.0.1 at a free port."""

    def __init__(self) -> None:
        self.receipts: list[tuple[float, bytes]] = []  # (wall clock, body)
        self._arrived = threading.Condition()
        self._server = ThreadingHTTPServer(("127.0.0.1", 0), _handler_for(self))
        self._server.daemon_threads = True
        self._thread = threading.Thread(target=self._server.serve_forever, name="bench-receiver", daemon=True)

    def __enter__(self) -> Receiver:
        self._thread.start()
        return self

    def __exit__(self, *_exc: object) -> None:
        self._server.shutdown()
        self._server.server_close()

    def url(self, path: str = "/") -> str:
        return f"http://127.0.0.1:{self._server.server_address[1]}{path}"

    def note(self, body: bytes) -> None:
        with self._arrived:
            self.receipts.append((time.time(), body))
            self._arrived.notify_all()

    def wait_for(self, count: int, timeout: float) -> bool:
        """True once `count` bodies have arrived; False when `timeout` seconds passed first."""
        with self._arrived:
            return self._arrived.wait_for(lambda: len(self.receipts) >= count, timeout)

    def take(self) -> list[tuple[float, bytes]]:
        """What arrived so far, forgetting it."""
        with self._arrived:
            taken, self.receipts = self.receipts, []
        return taken


def _handler_for(receiver: Receiver) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"
        # Headers and body go out in two writes: with Nagle on, the second waits
        # for the client's delayed ACK (40 ms on Linux), which would be the figure.
        disable_nagle_algorithm = True

        def do_POST(self) -> None:  # the http.server name
            receiver.note(self.rfile.read(int(self.headers.get("Content-Length", 0))))
            self.send_response(200)
            self.send_header("Content-Length", "2")
            self.end_headers()
            self.wfile.write(b"ok")

        def log_message(self, *_args: object) -> None:
            """Quiet: thousands of requests would bury the figures."""

    return Handler
