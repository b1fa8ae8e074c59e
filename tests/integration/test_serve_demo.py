"""The README's run command, end to end: `patrol serve --demo` in a real
process, the collector `patrol push` in another, curl-like calls between."""
from __future__ import annotations

import json
import os
import signal
import subprocess
import time
from pathlib import Path

import pytest
import requests

from patrol import demo
from tests.support.serving import PATROL, demo_facts, serving


@pytest.fixture
def demo_server(database_url, tmp_path):
    env = {**os.environ, "PATROL_DATABASE_URL": database_url, "PATROL_SCAN_WORKERS": "1"}
    env.pop("PATROL_SECRET_KEY", None)
    with serving(["--demo", "--port", "0"], env, tmp_path) as (process, output):
        yield process, output


def _wait_for_scan(api: str, auth: tuple[str, str], server_id: int) -> dict:
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        scans = requests.get(f"{api}/servers/{server_id}/scans", auth=auth, timeout=10).json()["data"]
        if scans and scans[0]["status"] != "running":
            return scans[0]
        time.sleep(0.2)
    raise AssertionError("the scan never finished")


def test_demo_serves_issues_and_push_adds_exactly_one(demo_server, tmp_path):
    _process, output = demo_server
    url, key, secret, server_id = demo_facts(output)
    api, auth = url + "/api", (key, secret)

    issues = requests.get(f"{api}/servers/{server_id}/issues", params={"key": key, "secret": secret}, timeout=10)
    assert issues.status_code == 200
    assert issues.json()["meta"]["total"] == 11
    assert {"guzzlehttp/psr7", "lodash", "requests"} <= {i["software"]["name"] for i in issues.json()["data"]}

    lock_path = tmp_path / "package-lock.json"
    lock = json.loads((demo.DATA / "package-lock.json").read_text())
    lock_path.write_text(json.dumps(lock))
    first = _push(api, key, secret, lock_path)
    assert f"server {server_id}" in first.stdout and "Scan" in first.stdout
    baseline = _wait_for_scan(api, auth, server_id)
    assert baseline["status"] == "finished"

    lock["packages"]["node_modules/lodash.pick"] = {"version": "4.4.0"}
    lock_path.write_text(json.dumps(lock))
    _push(api, key, secret, lock_path)
    scan = _wait_for_scan(api, auth, server_id)
    assert scan["id"] > baseline["id"]
    assert (scan["status"], scan["new_issue_count"], scan["resolved_issue_count"]) == ("finished", 1, 0)
    assert scan["issue_count"] == baseline["issue_count"] + 1


def _push(api: str, key: str, secret: str, path: Path) -> subprocess.CompletedProcess:
    env = {**os.environ, "PATROL_URL": api, "PATROL_KEY": key, "PATROL_SECRET": secret}
    done = subprocess.run(
        [PATROL, "push", "--server", "web1.example.com", "--bucket", "npm", "--scan", str(path)],
        env=env, capture_output=True, text=True, timeout=60,
    )
    assert done.returncode == 0, done.stderr
    return done


def test_access_log_never_shows_the_secret(demo_server):
    process, output = demo_server
    url, key, secret, _ = demo_facts(output)
    requests.get(f"{url}/api/user", params={"key": key, "secret": secret}, timeout=10)
    requests.get(f"{url}/api/user", auth=(key, secret), timeout=10)
    process.send_signal(signal.SIGTERM)
    _, errors = process.communicate(timeout=60)  # a loaded machine stops slowly
    assert "GET /api/user?key=" in errors
    assert secret not in errors


def test_push_without_settings_says_what_is_missing(tmp_path):
    env = {k: v for k, v in os.environ.items() if not k.startswith("PATROL_")}
    done = subprocess.run([PATROL, "push", "--server", "x", str(demo.DATA / "requirements.txt")],
                          env=env, capture_output=True, text=True, timeout=60)
    assert done.returncode != 0
    assert "PATROL_URL" in done.stderr and "Traceback" not in done.stderr


def test_serve_refuses_to_start_without_a_secret_key(database_url, tmp_path):
    env = {**os.environ, "PATROL_DATABASE_URL": database_url}
    env.pop("PATROL_SECRET_KEY", None)
    done = subprocess.run([PATROL, "serve", "--port", "0"], env=env, cwd=tmp_path,
                          capture_output=True, text=True, timeout=60)
    assert done.returncode != 0
    assert "PATROL_SECRET_KEY" in done.stderr and "Traceback" not in done.stderr
