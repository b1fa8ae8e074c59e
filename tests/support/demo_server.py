"""A server with the demo lock files pushed and scanned through the API, the
demo advisories and the KEV/EPSS format samples loaded: what triage tests
start from. Scans run in the test's thread (`workers.run_one`)."""
from __future__ import annotations

from dataclasses import dataclass

import pytest

from patrol import demo
from patrol.scanning import workers


@dataclass
class DemoServer:
    client: object
    db: object
    caller: object
    server_id: int

    def get(self, path: str, status: int = 200, **params: object) -> dict:
        answer = self.client.get(f"/api{path}", query_string=params, auth=self.caller.auth)
        assert answer.status_code == status, answer.get_data(as_text=True)
        return answer.get_json()

    def send(self, method: str, path: str, status: int, **json: object) -> dict:
        answer = self.client.open(f"/api{path}", method=method, json=json or None, auth=self.caller.auth)
        assert answer.status_code == status, answer.get_data(as_text=True)
        return answer.get_json()

    def issues(self, **params: object) -> list[dict]:
        return self.get(f"/servers/{self.server_id}/issues", per_page=200, **params)["data"]

    def scan(self) -> dict:
        self.send("POST", f"/servers/{self.server_id}/scan", 202)
        assert workers.run_one(self.db)
        return self.get(f"/servers/{self.server_id}/scans")["data"][0]

    def push(self, key: str, items: list[dict]) -> None:
        self.send("POST", f"/servers/{self.server_id}/software_bucket/{key}", 200, software=items)


def make_demo_server(client, db, caller, name: str = "shop.example.com") -> DemoServer:
    created = client.post("/api/servers", json={"domain": name}, auth=caller.auth).get_json()["data"]
    server = DemoServer(client, db, caller, created["id"])
    for key in demo.LOCKFILES:
        server.push(key, demo.lockfile_items(key))
    server.scan()
    return server


@pytest.fixture
def demo_data(db) -> None:
    demo.import_advisories(db)
    demo.import_exploit_samples(db)


@pytest.fixture
def shop(client, db, make_account, demo_data) -> DemoServer:  # demo_data loads the data
    return make_demo_server(client, db, make_account())
