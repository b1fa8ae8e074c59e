"""Real HTTP receivers on loopback, for webhook tests.

A `Receiver` binds 127.0.0.1 on a free port, records every request as it
arrives (before answering, so a test can see a request that is still being
held) and answers as the test programs it: a status, headers, a body of any
size, after a delay, or not until it is released (hang). `down()` closes
the listening socket, so connections are refused, and `up()` listens again
on the same port: a receiver that goes away and comes back.

`receivers` is a pytest fixture (a test module imports it); inside it, and
inside `loopback_only()`, a connection off loopback fails. `wait_until`
bounds every wait with a deadline.
"""
from __future__ import annotations

import ipaddress
import json
import socket
import sys
import threading
import time
from collections import deque
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime, timezone
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import TypeVar
from urllib.parse import parse_qsl

import pytest

T = TypeVar("T")
HOST = "127.0.0.1"
FIRST_PAUSE, LONGEST_PAUSE = 0.02, 0.2  # seconds between polls in wait_until


def wait_until(condition: Callable[[], T], timeout: float = 15.0, what: str = "the condition") -> T:
    """Poll `condition` until it returns something truthy, and return that; fail after `timeout` s.

    The pause grows from 20 ms to 200 ms, as a considerate client's would: a quick
    condition is seen at once, and a long wait that polls the API stays within
    its default rate limit (20 a second) on a slow machine.
    """
    deadline = time.monotonic() + timeout
    pause = FIRST_PAUSE
    while True:
        value = condition()
        if value:
            return value
        if time.monotonic() > deadline:
            raise AssertionError(f"gave up after {timeout:g} s waiting for {what}")
        time.sleep(pause)
        pause = min(pause * 1.5, LONGEST_PAUSE)


@dataclass(frozen=True)
class Answer:
    """What a receiver answers to one request. `hang` holds the request until `release()`."""

    status: int = 200
    headers: dict[str, str] = field(default_factory=dict)
    body: bytes = b""
    delay: float = 0.0
    hang: bool = False


@dataclass(frozen=True)
class Request:
    """One request as it arrived; header names are lower case."""

    method: str
    path: str
    headers: dict[str, str]
    body: bytes
    received_at: datetime

    def json(self) -> dict:
        return json.loads(self.body)

    def form(self) -> dict[str, str]:
        return dict(parse_qsl(self.body.decode(), keep_blank_values=True, strict_parsing=True))


class Receiver:
    """`with Receiver() as hook:` serves until the block ends; `hook.url` is where to send."""

    def __init__(self, default: Answer | None = None) -> None:
        self.default = default or Answer()
        self._lock = threading.Lock()
        self._queued: deque[Answer] = deque()
        self._requests: list[Request] = []
        self._open = 0
        self._released = threading.Event()
        self._server: ThreadingHTTPServer | None = None
        self._thread: threading.Thread | None = None
        self.port = 0

    def __enter__(self) -> Receiver:
        self.up()
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    def url(self, path: str = "/hook") -> str:
        return f"http://{HOST}:{self.port}{path}"

    def answer(self, *answers: Answer) -> None:
        """Answer the next requests with these, in order, then with `default` again."""
        with self._lock:
            self._queued.extend(answers)

    @property
    def requests(self) -> list[Request]:
        with self._lock:
            return list(self._requests)

    @property
    def open_requests(self) -> int:
        """Requests that arrived and have not been answered (held, delayed or being written)."""
        with self._lock:
            return self._open

    def wait_for(self, count: int, timeout: float = 15.0) -> list[Request]:
        """The first `count` requests, once that many arrived."""
        wait_until(lambda: len(self.requests) >= count, timeout, f"{count} requests at {self.url()}")
        return self.requests[:count]

    def release(self) -> None:
        """Let every held request, and every later one, be answered."""
        self._released.set()

    def down(self) -> None:
        """Stop listening: connections are refused until `up()`."""
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
            self._thread.join()
            self._server = None

    def up(self) -> None:
        """Listen, on the port this receiver had before if it had one."""
        self._server = ThreadingHTTPServer((HOST, self.port), _handler_for(self))
        self._server.daemon_threads = True
        self.port = self._server.server_address[1]
        # A short poll keeps `down()` quick.
        self._thread = threading.Thread(target=self._server.serve_forever, args=(0.05,), daemon=True)
        self._thread.start()

    def close(self) -> None:
        self.release()
        self.down()

    def _arrived(self, request: Request) -> Answer:
        with self._lock:
            self._requests.append(request)
            self._open += 1
            return self._queued.popleft() if self._queued else self.default

    def _answered(self) -> None:
        with self._lock:
            self._open -= 1

    def _hold(self, answer: Answer) -> None:
        if answer.hang:
            self._released.wait()
        if answer.delay:
            time.sleep(answer.delay)


