"""Scan workers and the daily schedule, as background loops."""
from __future__ import annotations

from datetime import timedelta

from flask import Flask
from sqlalchemy import select, update

from patrol import background, config, wakeups
from patrol.clock import now
from patrol.db import Database, get_db, rows_changed
from patrol.errors import AlreadyScanning
from patrol.models import Server
from patrol.scanning import jobs
from patrol.scanning.states import ScanTrigger
from patrol.triage.state import DEFAULT_STALE_AFTER

POLL = 5.0
SCHEDULE_BATCH = 100


class ScanWorker:
    """One worker loop's work: claim a scan and run it.

    When the database goes away mid-scan, the scan stays `running` under this
    worker's lease; the worker remembers it and, first thing on the next tick
    that reaches the database, gives it back to the queue, so it runs again
    within one poll of the database's return instead of after the lease.
    """

    def __init__(self, db: Database, stale_after: int = DEFAULT_STALE_AFTER) -> None:
        self.db, self.stale_after = db, stale_after
        self.orphans: set[int] = set()

    def tick(self) -> bool:
        """False when there was nothing to do; raises while the database is away."""
        if self.orphans:
            jobs.release(self.db, self.orphans)
            self.orphans.clear()
        claimed = jobs.claim(self.db, limit=1)
        self.run(claimed)
        return bool(claimed)

    def run(self, scan_ids: list[int]) -> None:
        for position, scan_id in enumerate(scan_ids):
            try:
                jobs.run(self.db, scan_id, self.stale_after)
            except jobs.ScanOrphaned:
                self.orphans.update(scan_ids[position:])  # this one and the leased ones not yet run
                raise


def run_one(db: Database) -> bool:
    """Claim one scan and run it; False when there was nothing to do."""
    return ScanWorker(db).tick()


def schedule_due(db: Database, interval: int) -> int:
    """Start a scheduled scan for each server that is due; returns how many.

    Moving `next_scan_at` with a compare-and-set is what makes a server be
    scanned once even when several processes run this at the same moment.
    """
    moment, started = now(), 0
    with db.session() as session:
        due = select(Server).where(Server.next_scan_at <= moment).limit(SCHEDULE_BATCH)
        if db.is_postgres:
            due = due.with_for_update(skip_locked=True)
        for server in list(session.scalars(due)):
            moved = session.execute(
                update(Server)
                .where(Server.id == server.id, Server.next_scan_at == server.next_scan_at)
                .values(next_scan_at=moment + timedelta(seconds=interval))
                .execution_options(synchronize_session=False)
            )
            if rows_changed(moved) == 1 and _start_quietly(session, server):
                started += 1
    return started


def _start_quietly(session, server: Server) -> bool:  # noqa: ANN001
    try:
        jobs.start(session, server, ScanTrigger.SCHEDULED)
    except AlreadyScanning:
        return False
    return True


def init_app(app: Flask) -> None:
    """Register the scan loops, woken by queued scans; they start with `patrol serve` or `patrol worker`."""
    db, core = get_db(app), config.of(app, config.Core)
    bg = background.get(app)
    for n in range(core.scan_workers):
        worker = background.Loop(f"scan-worker-{n}", ScanWorker(db, core.stale_after).tick, POLL)
        bg.add(worker)
        wakeups.get(app).on(wakeups.SCANS, worker.wake)
    bg.add(
        background.Loop(
            "scan-scheduler",
            lambda: schedule_due(db, config.of(app, config.Core).scan_interval) > 0,
            core.scheduler_tick,
        )
    )
