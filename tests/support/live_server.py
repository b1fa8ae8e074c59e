"""The Patrol app over real loopback HTTP, served by waitress in a thread.

Where the Flask test client calls the app in-process, this lets the app be
called the way Slack, a browser or the bot's own API client calls it: over
a socket. `with LiveServer(app) as live:` serves until the block ends;
`live.base_url` is `http://127.0.0.1:PORT`. The `live_server` fixture
serves the test's `app`.
"""
from __future__ import annotations

import threading
from collections.abc import Iterator

import pytest
from flask import Flask
from waitress import create_server, wasyncore

HOST = "127.0.0.1"
POLL = 0.05  # how quickly the loop notices it should stop


class LiveServer:
    def __init__(self, app: Flask, threads: int = 4) -> None:
        # Our own socket map, so the serving thread can close every connection when it stops.
        self._map: dict = {}
        self._server = create_server(app, map=self._map, host=HOST, port=0, threads=threads, ident="Patrol-test")
        self._stopping = threading.Event()
        self._thread = threading.Thread(target=self._serve, name="live-server", daemon=True)

    @property
    def base_url(self) -> str:
        return f"http://{HOST}:{self._server.effective_port}"

    def __enter__(self) -> LiveServer:
        self._thread.start()
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    def close(self) -> None:
        self._stopping.set()
        self._thread.join(timeout=10)

    def _serve(self) -> None:
        while not self._stopping.is_set():
            wasyncore.loop(timeout=POLL, map=self._map, count=1)
        wasyncore.close_all(self._map)
        self._server.task_dispatcher.shutdown(cancel_pending=True, timeout=5)


@pytest.fixture
def live_server(app: Flask) -> Iterator[LiveServer]:
    """The test's app on a loopback port for the length of the test."""
    with LiveServer(app) as live:
        yield live