def _handler_for(receiver: Receiver) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:  # the name http.server calls
            body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
            headers = {name.lower(): value for name, value in self.headers.items()}
            arrived = Request(self.command, self.path, headers, body, datetime.now(timezone.utc))
            answer = receiver._arrived(arrived)  # the receiver's own handler
            try:
                receiver._hold(answer)
                self._send(answer)
            except OSError:
                pass  # the sender gave up (timed out) and closed the connection
            finally:
                receiver._answered()

        do_GET = do_POST  # noqa: N815

        def _send(self, answer: Answer) -> None:
            self.send_response(answer.status)
            for name, value in answer.headers.items():
                self.send_header(name, value)
            self.send_header("Content-Length", str(len(answer.body)))
            self.end_headers()
            self.wfile.write(answer.body)

        def log_message(self, format: str, *args: object) -> None:  # noqa: A002
            return None

    return Handler


# --- keeping tests on loopback ---


class NonLoopbackConnect(Exception):
    """Something in a test tried to connect off this machine; the guard stopped it."""


class _LoopbackGuard:
    """An audit hook that refuses `socket.connect` to any address but loopback while active."""

    def __init__(self) -> None:
        self.active = False
        self.connected: list[ipaddress.IPv4Address | ipaddress.IPv6Address] = []
        sys.addaudithook(self)

    def __call__(self, event: str, args: tuple) -> None:
        if not self.active or event != "socket.connect":
            return
        sock, address = args
        if sock.family not in (socket.AF_INET, socket.AF_INET6):
            return
        ip = ipaddress.ip_address(address[0])
        if not (getattr(ip, "ipv4_mapped", None) or ip).is_loopback:
            raise NonLoopbackConnect(f"refused a connection to {address[0]}")
        self.connected.append(ip)


_guard: _LoopbackGuard | None = None


@contextmanager
def loopback_only() -> Iterator[list]:
    """Refuse every connection off loopback inside the block (a hook cannot be removed,
    only idled); yields the list of loopback addresses connected to meanwhile."""
    global _guard  # noqa: PLW0603 - one hook per process
    _guard = _guard or _LoopbackGuard()
    _guard.connected.clear()
    _guard.active = True
    try:
        yield _guard.connected
    finally:
        _guard.active = False


class Receivers:
    """Makes receivers for one test and closes them all at its end."""

    def __init__(self) -> None:
        self._made: list[Receiver] = []

    def __call__(self, default: Answer | None = None) -> Receiver:
        made = Receiver(default)
        made.up()
        self._made.append(made)
        return made

    def close(self) -> None:
        for made in self._made:
            made.close()


@pytest.fixture
def receivers(app) -> Iterator[Receivers]:
    """A receiver factory; the test may connect to loopback only.

    It depends on `app` so that receivers close, letting go of held
    requests, before the app's engine stops and waits for its senders.
    """
    made = Receivers()
    with loopback_only():
        yield made
        made.close()
