"""Scan workers and the daily schedule, as background loops."""
from __future__ import annotations

from datetime import timedelta

from flask import Flask
from sqlalchemy import select, update

from patrol import background
from patrol.clock import now
from patrol.db import Database, get_db
from patrol.errors import AlreadyScanning
from patrol.models import Server
from patrol.scanning import jobs

POLL = 5.0
SCHEDULE_BATCH = 100


def run_one(db: Database) -> bool:
    """Claim one scan and run it; False when there was nothing to do."""
    claimed = jobs.claim(db, limit=1)
    for scan_id in claimed:
        jobs.run(db, scan_id)
    return bool(claimed)


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
            if moved.rowcount == 1 and _start_quietly(session, server):
                started += 1
    return started


def _start_quietly(session, server: Server) -> bool:  # noqa: ANN001
    try:
        jobs.start(session, server, "scheduled")
    except AlreadyScanning:
        return False
    return True


def init_app(app: Flask) -> None:
    """Register the scan loops; they start with `patrol serve`."""
    db, config = get_db(app), app.config
    bg = background.get(app)
    workers = [
        bg.add(background.Loop(f"scan-worker-{n}", lambda: run_one(db), POLL))
        for n in range(config["SCAN_WORKERS"])
    ]
    bg.add(
        background.Loop(
            "scan-scheduler",
            lambda: schedule_due(db, config["SCAN_INTERVAL"]) > 0,
            config["SCHEDULER_TICK"],
        )
    )
    db.on_events_committed(lambda: [loop.wake() for loop in workers])
