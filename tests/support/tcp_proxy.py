"""A loopback TCP proxy that a test can cut and restore: a real lost database.

Stopping the shared PostgreSQL server would disturb every other test run on
the machine; pointing one app at this proxy instead, and cutting it, gives
that app exactly what a database restart gives it: open connections reset,
new ones refused until `restore()`.
"""
from __future__ import annotations

import selectors
import socket
import struct
import threading

HOST = "127.0.0.1"
CHUNK = 65536


class TcpProxy:
    """`with TcpProxy(5432) as proxy:` forwards 127.0.0.1:`proxy.port` to 127.0.0.1:`target_port`."""

    def __init__(self, target_port: int) -> None:
        self.target = (HOST, target_port)
        self._listener = socket.create_server((HOST, 0))
        self._lock = threading.Lock()
        self._open: set[socket.socket] = set()
        self._cut = threading.Event()
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._accept, name="tcp-proxy", daemon=True)

    @property
    def port(self) -> int:
        return self._listener.getsockname()[1]

    def __enter__(self) -> TcpProxy:
        self._thread.start()
        return self

    def __exit__(self, *exc_info: object) -> None:
        self._stop.set()
        self._listener.close()
        self.cut()
        self._thread.join(timeout=5)

    def cut(self) -> None:
        """Reset every open connection; refuse new ones until `restore`."""
        self._cut.set()
        with self._lock:
            sockets, self._open = list(self._open), set()
        for sock in sockets:
            _shut(sock)

    def restore(self) -> None:
        self._cut.clear()

    def _accept(self) -> None:
        while not self._stop.is_set():
            try:
                client, _ = self._listener.accept()
            except OSError:
                return
            if self._cut.is_set():
                _close(client)
                continue
            threading.Thread(target=self._pipe, args=(client,), daemon=True).start()

    def _pipe(self, client: socket.socket) -> None:
        try:
            server = socket.create_connection(self.target)
        except OSError:
            _close(client)
            return
        with self._lock:
            self._open.update((client, server))
        _relay(client, server)
        _close(client)
        _close(server)


def _relay(a: socket.socket, b: socket.socket) -> None:
    """Copy bytes both ways until either side ends (or `cut` shuts them down)."""
    with selectors.DefaultSelector() as selector:
        selector.register(a, selectors.EVENT_READ, b)
        selector.register(b, selectors.EVENT_READ, a)
        try:
            while True:
                for key, _ in selector.select(timeout=0.5):
                    data = key.fileobj.recv(CHUNK)
                    if not data:
                        return
                    key.data.sendall(data)
        except OSError:
            return


def _shut(sock: socket.socket) -> None:
    """Wake the relay reading `sock`: it sees the end and closes both sides."""
    try:
        sock.shutdown(socket.SHUT_RDWR)
    except OSError:
        pass


def _close(sock: socket.socket) -> None:
    try:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))  # a reset, like a crash
    except OSError:
        pass
    sock.close()
