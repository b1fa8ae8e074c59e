"""How fresh the advisories are: the API, the CLI, /readyz, and the sync command."""
from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import update

from patrol.clock import iso, now
from patrol.models import FeedState
from tests.support.osv_mirror import OsvMirror, fixture

INTERVAL = 3600


@pytest.fixture
def mirror():
    with OsvMirror() as made:
        made.publish("npm", fixture("GHSA-35jh-r3h4-6jhm"))
        yield made


@pytest.fixture
def app_config(app_config, mirror):
    return {**app_config, "ADVISORY_SOURCE_URL": mirror.url, "ADVISORY_TIMEOUT": 1.0,
            "ADVISORY_SYNC_INTERVAL": INTERVAL}


def push(client, caller, software: list[dict]) -> int:
    server_id = client.post("/api/servers", json={"domain": "web1.example.com"}, auth=caller.auth).json["data"]["id"]
    client.post(f"/api/servers/{server_id}/software_bucket/all", json={"software": software}, auth=caller.auth)
    return server_id


def statuses(client, caller) -> dict[str, dict]:
    answer = client.get("/api/advisories/status", auth=caller.auth)
    assert answer.status_code == 200, answer.json
    return {row["ecosystem"]: row for row in answer.json["data"]}


def test_status_per_ecosystem_through_the_api_and_the_cli(client, runner, db, make_account, mirror):
    caller = make_account()
    push(client, caller, [{"n": "lodash", "v": "4.17.15", "e": "npm"}, {"n": "jinja2", "v": "3.0", "e": "pypi"}])
    assert statuses(client, caller)["npm"] == {
        "ecosystem": "npm", "in_use": True, "records": 0, "last_success_at": None,
        "last_attempt_at": None, "last_error": None, "stale": True,
    }
    done = runner.invoke(args=["advisories", "sync"])
    assert done.exit_code == 1 and "PyPI: failed" in done.output and "HTTP 404" in done.output
    assert "npm: full, 1 added, 0 updated, 0 unchanged, 0 invalid" in done.output
    assert "servers queued for a rescan: 1" in done.output and "Traceback" not in done.output
    shown = statuses(client, caller)
    assert (shown["npm"]["records"], shown["npm"]["stale"], shown["npm"]["last_error"]) == (1, False, None)
    assert shown["npm"]["last_success_at"] == shown["npm"]["last_attempt_at"]
    assert shown["PyPI"]["stale"] and shown["PyPI"]["last_success_at"] is None
    assert shown["PyPI"]["last_error"].endswith("/PyPI/all.zip: HTTP 404")
    printed = runner.invoke(args=["advisories", "status"]).output
    assert "npm" in printed and "fresh" in printed and "PyPI" in printed and "STALE" in printed
    assert "last error: " in printed and "HTTP 404" in printed


def test_data_older_than_twice_the_interval_is_stale(client, runner, db, make_account):
    caller = make_account()
    push(client, caller, [{"n": "lodash", "v": "4.17.15", "e": "npm"}])
    assert runner.invoke(args=["advisories", "sync", "--ecosystem", "npm"]).exit_code == 0
    assert not statuses(client, caller)["npm"]["stale"]
    old = now() - timedelta(seconds=2 * INTERVAL + 5)
    with db.session() as session:
        session.execute(update(FeedState).values(last_success_at=old))
    shown = statuses(client, caller)["npm"]
    assert (shown["stale"], shown["last_success_at"]) == (True, iso(old))


def test_the_status_needs_credentials(client):
    answer = client.get("/api/advisories/status")
    assert answer.status_code == 401 and answer.json["error"]["code"] == "unauthorized"


def test_healthz_and_readyz(client, runner, make_account):
    assert client.get("/healthz").json == {"status": "ok"}
    fresh = {"status": "ready", "database": "ok", "advisories": {"fresh": True, "stale": []}}
    assert client.get("/readyz").json == fresh
    push(client, make_account(), [{"n": "lodash", "v": "4.17.15", "e": "npm"}])
    assert client.get("/readyz").json["advisories"] == {"fresh": False, "stale": ["npm"]}
    runner.invoke(args=["advisories", "sync"])
    ready = client.get("/readyz")
    assert ready.status_code == 200 and ready.json["advisories"] == {"fresh": True, "stale": []}


def test_readyz_is_503_when_the_database_is_gone(app_config, tmp_path):
    from patrol import create_app

    app = create_app({**app_config, "DATABASE_URL": f"sqlite:///{tmp_path}/missing/dir/db.sqlite3"})
    answer = app.test_client().get("/readyz")
    assert answer.status_code == 503 and answer.json["error"]["code"] == "not_ready"
