"""The API calls `patrol push` makes: find or add the server, put a bucket, scan."""
from __future__ import annotations

import time
from dataclasses import dataclass
from typing import Any
from urllib.parse import quote

import requests

from patrol.scanning.states import ScanStatus

TIMEOUT = 60
POLL = 1.0  # seconds between looks at a scan that runs
PAGE = 200


class PushError(RuntimeError):
    """The Patrol server refused or could not be reached; says why."""


@dataclass
class PushResult:
    server_id: int
    bucket_key: str
    items: int
    scan_id: int | None


class Client:
    def __init__(self, base_url: str, key: str, secret: str, session: requests.Session | None = None) -> None:
        self.base_url = base_url.rstrip("/")
        self.http = session or requests.Session()
        self.http.auth = (key, secret)
        self.http.headers["User-Agent"] = "patrol-push"

    def call(self, method: str, path: str, **kwargs) -> Any:  # noqa: ANN003 - the API's data
        try:
            answer = self.http.request(method, self.base_url + path, timeout=TIMEOUT, **kwargs)
        except requests.RequestException as exc:
            raise PushError(f"cannot reach Patrol at {self.base_url}: {exc}") from exc
        try:
            body = answer.json()
        except ValueError as exc:
            raise PushError(f"{method} {path}: HTTP {answer.status_code}, not a Patrol API answer") from exc
        if answer.status_code >= 400:
            error = body.get("error", {}) if isinstance(body, dict) else {}
            raise PushError(f"{method} {path}: {error.get('message', answer.status_code)}")
        return body["data"]

    def server_id(self, name: str) -> int:
        """The id of the account's server `name`, adding the server if needed."""
        for server in self.call("GET", "/servers"):
            if server["name"] == name:
                return server["id"]
        return self.call("POST", "/servers", json={"domain": name})["id"]


def push(client: Client, server: str, bucket: str, items: list[dict], scan: bool) -> PushResult:
    server_id = client.server_id(server)
    client.call("POST", f"/servers/{server_id}/software_bucket/{quote(bucket, safe='')}", json={"software": items})
    scan_id = client.call("POST", f"/servers/{server_id}/scan")["id"] if scan else None
    return PushResult(server_id, bucket, len(items), scan_id)


def wait_for_scan(client: Client, server_id: int, scan_id: int, timeout: float) -> dict:
    """The scan once it ended; PushError when it failed or took longer than `timeout`."""
    deadline = time.monotonic() + timeout
    while True:
        scans = client.call("GET", f"/servers/{server_id}/scans", params={"per_page": PAGE})
        scan = next((row for row in scans if row["id"] == scan_id), None)
        if scan is None:
            raise PushError(f"scan {scan_id} is gone (was the server removed?)")
        if scan["status"] == ScanStatus.FAILED:
            raise PushError(f"scan {scan_id} failed: {scan.get('error') or 'no reason given'}")
        if scan["status"] != ScanStatus.RUNNING:
            return scan
        if time.monotonic() > deadline:
            raise PushError(f"scan {scan_id} still running after {timeout:g} s")
        time.sleep(POLL)


def open_issues(client: Client, server_id: int) -> list[dict]:
    """Every open, undismissed issue of the server, worst first."""
    found, page = [], 1
    while True:
        batch = client.call("GET", f"/servers/{server_id}/issues",
                            params={"sort": "severity", "page": page, "per_page": PAGE})
        found += batch
        if len(batch) < PAGE:
            return found
        page += 1
