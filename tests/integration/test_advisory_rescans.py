"""Advisory changes rescan exactly the servers they affect, through the scan queue."""
from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select, update

from patrol import background, events
from patrol.advisories import rescans, sync
from patrol.advisories.settings import SyncSettings
from patrol.clock import now
from patrol.models import Bucket, Event, FeedState, Issue, Scan, Server
from patrol.scanning import workers
from tests.support.osv_mirror import FIRST_NPM, NEWER_NPM, fixture, mirror  # noqa: F401 - `mirror` is a fixture
from tests.support.receivers import receivers, wait_until  # noqa: F401 - `receivers` is a fixture
from tests.support.webhook_calls import add_webhook

FIRST, NEWER = FIRST_NPM, NEWER_NPM
LODASH = [{"n": "lodash", "v": "4.17.15", "l": "/srv/app/package-lock.json"}]  # affected by 35jh and p6mc
MINIMIST = [{"n": "minimist", "v": "1.2.8", "l": "/srv/api/package-lock.json"}]  # fixed: no advisory affects it


@pytest.fixture
def app_config(app_config, mirror):
    # The sync loop is registered (it runs only where a test starts the background).
    return {**app_config, "ADVISORY_SOURCE_URL": mirror.url, "ADVISORY_TIMEOUT": 2.0,
            "ADVISORY_SYNC_INTERVAL": 3600, "SCHEDULER_TICK": 0.2}


def add_server(client, db, caller, name: str, software: list[dict]) -> int:
    """A server with software, whose next scheduled scan is a day away: only advisories rescan it."""
    server_id = client.post("/api/servers", json={"domain": name}, auth=caller.auth).json["data"]["id"]
    pushed = client.post(f"/api/servers/{server_id}/software_bucket/npm", json={"software": software}, auth=caller.auth)
    assert pushed.status_code == 200, pushed.json
    with db.session() as session:
        session.execute(update(Server).where(Server.id == server_id).values(next_scan_at=now() + timedelta(days=1)))
    return server_id


def scans_of(db, server_id: int) -> list[Scan]:
    with db.session() as session:
        return list(session.scalars(select(Scan).where(Scan.server_id == server_id).order_by(Scan.id)))


def run_queue(db) -> None:
    while workers.run_one(db):
        pass


def open_issues(db, server_id: int) -> list[str]:
    with db.session() as session:
        rows = session.scalars(select(Issue).where(Issue.server_id == server_id, Issue.resolved_at.is_(None)))
        return sorted(row.advisory.osv_id for row in rows)


def events_of(db, server_id: int, identifier: str) -> list[Event]:
    with db.session() as session:
        query = select(Event).where(Event.server_id == server_id, Event.identifier == identifier)
        return list(session.scalars(query.order_by(Event.created_at)))


@pytest.fixture
def settings(app) -> SyncSettings:
    return SyncSettings.of(app)


def test_a_new_advisory_rescans_the_affected_server_only(client, db, settings, make_account, mirror):
    owner = make_account()
    affected = add_server(client, db, owner, "app.example.com", LODASH)
    other = add_server(client, db, owner, "api.example.com", MINIMIST)
    first = sync.sync_ecosystem(db, settings, "npm", force=True)
    assert first.rescans == 2  # the first import names both servers' packages
    run_queue(db)
    assert open_issues(db, affected) == ["GHSA-35jh-r3h4-6jhm"] and open_issues(db, other) == []

    mirror.publish("npm", fixture(NEWER))
    outcome = sync.sync_ecosystem(db, settings, "npm", force=True)
    assert outcome.rescans == 1
    assert [scan.trigger for scan in scans_of(db, affected)] == ["scheduled", "scheduled"]
    assert len(scans_of(db, other)) == 1
    run_queue(db)
    assert open_issues(db, affected) == ["GHSA-35jh-r3h4-6jhm", NEWER]
    latest = events_of(db, affected, events.NEW_SERVER_ISSUES)[-1]
    assert [issue["advisory"]["id"] for issue in latest.payload["issues"]] == [NEWER]  # just the new one


