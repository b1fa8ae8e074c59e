"""Each feed's row in `feed_states`: who syncs it, when, and how it went.

A process syncs a feed only after a compare-and-set moved the row's lease
forward (one UPDATE whose WHERE says "nobody holds it, and it is due"), so
any number of processes sync each feed once. Failures push the next try
back exponentially, up to the feed's interval.
"""
from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import or_, select, update
from sqlalchemy.exc import IntegrityError

from patrol.clock import now
from patrol.db import Database, rows_changed
from patrol.models import FeedState

LEASE = timedelta(minutes=30)  # a process that died mid-sync frees the feed after this
FIRST_RETRY = 60.0


def claim(db: Database, name: str, force: bool = False) -> FeedState | None:
    """Take the feed for one sync; None when another process holds it (or, unless
    `force`, when it is not due yet). Returns the row as it was claimed."""
    _ensure(db, name)
    moment = now()
    free = or_(FeedState.lease_until.is_(None), FeedState.lease_until < moment)
    due = or_(FeedState.next_sync_at.is_(None), FeedState.next_sync_at <= moment)
    with db.session() as session:
        moved = session.execute(
            update(FeedState)
            .where(FeedState.name == name, free, *(() if force else (due,)))
            .values(lease_until=moment + LEASE, last_attempt_at=moment)
            .execution_options(synchronize_session=False)
        )
        return session.get(FeedState, name) if rows_changed(moved) == 1 else None


def succeeded(db: Database, name: str, interval: int, **held: object) -> None:
    """Release the feed after a sync that worked; `held` updates watermark, validators, records."""
    moment = now()
    values = dict(held, lease_until=None, failures=0, last_error=None, last_success_at=moment,
                  next_sync_at=moment + timedelta(seconds=interval))
    with db.session() as session:
        session.execute(update(FeedState).where(FeedState.name == name).values(**values))


def failed(db: Database, name: str, interval: int, error: str) -> float:
    """Release the feed after a failure; returns the seconds until the next try."""
    with db.session() as session:
        state = session.get(FeedState, name)
        if state is None:  # claim() made the row; without it there is nothing to release
            return backoff(1, interval)
        state.failures += 1
        delay = backoff(state.failures, interval)
        state.last_error, state.lease_until = error[:1000], None
        state.next_sync_at = now() + timedelta(seconds=delay)
    return delay


def backoff(failures: int, interval: int) -> float:
    """60 s, 120 s, 240 s, ... but never longer than the feed's own interval."""
    return min(FIRST_RETRY * 2 ** (failures - 1), max(float(interval), FIRST_RETRY))


def states(db: Database, prefix: str) -> dict[str, FeedState]:
    with db.reader() as session:
        rows = session.scalars(select(FeedState).where(FeedState.name.startswith(prefix, autoescape=True)))
        return {row.name: row for row in rows}


def is_stale(state: FeedState | None, interval: int, moment: datetime) -> bool:
    """Never synced, or not successfully for two intervals (0: syncing by hand only)."""
    if state is None or state.last_success_at is None:
        return True
    return interval > 0 and state.last_success_at < moment - timedelta(seconds=2 * interval)


def _ensure(db: Database, name: str) -> None:
    """The feed's row, inserted on first use (due at once)."""
    with db.session() as session:
        if session.get(FeedState, name) is not None:
            return
        try:
            with session.begin_nested():
                session.add(FeedState(name=name, failures=0, validators={}, records=0))
        except IntegrityError:
            pass  # another process inserted it first
