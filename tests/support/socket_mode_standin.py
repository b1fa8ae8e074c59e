"""Slack's end of Socket Mode, on loopback, for tests.

It speaks the envelope protocol Slack documents for Socket Mode: on each
WebSocket connection it first sends `hello`; it then sends the envelopes a
test asks for (`events_api`, `slash_commands`, `interactive`), each with a
fresh `envelope_id`, and records the app's acks (`{"envelope_id", "payload"?}`);
`refresh()` sends `disconnect` with `refresh_requested`, after which a
well-behaved client opens a new connection (through `apps.connections.open`)
and gets a new `hello`. The Web API stand-in hands out `url` as the socket
address. Serves on 127.0.0.1 at a free port; `with SocketModeStandin() as s:`.
"""
from __future__ import annotations

import json
import secrets
import threading
import time

from websockets.exceptions import ConnectionClosed
from websockets.sync.server import ServerConnection, serve

HOST = "127.0.0.1"


class SocketModeStandin:
    def __init__(self, app_id: str = "A0PATROL") -> None:
        self.app_id = app_id
        self._server = serve(self._serve_one, HOST, 0)
        self._thread = threading.Thread(target=self._server.serve_forever, name="socket-mode-standin", daemon=True)
        self._changed = threading.Condition()
        self._connections: list[ServerConnection] = []
        self._acks: dict[str, dict] = {}
        self.hellos = 0  # connections greeted so far

    def __enter__(self) -> SocketModeStandin:
        self._thread.start()
        return self

    def __exit__(self, *exc_info: object) -> None:
        self._server.shutdown()
        self._thread.join(10)

    @property
    def url(self) -> str:
        port = self._server.socket.getsockname()[1]
        return f"ws://{HOST}:{port}/link/?ticket={secrets.token_hex(8)}&app_id={self.app_id}"

    def wait_connected(self, hellos: int = 1, timeout: float = 15.0) -> None:
        """Until `hellos` connections have been greeted and one is open."""
        self._wait(lambda: self.hellos >= hellos and self._open(), timeout, f"connection {hellos}")

    def send(self, kind: str, payload: dict, *, accepts_response_payload: bool = False) -> str:
        """One envelope on the newest open connection; its envelope_id."""
        envelope_id = secrets.token_hex(12)
        envelope = {"envelope_id": envelope_id, "type": kind, "payload": payload,
                    "accepts_response_payload": accepts_response_payload, "retry_attempt": 0, "retry_reason": ""}
        self._open()[-1].send(json.dumps(envelope))
        return envelope_id

    def ack(self, envelope_id: str, timeout: float = 15.0) -> dict:
        """The app's ack of an envelope, waiting for it."""
        self._wait(lambda: envelope_id in self._acks, timeout, f"the ack of {envelope_id}")
        return self._acks[envelope_id]

    def refresh(self) -> None:
        """Ask the client to move to a new connection, as Slack does every few hours."""
        self._open()[-1].send(json.dumps({"type": "disconnect", "reason": "refresh_requested",
                                          "debug_info": {"host": "standin"}}))

    def _serve_one(self, connection: ServerConnection) -> None:
        hello = {"type": "hello", "num_connections": 1, "connection_info": {"app_id": self.app_id},
                 "debug_info": {"host": "standin", "build_number": 1, "approximate_connection_time": 3600}}
        connection.send(json.dumps(hello))
        with self._changed:
            self._connections.append(connection)
            self.hellos += 1
            self._changed.notify_all()
        try:
            for message in connection:
                self._received(message)
        except ConnectionClosed:
            pass

    def _received(self, message: str | bytes) -> None:
        data = json.loads(message)
        if isinstance(data, dict) and data.get("envelope_id"):
            with self._changed:
                self._acks[data["envelope_id"]] = data
                self._changed.notify_all()

    def _open(self) -> list[ServerConnection]:
        return [c for c in self._connections if c.state.name == "OPEN"]

    def _wait(self, condition, timeout: float, what: str) -> None:
        deadline = time.monotonic() + timeout
        with self._changed:
            while not condition():
                left = deadline - time.monotonic()
                if left <= 0:
                    raise AssertionError(f"gave up after {timeout:g} s waiting for {what}")
                self._changed.wait(min(left, 0.05))
