"""Patrol's HTTP API as the bot calls it: the same routes and credentials as any client.

The bot answers from what the API says, never from the database, so a
workspace sees exactly what its account's API key may see.
"""
from __future__ import annotations

from typing import Any
from urllib.parse import quote

import requests

from patrol.scanning.states import ScanTrigger

TIMEOUT = (5.0, 20.0)  # connect, read
PER_PAGE = 200  # the contract's largest page
MAX_PAGES = 25  # 5,000 open issues on one server is already beyond reading in Slack


class PatrolApiError(Exception):
    """The API refused: its error code and message, as the contract's envelope gave them."""

    def __init__(self, status: int, code: str, message: str, fields: dict[str, str] | None = None) -> None:
        super().__init__(f"{status} {code}: {message}")
        self.status, self.code, self.message = status, code, message
        self.fields = fields or {}  # for a request that was not valid: what is wrong with each field


class ApiUnavailable(Exception):
    """The API could not be reached, or answered with something that is not the contract."""


class PatrolApi:
    def __init__(self, base_url: str, key: str, secret: str) -> None:
        self.base_url = base_url.rstrip("/")
        self._http = requests.Session()
        self._http.auth = (key, secret)
        self._http.trust_env = False  # the address is configured; no proxy or netrc may redirect it

    def close(self) -> None:
        self._http.close()

    def servers(self) -> list[dict]:
        return self._call("GET", "/servers")

    def server(self, server_id: int) -> dict:
        return self._call("GET", f"/servers/{server_id}")

    def open_issues(self, server_id: int) -> list[dict]:
        """Every open issue of the server, page by page."""
        issues: list[dict] = []
        for page in range(1, MAX_PAGES + 1):
            body = self._request("GET", f"/servers/{server_id}/issues",
                                 params={"page": page, "per_page": PER_PAGE})
            issues += body["data"]
            if len(body["data"]) < PER_PAGE or len(issues) >= body.get("meta", {}).get("total", 0):
                break
        return issues

    def upgrades(self, server_id: int) -> list[dict]:
        """The server's upgrade groups, the most useful first (the API gives them all at once)."""
        return self._call("GET", f"/servers/{server_id}/upgrades")

    def dismiss(self, scope: str, server_id: int, issue_id: int, advisory: str, decision: dict) -> dict:
        """Dismiss the issue (`scope` "issue"), or its advisory on its server ("server")
        or on every server of the account ("account"), with `decision`'s reason."""
        quoted = quote(advisory, safe="")
        paths = {"issue": f"/servers/{server_id}/issues/{issue_id}/dismissal",
                 "server": f"/servers/{server_id}/advisories/{quoted}/dismissal",
                 "account": f"/advisories/{quoted}/dismissal"}
        return self._call("POST", paths[scope], json=decision)

    def scan(self, server_id: int) -> dict:
        return self._call("POST", f"/servers/{server_id}/scan", json={"trigger": ScanTrigger.SLACK})

    def advisory_status(self) -> list[dict]:
        """How fresh the advisory data is, per ecosystem."""
        return self._call("GET", "/advisories/status")

    def webhooks(self) -> list[dict]:
        return self._call("GET", "/webhooks")

    def _call(self, method: str, path: str, **options: Any) -> Any:  # the API's data
        return self._request(method, path, **options)["data"]

    def _request(self, method: str, path: str, **options: Any) -> dict:
        try:
            response = self._http.request(method, self.base_url + path, timeout=TIMEOUT, **options)
            body = response.json()
        except (requests.RequestException, ValueError) as exc:
            raise ApiUnavailable(f"{method} {path}: {exc}") from exc
        if not isinstance(body, dict) or ("data" not in body and "error" not in body):
            raise ApiUnavailable(f"{method} {path}: answered {response.status_code} without an envelope")
        if "error" in body:
            error = body["error"] if isinstance(body["error"], dict) else {}
            fields = error.get("fields") if isinstance(error.get("fields"), dict) else None
            raise PatrolApiError(response.status_code, str(error.get("code", "error")),
                                 str(error.get("message", "")), fields)
        return body
