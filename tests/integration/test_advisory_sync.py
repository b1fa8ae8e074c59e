"""The advisory sync against a loopback mirror of osv.dev's bucket layout."""
from __future__ import annotations

import threading
from datetime import timedelta

import pytest
from sqlalchemy import func, select, update

from patrol import create_app
from patrol.advisories import sync
from patrol.advisories.settings import SyncSettings
from patrol.clock import now
from patrol.db import get_db
from patrol.models import Advisory, FeedState, Scan, Server
from tests.support.osv_mirror import FIRST_NPM, NEWER_NPM, fixture, mirror  # noqa: F401 - `mirror` is a fixture

FIRST, NEWER = FIRST_NPM, NEWER_NPM


@pytest.fixture
def app_config(app_config, mirror):
    return {**app_config, "ADVISORY_SOURCE_URL": mirror.url, "ADVISORY_TIMEOUT": 1.0, "ADVISORY_SYNC_INTERVAL": 3600}


@pytest.fixture
def settings(app) -> SyncSettings:
    return SyncSettings.of(app)


def advisory_ids(db) -> set[str]:
    with db.session() as session:
        return set(session.scalars(select(Advisory.osv_id)))


def feed(db, ecosystem: str = "npm") -> FeedState:
    with db.session() as session:
        return session.get(FeedState, sync.feed_name(ecosystem))


def synced(db, settings, ecosystem: str = "npm") -> sync.Outcome:
    outcome = sync.sync_ecosystem(db, settings, ecosystem, force=True)
    assert outcome.error is None, outcome.error
    return outcome


def test_the_first_sync_imports_all_zip(db, settings, mirror):
    outcome = synced(db, settings)
    assert (outcome.mode, outcome.report.added, outcome.report.invalid) == ("full", 3, [])
    assert mirror.asked == [("/npm/all.zip", 200)]
    assert advisory_ids(db) == set(FIRST)
    state = feed(db)
    assert state.watermark.isoformat() == "2023-02-27T14:47:14+00:00"  # the newest `modified` held
    assert (state.records, state.failures, state.last_error, state.lease_until) == (3, 0, None, None)
    assert state.last_success_at is not None and state.next_sync_at > now()


def test_an_incremental_sync_fetches_only_the_new_record(db, settings, mirror):
    synced(db, settings)
    mirror.publish("npm", fixture(NEWER))
    outcome = synced(db, settings)
    assert (outcome.mode, outcome.report.added, outcome.report.unchanged) == ("incremental", 1, 0)
    assert mirror.asked[1:] == [("/npm/modified_id.csv", 200), (f"/npm/{NEWER}.json", 200)]
    assert advisory_ids(db) == {*FIRST, NEWER}
    assert feed(db).watermark.isoformat() == "2023-10-24T20:06:48+00:00"


def test_nothing_new_is_a_conditional_request_answered_304(db, settings, mirror):
    synced(db, settings)
    assert synced(db, settings).mode == "unchanged"
    assert synced(db, settings).mode == "unchanged"
    assert mirror.asked[1:] == [("/npm/modified_id.csv", 200), ("/npm/modified_id.csv", 304)]


def test_many_new_records_fetch_all_zip_instead(app_config, mirror):
    app = create_app({**app_config, "ADVISORY_FULL_SYNC_ABOVE": 1})
    db, settings = get_db(app), SyncSettings.of(app)
    try:
        synced(db, settings)
        mirror.publish("npm", fixture(NEWER))
        mirror.publish("npm", fixture("GHSA-35jh-r3h4-6jhm") | {"modified": "2024-05-01T00:00:00Z"})
        outcome = synced(db, settings)
        assert (outcome.mode, outcome.report.added, outcome.report.updated) == ("full", 1, 1)
        assert [path for path, _ in mirror.asked] == ["/npm/all.zip", "/npm/modified_id.csv", "/npm/all.zip"]
    finally:
        get_db(app).dispose()


