"""A webhook receiver that flaps: slow answers, 500s and connection resets, at random.

Each request draws its fate from a seeded generator: answered 200, answered
500, answered 200 after a delay, or reset without an answer (SO_LINGER 0,
so the sender sees a connection reset). Every arrival is recorded with its
`webhook-id` header, its body and its fate, so a test can tell what was
acknowledged and what was not. Loopback only, port 0.
"""
from __future__ import annotations

import json
import random
import socket
import struct
import threading
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

HOST = "127.0.0.1"
FATES = ("ok", "error", "slow", "reset")


@dataclass(frozen=True)
class Arrival:
    webhook_id_header: str
    body: dict
    fate: str


class FlappingReceiver:
    """`with FlappingReceiver(weights=(6, 2, 1, 1)) as hook:`; `hook.url` is where to send."""

    def __init__(self, weights: tuple[int, int, int, int] = (6, 2, 1, 1), slow: float = 0.5, seed: int = 12) -> None:
        self.weights, self.slow = weights, slow
        self._random = random.Random(seed)
        self._lock = threading.Lock()
        self.arrivals: list[Arrival] = []
        self._server = ThreadingHTTPServer((HOST, 0), _handler_for(self))
        self._server.daemon_threads = True
        self._thread = threading.Thread(target=self._server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)

    @property
    def url(self) -> str:
        return f"http://{HOST}:{self._server.server_address[1]}/hook"

    def __enter__(self) -> FlappingReceiver:
        self._thread.start()
        return self

    def __exit__(self, *exc_info: object) -> None:
        self._server.shutdown()
        self._server.server_close()

    def acknowledged(self) -> list[Arrival]:
        with self._lock:
            return [arrival for arrival in self.arrivals if arrival.fate in ("ok", "slow")]

    def _draw(self, header: str, body: dict) -> str:
        with self._lock:
            fate = self._random.choices(FATES, weights=self.weights)[0]
            self.arrivals.append(Arrival(header, body, fate))
            return fate


def _handler_for(receiver: FlappingReceiver) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:  # the name http.server calls
            body = json.loads(self.rfile.read(int(self.headers.get("Content-Length", 0))) or b"{}")
            fate = receiver._draw(self.headers.get("webhook-id", ""), body)
            if fate == "reset":
                self.connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
                self.close_connection = True
                self.connection.close()
                return
            if fate == "slow":
                threading.Event().wait(receiver.slow)
            self.send_response(500 if fate == "error" else 200)
            self.send_header("Content-Length", "0")
            self.end_headers()

        def log_message(self, format: str, *args: object) -> None:  # noqa: A002 - quiet
            return None

    return Handler
