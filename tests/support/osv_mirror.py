"""A loopback stand-in for osv.dev's advisory bucket, over real HTTP.

Serves `/{ECOSYSTEM}/all.zip`, `/{ECOSYSTEM}/modified_id.csv` (newest
first) and `/{ECOSYSTEM}/{id}.json` from the records a test publishes, with
ETag / If-None-Match when `etags` is on. Every request is counted; `fail`
makes the next requests for a file answer 500, break off mid-body, hang, or
serve a damaged zip.
"""
from __future__ import annotations

import copy
import hashlib
import io
import json
import threading
import zipfile
from collections import Counter
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler
from pathlib import Path
from urllib.parse import unquote

import pytest

from tests.support.background_http import BackgroundHTTPServer

DATA = Path(__file__).resolve().parent.parent / "data" / "osv"
FAILURES = ("500", "truncate", "hang", "corrupt")
# What `mirror` serves at first: npm records modified from 2021 to 2023-02-27.
FIRST_NPM = ("GHSA-r9p9-mrjm-926w", "GHSA-35jh-r3h4-6jhm", "GHSA-xvch-5gv4-984h")
NEWER_NPM = "GHSA-p6mc-m468-83gw"  # lodash; modified 2023-10-24, after every one of FIRST_NPM


def fixture(osv_id: str) -> dict:
    return json.loads((DATA / f"{osv_id}.json").read_text())


class OsvMirror(BackgroundHTTPServer):
    def __init__(self, etags: bool = True) -> None:
        self.etags = etags
        self.records: dict[str, dict[str, bytes]] = {}  # ecosystem -> id -> body
        self.modified: dict[str, dict[str, str]] = {}  # ecosystem -> id -> modified
        self.asked: list[tuple[str, int]] = []  # (path, status) of every request
        self._failures: dict[str, list[str]] = {}
        self._released = threading.Event()
        self._lock = threading.Lock()
        super().__init__(_handler_for(self))

    # --- what the test does ---

    def publish(self, ecosystem: str, record: dict, body: bytes | None = None) -> None:
        """Add or replace a record; `body` serves other bytes (an invalid record) under its id."""
        with self._lock:
            self.records.setdefault(ecosystem, {})[record["id"]] = body or json.dumps(record).encode()
            self.modified.setdefault(ecosystem, {})[record["id"]] = record["modified"]

    def withdraw(self, ecosystem: str, record: dict, at: str) -> dict:
        """Publish the record again, withdrawn at `at`."""
        changed = copy.deepcopy(record)
        changed["withdrawn"] = changed["modified"] = at
        self.publish(ecosystem, changed)
        return changed

    def fail(self, path: str, *modes: str) -> None:
        """The next requests for `path` (e.g. `/npm/all.zip`) fail these ways, in order."""
        assert all(mode in FAILURES for mode in modes)
        with self._lock:
            self._failures.setdefault(path, []).extend(modes)

    def release(self) -> None:
        """Let hanging requests end (by closing their connection)."""
        self._released.set()

    def count(self, path: str | None = None) -> int | Counter:
        paths = Counter(path for path, _ in self.asked)
        return paths[path] if path is not None else paths

    @property
    def url(self) -> str:
        return self.origin

    def __exit__(self, *exc_info: object) -> None:
        self.release()
        super().__exit__(*exc_info)

    # --- what the bucket holds ---

    def body(self, path: str) -> bytes | None:
        ecosystem, _, file = unquote(path.lstrip("/")).partition("/")
        with self._lock:
            held = dict(self.records.get(ecosystem, {}))
            modified = dict(self.modified.get(ecosystem, {}))
        if not held:
            return None
        if file == "all.zip":
            return _zip(held)
        if file == "modified_id.csv":
            lines = sorted(((when, osv_id) for osv_id, when in modified.items()), reverse=True)
            return "".join(f"{when},{osv_id}\n" for when, osv_id in lines).encode()
        return held.get(file.removesuffix(".json")) if file.endswith(".json") else None

    def _next_failure(self, path: str) -> str | None:
        with self._lock:
            queued = self._failures.get(unquote(path))
            return queued.pop(0) if queued else None


def _zip(records: dict[str, bytes]) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for osv_id, body in sorted(records.items()):
            archive.writestr(zipfile.ZipInfo(f"{osv_id}.json", (2024, 1, 1, 0, 0, 0)), body, zipfile.ZIP_DEFLATED)
    return out.getvalue()


def _damaged(body: bytes) -> bytes:
    """The same zip with bytes in the middle of its data flipped: its CRCs no longer match."""
    middle = len(body) // 3
    return body[:middle] + bytes(b ^ 0xFF for b in body[middle : middle + 64]) + body[middle + 64 :]


def _handler_for(mirror: OsvMirror) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def do_GET(self) -> None:  # the name http.server calls
            failure = mirror._next_failure(self.path)  # the mirror's own handler
            body = mirror.body(self.path)
            status = self._status(failure, body)
            with mirror._lock:
                mirror.asked.append((unquote(self.path), status))
            if status != 200:
                return self._send(status, b"")
            if failure == "hang":
                mirror._released.wait(30)
                self.close_connection = True
                return None
            if failure == "corrupt":
                body = _damaged(body)
            self._send(200, body, truncate=failure == "truncate")

        def _status(self, failure: str | None, body: bytes | None) -> int:
            if failure == "500":
                return 500
            if body is None:
                return 404
            if mirror.etags and self.headers.get("If-None-Match") == _etag(body):
                return 304
            return 200

        def _send(self, status: int, body: bytes, truncate: bool = False) -> None:
            self.send_response(status)
            if status in (200, 304) and mirror.etags:
                self.send_header("ETag", _etag(mirror.body(self.path) or b""))
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body[: len(body) // 2] if truncate else body)
            if truncate:
                self.close_connection = True

        def log_message(self, format: str, *args: object) -> None:  # noqa: A002
            return None

    return Handler


def _etag(body: bytes) -> str:
    return '"' + hashlib.sha256(body).hexdigest()[:32] + '"'


@pytest.fixture
def mirror() -> Iterator[OsvMirror]:
    """A mirror serving FIRST_NPM (a test module imports this fixture)."""
    with OsvMirror() as made:
        for osv_id in FIRST_NPM:
            made.publish("npm", fixture(osv_id))
        yield made
