"""nginx from Debian's packages as the receiver that is not the bottleneck.

Started on a free loopback port with its own configuration in a temporary
folder; every POST is answered 200 and logged with its arrival time, path
and `webhook-id` header, so receipts can be counted and timed after a run.
"""
from __future__ import annotations

import shutil
import socket
import subprocess
import tempfile
import time
from pathlib import Path

CONFIG = """
worker_processes 1;
daemon off;
pid {folder}/nginx.pid;
error_log {folder}/error.log warn;
events {{ worker_connections 4096; }}
http {{
    access_log off;
    client_body_temp_path {folder}/body;
    proxy_temp_path {folder}/proxy;
    fastcgi_temp_path {folder}/fastcgi;
    uwsgi_temp_path {folder}/uwsgi;
    scgi_temp_path {folder}/scgi;
    log_format receipts '$msec $uri $http_webhook_id';
    keepalive_requests 1000000;
    server {{
        listen 127.0.0.1:{port};
        location / {{ access_log {folder}/receipts.log receipts buffer=256k flush=100ms; return 200 "ok"; }}
    }}
}}
"""


class NginxMissing(RuntimeError):
    """nginx is not installed (`apt-get install nginx`)."""


class Nginx:
    """`with Nginx() as nginx:` serves on 127.0.0.1 at a free port; `receipts()` reads its log."""

    def __init__(self) -> None:
        binary = shutil.which("nginx") or "/usr/sbin/nginx"
        if not Path(binary).exists():
            raise NginxMissing("install nginx from Debian's packages to run this benchmark")
        self.folder = Path(tempfile.mkdtemp(prefix="patrol-nginx-"))
        self.port = _free_port()
        (self.folder / "nginx.conf").write_text(CONFIG.format(folder=self.folder, port=self.port))
        self._proc = subprocess.Popen([binary, "-p", str(self.folder), "-c", str(self.folder / "nginx.conf")])
        self._read = 0

    def __enter__(self) -> Nginx:
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            try:
                socket.create_connection(("127.0.0.1", self.port), timeout=1).close()
                return self
            except OSError:
                time.sleep(0.05)
        raise NginxMissing("nginx did not start")

    def __exit__(self, *_exc: object) -> None:
        self._proc.terminate()
        self._proc.wait(timeout=10)
        shutil.rmtree(self.folder, ignore_errors=True)

    def url(self, path: str = "/") -> str:
        return f"http://127.0.0.1:{self.port}{path}"

    def receipts(self) -> list[tuple[float, str, str]]:
        """(arrival, path, webhook-id) of every POST since the last call."""
        log = self.folder / "receipts.log"
        text = log.read_text() if log.exists() else ""
        lines = text[: text.rfind("\n") + 1].splitlines()  # a line nginx is still writing waits for the next call
        fresh, self._read = lines[self._read:], len(lines)
        return [(float(at), path, msg_id) for at, path, msg_id in (line.split(" ", 2) for line in fresh)]

    def drain(self) -> int:
        """Forget what arrived so far, once nginx's log buffer (flushed every 100 ms) is written."""
        time.sleep(0.3)
        return len(self.receipts())

    def wait_for(self, count: int, timeout: float, poll: float = 0.2) -> list[tuple[float, str, str]]:
        seen: list[tuple[float, str, str]] = []
        deadline = time.monotonic() + timeout
        while len(seen) < count and time.monotonic() < deadline:
            time.sleep(poll)
            seen += self.receipts()
        return seen


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]
