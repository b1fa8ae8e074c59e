"""`patrol advisories sync` against a local stand-in for osv.dev's bucket."""
from __future__ import annotations

import threading
import zipfile
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from sqlalchemy import func, select

from patrol.demo import ADVISORIES
from patrol.models import Advisory


def _zip_of(folder: Path, target: Path) -> bytes:
    with zipfile.ZipFile(target, "w") as archive:
        for file in sorted(folder.glob("GHSA-*.json")):
            archive.write(file, file.name)
    return target.read_bytes()


@pytest.fixture
def osv_bucket(tmp_path):
    """Serves /<Ecosystem>/all.zip like osv.dev; 404 for anything else."""
    files = {"/npm/all.zip": _zip_of(ADVISORIES, tmp_path / "all.zip")}
    asked: list[str] = []

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self):  # noqa: N802
            asked.append(self.path)
            body = files.get(self.path)
            self.send_response(200 if body else 404)
            self.send_header("Content-Length", str(len(body or b"")))
            self.end_headers()
            self.wfile.write(body or b"")

        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_port}", asked
    server.shutdown()
    server.server_close()


@pytest.fixture
def app_config(app_config, osv_bucket):
    return {**app_config, "ADVISORY_SOURCE_URL": osv_bucket[0]}


def test_sync_downloads_and_imports_then_is_idempotent(runner, db, osv_bucket):
    first = runner.invoke(args=["advisories", "sync", "--ecosystem", "npm"])
    assert first.exit_code == 0, first.output
    assert "npm: 11 added, 0 updated, 0 unchanged" in first.output
    again = runner.invoke(args=["advisories", "sync", "--ecosystem", "npm"])
    assert "npm: 0 added, 0 updated, 11 unchanged" in again.output
    assert osv_bucket[1] == ["/npm/all.zip", "/npm/all.zip"]
    with db.session() as session:
        assert session.scalar(select(func.count()).select_from(Advisory)) == 11


def test_sync_failure_is_a_clear_message(runner, osv_bucket):
    failed = runner.invoke(args=["advisories", "sync", "--ecosystem", "PyPI"])
    assert failed.exit_code == 1
    assert "could not download" in failed.output and "/PyPI/all.zip" in failed.output
    assert "Traceback" not in failed.output