def test_a_withdrawn_advisory_resolves_its_issues(client, db, settings, make_account, mirror):
    affected = add_server(client, db, make_account(), "app.example.com", LODASH)
    sync.sync_ecosystem(db, settings, "npm", force=True)
    run_queue(db)
    assert open_issues(db, affected) == ["GHSA-35jh-r3h4-6jhm"]
    mirror.withdraw("npm", fixture("GHSA-35jh-r3h4-6jhm"), "2024-06-01T00:00:00Z")
    assert sync.sync_ecosystem(db, settings, "npm", force=True).rescans == 1
    run_queue(db)
    assert open_issues(db, affected) == []
    last = scans_of(db, affected)[-1]
    assert (last.status, last.resolved_issue_count, last.new_issue_count) == ("finished", 1, 0)
    assert len(events_of(db, affected, events.NEW_SERVER_ISSUES)) == 1  # from the first scan only


def test_a_server_already_queued_is_not_queued_twice(client, db, make_account):
    server_id = add_server(client, db, make_account(), "app.example.com", LODASH)
    assert rescans.rescan(db, {("npm", "lodash")}) == 1
    assert rescans.rescan(db, {("npm", "lodash")}) == 0
    assert len(scans_of(db, server_id)) == 1


def test_a_server_whose_scan_is_already_running_is_scanned_again_after(client, db, make_account):
    server_id = add_server(client, db, make_account(), "app.example.com", LODASH)
    assert rescans.rescan(db, {("npm", "lodash")}) == 1
    with db.session() as session:  # a worker holds it: it may have read the old advisories
        session.execute(update(Scan).values(lease_until=now() + timedelta(minutes=5)))
    assert rescans.rescan(db, {("npm", "lodash")}) == 0
    with db.session() as session:
        assert session.get(Server, server_id).next_scan_at <= now()


def test_expired_buckets_and_other_names_do_not_count(client, db, make_account):
    owner = make_account()
    add_server(client, db, owner, "app.example.com", [{"n": "lodash-es", "v": "4.17.15", "e": "npm"}])
    gone = client.post("/api/servers", json={"domain": "gone.example.com"}, auth=owner.auth).json["data"]["id"]
    client.post(f"/api/servers/{gone}/software_bucket/npm", json={"software": LODASH, "expire": 1}, auth=owner.auth)
    with db.session() as session:
        session.execute(update(Bucket).where(Bucket.server_id == gone).values(expires_at=now() - timedelta(seconds=1)))
        assert rescans.affected_servers(session, {("npm", "lodash")}) == set()


@pytest.mark.extensions("webhooks")
def test_end_to_end_a_published_record_reaches_the_affected_servers_webhook(
    client, db, settings, make_account, mirror, receivers,
):
    owner = make_account()
    affected = add_server(client, db, owner, "app.example.com", LODASH)
    other = add_server(client, db, owner, "api.example.com", MINIMIST)
    sync.sync_ecosystem(db, settings, "npm", force=True)  # what the scheduler did before
    run_queue(db)
    with db.session() as session:  # the first scans' events went out; the next sync is due
        session.execute(update(Event).values(dispatched_at=now()))
        session.execute(update(FeedState).values(next_sync_at=now() - timedelta(seconds=1)))
    before_other = len(scans_of(db, other))
    hook = receivers()
    add_webhook(client, owner, hook.url(), events=[events.NEW_SERVER_ISSUES])

    mirror.publish("npm", fixture(NEWER))
    background.get(client.application).start()

    (arrived,) = hook.wait_for(1, timeout=30)
    assert arrived.json()["identifier"] == events.NEW_SERVER_ISSUES
    event = client.get(f"/api/webhooks/{arrived.json()['webhook_id']}/events/{arrived.json()['event_id']}",
                       auth=owner.auth).json["data"]
    assert event["server_id"] == affected
    assert [issue["advisory"]["id"] for issue in event["issues"]] == [NEWER]
    wait_until(lambda: scans_of(db, affected)[-1].status == "finished", what="the rescan to finish")
    assert len(scans_of(db, other)) == before_other
    assert mirror.count(f"/npm/{NEWER}.json") == 1