def test_a_withdrawn_record_is_stored_withdrawn(db, settings, mirror):
    synced(db, settings)
    mirror.withdraw("npm", fixture("GHSA-35jh-r3h4-6jhm"), "2024-06-01T00:00:00Z")
    outcome = synced(db, settings)
    assert (outcome.mode, outcome.report.updated) == ("incremental", 1)
    with db.session() as session:
        assert session.scalar(select(Advisory.withdrawn).where(Advisory.osv_id == "GHSA-35jh-r3h4-6jhm"))


@pytest.mark.parametrize("failure", ["truncate", "corrupt", "500", "hang"])
def test_a_failed_first_sync_changes_nothing_and_backs_off(db, settings, mirror, failure, caplog):
    mirror.fail("/npm/all.zip", failure)
    outcome = sync.sync_ecosystem(db, settings, "npm", force=True)
    assert outcome.mode == "failed" and "/npm/all.zip" in outcome.error
    assert advisory_ids(db) == set()
    state = feed(db)
    assert (state.failures, state.last_success_at, state.lease_until, state.watermark) == (1, None, None, None)
    assert state.last_error == outcome.error
    assert now() + timedelta(seconds=50) < state.next_sync_at <= now() + timedelta(seconds=60)
    assert [r.getMessage() for r in caplog.records if r.name == "patrol.advisories.sync"] == [
        f"advisory sync of npm failed, next try in 60 s: {outcome.error}"
    ]
    mirror.release()
    assert synced(db, settings).report.added == 3  # the next try works
    assert (feed(db).failures, feed(db).last_error) == (0, None)


def test_the_failure_messages_say_what_went_wrong(db, settings, mirror):
    expected = {"truncate": "broken download", "corrupt": "not a readable zip", "500": "HTTP 500", "hang": "timed out"}
    for failure, words in expected.items():
        mirror.fail("/npm/all.zip", failure)
        assert words in sync.sync_ecosystem(db, settings, "npm", force=True).error


def test_a_record_that_fails_mid_incremental_sync_imports_none(db, settings, mirror):
    synced(db, settings)
    mirror.publish("npm", fixture(NEWER))
    mirror.publish("npm", fixture("GHSA-h5c8-rqwp-cp95"))  # newest of all
    mirror.fail(f"/npm/{NEWER}.json", "500")
    outcome = sync.sync_ecosystem(db, settings, "npm", force=True)
    assert "HTTP 500" in outcome.error
    assert advisory_ids(db) == set(FIRST)
    assert feed(db).watermark.isoformat() == "2023-02-27T14:47:14+00:00"
    assert synced(db, settings).report.added == 2


def test_an_invalid_record_is_skipped_and_counted_and_the_rest_imported(db, settings, mirror):
    synced(db, settings)
    mirror.publish("npm", fixture(NEWER))
    mirror.publish("npm", {"id": "GHSA-bad", "modified": "2024-02-01T00:00:00Z"}, body=b'{"id": "GHSA-bad", ')
    outcome = synced(db, settings)
    assert (outcome.report.added, len(outcome.report.invalid)) == (1, 1)
    assert "GHSA-bad" in outcome.report.invalid[0]
    assert advisory_ids(db) == {*FIRST, NEWER}
    assert feed(db).watermark.isoformat() == "2024-02-01T00:00:00+00:00"  # not fetched again


def test_ecosystem_names_are_quoted_in_urls(db, settings, mirror):
    record = fixture("GHSA-r9p9-mrjm-926w") | {"id": "ALPINE-TEST-1"}
    mirror.publish("Alpine:v3.19", record)
    mirror.publish("Rocky Linux", record | {"id": "RLSA-TEST-1"})
    assert synced(db, settings, "Alpine:v3.19").report.added == 1
    assert synced(db, settings, "Rocky Linux").report.added == 1
    assert sync.url_of("http://127.0.0.1:1", "Rocky Linux", "all.zip") == "http://127.0.0.1:1/Rocky%20Linux/all.zip"
    assert [path for path, _ in mirror.asked] == ["/Alpine:v3.19/all.zip", "/Rocky Linux/all.zip"]


