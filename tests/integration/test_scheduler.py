"""The daily schedule and scan leases, on one database shared by several apps."""
from __future__ import annotations

import threading
from datetime import timedelta

import pytest
from sqlalchemy import select, update

from patrol import create_app, events
from patrol.clock import now
from patrol.db import get_db
from patrol.models import Event, Scan, Server
from patrol.scanning import jobs, workers

INTERVAL = 86400


@pytest.fixture
def second_app(app_config):
    """Another Patrol process on the same database."""
    other = create_app(app_config)
    yield other
    get_db(other).dispose()


def _set_next_scan(db, server_id: int, when) -> None:
    with db.session() as session:
        session.execute(update(Server).where(Server.id == server_id).values(next_scan_at=when))


def _scans(db) -> list[Scan]:
    with db.session() as session:
        return list(session.scalars(select(Scan).order_by(Scan.id)))


def test_only_due_servers_get_a_scheduled_scan(db, make_account, make_server):
    owner = make_account()
    due, later = make_server(owner, "due.example.com"), make_server(owner, "later.example.com")
    _set_next_scan(db, due, now() - timedelta(minutes=1))
    _set_next_scan(db, later, now() + timedelta(hours=1))

    assert workers.schedule_due(db, INTERVAL) == 1
    [scan] = _scans(db)
    assert (scan.server_id, scan.trigger, scan.status) == (due, "scheduled", "running")
    with db.session() as session:
        moved = session.get(Server, due).next_scan_at
        assert now() + timedelta(seconds=INTERVAL - 60) < moved <= now() + timedelta(seconds=INTERVAL)
        started = session.scalars(select(Event).where(Event.server_id == due)).one()
        assert started.identifier == events.SCAN_STARTED
        assert started.payload["scan"]["trigger"] == "scheduled"


def test_calling_it_again_starts_nothing_more(db, make_account, make_server):
    server_id = make_server(make_account())
    _set_next_scan(db, server_id, now() - timedelta(seconds=1))
    assert workers.schedule_due(db, INTERVAL) == 1
    assert workers.schedule_due(db, INTERVAL) == 0
    assert len(_scans(db)) == 1


def test_two_apps_scheduling_at_once_start_each_scan_once(db, second_app, make_account, make_server):
    owner = make_account()
    ids = [make_server(owner, f"web{n}.example.com") for n in range(6)]
    for server_id in ids:
        _set_next_scan(db, server_id, now() - timedelta(seconds=1))
    databases = [db, get_db(second_app)] * 2  # two calls in each of two processes
    gate = threading.Barrier(len(databases))
    started: list[int] = []

    def tick(database) -> None:
        gate.wait()
        started.append(workers.schedule_due(database, INTERVAL))

    threads = [threading.Thread(target=tick, args=(database,)) for database in databases]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sum(started) == len(ids)
    assert sorted(scan.server_id for scan in _scans(db)) == ids
    with db.session() as session:
        assert len(session.scalars(select(Event)).all()) == len(ids)


def test_a_server_that_is_already_scanning_is_skipped_but_rescheduled(db, make_account, make_server):
    server_id = make_server(make_account())
    with db.session() as session:
        jobs.start(session, session.get(Server, server_id), "api")
    _set_next_scan(db, server_id, now() - timedelta(seconds=1))
    assert workers.schedule_due(db, INTERVAL) == 0
    assert [scan.trigger for scan in _scans(db)] == ["api"]
    with db.session() as session:
        assert session.get(Server, server_id).next_scan_at > now()


def test_a_scheduled_scan_is_run_by_a_worker(db, make_account, make_server):
    server_id = make_server(make_account())
    _set_next_scan(db, server_id, now() - timedelta(seconds=1))
    workers.schedule_due(db, INTERVAL)
    assert workers.run_one(db) is True
    [scan] = _scans(db)
    assert (scan.status, scan.trigger, scan.lease_until) == ("finished", "scheduled", None)
    assert workers.run_one(db) is False


def _running_scan(db, make_account, make_server) -> int:
    server_id = make_server(make_account())
    with db.session() as session:
        return jobs.start(session, session.get(Server, server_id), "api").id


def test_a_claimed_scan_is_leased_and_not_claimed_twice(db, second_app, make_account, make_server):
    scan_id = _running_scan(db, make_account, make_server)
    assert jobs.claim(db, 1) == [scan_id]
    assert jobs.claim(db, 1) == []
    assert jobs.claim(get_db(second_app), 5) == []
    with db.session() as session:
        assert session.get(Scan, scan_id).lease_until > now()


def test_a_scan_whose_lease_ran_out_is_claimable_again(db, second_app, make_account, make_server):
    scan_id = _running_scan(db, make_account, make_server)
    assert jobs.claim(db, 1) == [scan_id]
    with db.session() as session:  # the worker that held it died
        session.get(Scan, scan_id).lease_until = now() - timedelta(seconds=1)
    assert jobs.claim(get_db(second_app), 1) == [scan_id]
    jobs.run(get_db(second_app), scan_id)
    with db.session() as session:
        assert session.get(Scan, scan_id).status == "finished"


def test_a_finished_scan_is_never_claimed(db, make_account, make_server):
    scan_id = _running_scan(db, make_account, make_server)
    assert workers.run_one(db) is True
    with db.session() as session:
        session.get(Scan, scan_id).lease_until = None
    assert jobs.claim(db, 5) == []


def test_running_a_scan_twice_finishes_it_once(db, make_account, make_server):
    scan_id = _running_scan(db, make_account, make_server)
    jobs.claim(db, 1)
    jobs.run(db, scan_id)
    jobs.run(db, scan_id)  # a second worker whose lease had run out
    with db.session() as session:
        finished = session.scalars(select(Event).where(Event.identifier == events.SCAN_FINISHED)).all()
    assert len(finished) == 1


def test_concurrent_claims_share_out_the_scans(db, second_app, make_account, make_server):
    scan_ids = sorted(_running_scan(db, make_account, make_server) for _ in range(4))
    databases = [db, get_db(second_app)]
    gate = threading.Barrier(len(databases))
    claimed: list[list[int]] = []

    def take(database) -> None:
        gate.wait()
        claimed.append(jobs.claim(database, 4))

    threads = [threading.Thread(target=take, args=(database,)) for database in databases]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(scan_id for batch in claimed for scan_id in batch) == scan_ids
