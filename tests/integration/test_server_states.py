"""Nothing falsely green: each server's state, the risk order, the state
filter, and the advisory data's age beside the verdict."""
from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import update

from patrol.clock import iso, now
from patrol.feeds import state as feeds
from patrol.models import Bucket, FeedState
from patrol.scanning import workers
from tests.support.demo_server import demo_data, make_demo_server  # noqa: F401 - fixtures


def _server(client, caller, server_id: int) -> dict:
    return client.get(f"/api/servers/{server_id}", auth=caller.auth).get_json()["data"]


def _push(client, caller, server_id: int, items: list[dict]) -> None:
    answer = client.post(f"/api/servers/{server_id}/software_bucket/app", json={"software": items}, auth=caller.auth)
    assert answer.status_code == 200


def _age(db, server_id: int, days: int) -> None:
    with db.session() as session:
        session.execute(update(Bucket).where(Bucket.server_id == server_id)
                        .values(updated_at=now() - timedelta(days=days)))


SAFE = [{"n": "left-pad", "v": "1.3.0", "e": "npm"}]


def test_a_server_without_software_is_empty_not_ok(client, db, make_account, make_server, demo_data):
    owner = make_account()
    server_id = make_server(owner)
    shown = _server(client, owner, server_id)
    assert (shown["state"], shown["software_count"], shown["last_push_at"]) == ("empty", 0, None)
    _push(client, owner, server_id, [])
    client.post(f"/api/servers/{server_id}/scan", auth=owner.auth)
    workers.run_one(db)
    assert _server(client, owner, server_id)["state"] == "empty"  # scanned, but nothing to scan


def test_pushed_but_not_scanned_then_ok(client, db, make_account, make_server, demo_data):
    owner = make_account()
    server_id = make_server(owner)
    _push(client, owner, server_id, SAFE)
    assert _server(client, owner, server_id)["state"] == "never_scanned"
    client.post(f"/api/servers/{server_id}/scan", auth=owner.auth)
    workers.run_one(db)
    shown = _server(client, owner, server_id)
    assert (shown["state"], shown["issue_count"]) == ("ok", 0)


def test_a_push_older_than_stale_after_is_stale(app, client, db, make_account, make_server, demo_data):
    owner = make_account()
    server = make_demo_server(client, db, owner)
    assert _server(client, owner, server.server_id)["state"] == "vulnerable"
    _age(db, server.server_id, 4)
    assert _server(client, owner, server.server_id)["state"] == "stale"
    app.config["STALE_AFTER"] = 5 * 86400
    assert _server(client, owner, server.server_id)["state"] == "vulnerable"


def test_the_list_is_riskiest_first_and_filters_by_state(
    client, db, make_account, make_server, demo_data,
):
    owner = make_account()
    quiet = make_server(owner, "a-empty.example.com")
    stale = make_server(owner, "b-stale.example.com")
    _push(client, owner, stale, SAFE)
    _age(db, stale, 10)
    critical = make_demo_server(client, db, owner, "c-critical.example.com").server_id
    listed = client.get("/api/servers", auth=owner.auth).get_json()
    assert [row["id"] for row in listed["data"]] == [critical, stale, quiet]
    assert [row["state"] for row in listed["data"]] == ["vulnerable", "stale", "empty"]
    assert listed["meta"] == {"page": 1, "per_page": 3, "total": 3}
    by_id = client.get("/api/servers?sort=id", auth=owner.auth).get_json()["data"]
    assert [row["id"] for row in by_id] == sorted([quiet, stale, critical])
    filtered = client.get("/api/servers?state=stale,empty", auth=owner.auth).get_json()["data"]
    assert {row["id"] for row in filtered} == {stale, quiet}


@pytest.mark.parametrize("query", ["state=green", "sort=colour"])
def test_a_bad_state_or_sort_is_422(client, make_account, query):
    answer = client.get(f"/api/servers?{query}", auth=make_account().auth)
    assert answer.status_code == 422 and answer.get_json()["error"]["fields"]


def test_advisories_as_of_is_the_oldest_sync_of_the_servers_ecosystems(
    client, db, make_account, demo_data,
):
    owner = make_account()
    server = make_demo_server(client, db, owner)  # Packagist, npm and PyPI
    assert _server(client, owner, server.server_id)["advisories_as_of"] is None  # imported by hand, never synced
    for ecosystem in ("Packagist", "npm", "PyPI"):
        assert feeds.claim(db, f"osv/{ecosystem}") is not None
        feeds.succeeded(db, f"osv/{ecosystem}", 3600)
    with db.session() as session:
        session.get(FeedState, "osv/npm").last_success_at = now() - timedelta(days=30)
    shown = _server(client, owner, server.server_id)["advisories_as_of"]
    assert shown is not None and shown <= iso(now() - timedelta(days=29))