def test_two_processes_syncing_at_once_sync_once(db, app_config, settings, mirror):
    other = create_app(app_config)
    databases = [db, get_db(other), db, get_db(other)]
    gate = threading.Barrier(len(databases))
    outcomes: list[list[sync.Outcome]] = []

    def tick(database) -> None:
        gate.wait()
        outcomes.append(sync.sync_due(database, settings.__class__(**{**settings.__dict__, "ecosystems": ("npm",)})))

    try:
        threads = [threading.Thread(target=tick, args=(database,)) for database in databases]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
    finally:
        get_db(other).dispose()
    done = [outcome for batch in outcomes for outcome in batch]
    assert [(outcome.mode, outcome.report.added) for outcome in done] == [("full", 3)]
    assert mirror.count("/npm/all.zip") == 1
    assert advisory_ids(db) == set(FIRST)


def test_a_sync_that_is_not_due_does_nothing(db, settings, mirror):
    synced(db, settings)
    assert sync.sync_ecosystem(db, settings, "npm").mode == "busy"
    with db.session() as session:
        session.execute(update(FeedState).values(next_sync_at=now() - timedelta(seconds=1)))
    assert sync.sync_ecosystem(db, settings, "npm").mode == "unchanged"
    assert len(mirror.asked) == 2


def test_the_default_ecosystems_are_those_in_use(client, db, settings, make_account, mirror):
    owner = make_account()
    server_id = client.post("/api/servers", json={"domain": "web1.example.com"}, auth=owner.auth).json["data"]["id"]
    assert sync.wanted(db, settings) == []
    items = [{"n": "lodash", "v": "4.17.15", "e": "npm"}, {"n": "jinja2", "v": "3.0.0", "e": "pypi"},
             {"n": "openssl", "v": "3.0.11-1~deb12u1", "e": "debian:12"}]
    client.post(f"/api/servers/{server_id}/software_bucket/all", json={"software": items}, auth=owner.auth)
    assert sync.wanted(db, settings) == ["Debian", "PyPI", "npm"]
    assert [outcome.ecosystem for outcome in sync.sync_due(db, settings)] == ["Debian", "PyPI", "npm"]
    assert mirror.count() == {"/Debian/all.zip": 1, "/PyPI/all.zip": 1, "/npm/all.zip": 1}


def count_scans(db) -> int:
    with db.session() as session:
        return session.scalar(select(func.count()).select_from(Scan))


def test_a_bucket_push_that_adds_packages_makes_the_server_due_soon(client, db, make_account):
    owner = make_account()
    server_id = client.post("/api/servers", json={"domain": "web1.example.com"}, auth=owner.auth).json["data"]["id"]

    def next_scan():
        with db.session() as session:
            return session.get(Server, server_id).next_scan_at

    assert next_scan() > now() + timedelta(hours=23)
    items = {"software": [{"n": "lodash", "v": "4.17.15", "e": "npm"}]}
    client.post(f"/api/servers/{server_id}/software_bucket/npm", json=items, auth=owner.auth)
    assert now() < next_scan() <= now() + timedelta(seconds=5)
    with db.session() as session:
        session.execute(update(Server).values(next_scan_at=now() + timedelta(days=1)))
    client.post(f"/api/servers/{server_id}/software_bucket/npm", json=items, auth=owner.auth)  # the same again
    assert next_scan() > now() + timedelta(hours=23)


def test_metrics_show_each_feeds_age_once_it_has_synced(client, db, settings, mirror):
    from tests.integration.test_metrics_and_logs import scrape

    mirror.fail("/PyPI/all.zip", "500")
    assert sync.sync_ecosystem(db, settings, "PyPI", force=True).error is not None
    synced(db, settings)
    samples = scrape(client)
    assert samples[("patrol_feed_synced", (("feed", "osv/npm"),))] == 1
    assert samples[("patrol_feed_synced", (("feed", "osv/PyPI"),))] == 0
    assert 0 <= samples[("patrol_feed_age_seconds", (("feed", "osv/npm"),))] < 3600
    assert ("patrol_feed_age_seconds", (("feed", "osv/PyPI"),)) not in samples
