"""The life of a scan: start, claim, run, finish or fail.

A `running` scan row is its own job. Workers claim it with a lease; a lease
that runs out (the worker died) makes it claimable again. Results, issue
changes and the events that report them commit in one transaction.
"""
from __future__ import annotations

import logging
import time
from datetime import datetime, timedelta

from sqlalchemy import or_, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from patrol import events, metrics, wakeups
from patrol.clock import now
from patrol.db import Database
from patrol.errors import AlreadyScanning
from patrol.inventory.buckets import live_items
from patrol.models import Issue, Scan, Server
from patrol.scanning import frozen_heap, issue_diff, matcher
from patrol.scanning.states import ScanStatus, ScanTrigger
from patrol.transactions import is_unavailable
from patrol.triage import dismissals
from patrol.triage.servers import last_pushes, open_rows, tally
from patrol.triage.state import DEFAULT_STALE_AFTER

log = logging.getLogger(__name__)
LEASE = timedelta(minutes=5)


def start(session: Session, server: Server, trigger: ScanTrigger) -> Scan:
    """Insert a running scan and its `scan_started` event; 409 if one runs."""
    scan = Scan(server_id=server.id, trigger=trigger, status=ScanStatus.RUNNING, started_at=now())
    try:
        with session.begin_nested():
            session.add(scan)
            session.flush()
    except IntegrityError as exc:
        raise AlreadyScanning(f"{server.name} is already being scanned.") from exc
    events.record(session, server.account_id, events.SCAN_STARTED, server=server, scan=scan)
    wakeups.notify(session, wakeups.SCANS)
    return scan


def is_scanning(session: Session, server: Server) -> bool:
    running = select(Scan.id).where(Scan.server_id == server.id, Scan.status == ScanStatus.RUNNING)
    return session.scalar(running.limit(1)) is not None


def claim(db: Database, limit: int) -> list[int]:
    """Lease up to `limit` running scans that no live worker holds."""
    moment = now()
    with db.session() as session:
        due = (
            select(Scan.id)
            .where(Scan.status == ScanStatus.RUNNING, or_(Scan.lease_until.is_(None), Scan.lease_until < moment))
            .order_by(Scan.id)
            .limit(limit)
        )
        if db.is_postgres:
            due = due.with_for_update(skip_locked=True)
        ids = list(session.scalars(due))
        if ids:
            session.execute(
                update(Scan).where(Scan.id.in_(ids)).values(lease_until=moment + LEASE)
            )
        return ids


class ScanOrphaned(Exception):
    """The database went away during the scan: it is still `running`, under this worker's lease."""

    def __init__(self, scan_id: int) -> None:
        super().__init__(f"scan {scan_id} lost its database connection")
        self.scan_id = scan_id


def run(db: Database, scan_id: int, stale_after: int = DEFAULT_STALE_AFTER) -> None:
    """Run a claimed scan to its end; a failure is recorded, never raised.

    Except a lost database, which cannot record anything: `ScanOrphaned`
    tells the worker to give the scan back (`release`) once it answers again.
    """
    started = time.monotonic()
    try:
        with db.session() as session:
            ran = _finish(session, scan_id, stale_after)
    except Exception as exc:  # any failure must end the scan visibly
        if is_unavailable(exc):
            raise ScanOrphaned(scan_id) from exc
        log.exception("scan %s failed", scan_id)
        with db.session() as session:
            _fail(session, scan_id, f"{type(exc).__name__}: {exc}"[:500])
        metrics.record_scan(ScanStatus.FAILED, time.monotonic() - started)
    else:
        if ran:
            metrics.record_scan(ScanStatus.FINISHED, time.monotonic() - started)
    frozen_heap.freeze_when_grown(matcher.compiled_so_far())


def release(db: Database, scan_ids: set[int]) -> None:
    """Make scans claimable at once instead of when their lease runs out.

    Released, not failed: nothing of an orphaned scan was committed (its
    results and events commit together), so running it again gives the
    answer it would have given, and whoever asked for it gets a result.
    """
    with db.session() as session:
        session.execute(
            update(Scan).where(Scan.id.in_(scan_ids), Scan.status == ScanStatus.RUNNING).values(lease_until=None)
        )
        wakeups.notify(session, wakeups.SCANS)


def _finish(session: Session, scan_id: int, stale_after: int) -> bool:
    """Scan and commit; False when the scan was no longer running (nothing done)."""
    running = _running(session, scan_id, lock=True)
    if running is None:
        return False
    scan, server = running
    items = live_items(session, server.id)
    findings = matcher.find(session, items)
    new, resolved, rows = issue_diff.apply(session, scan, findings)
    covered = dismissals.active_for(session, server.account_id, rows)
    alerts, returned = _alerts(session, rows, covered, new)
    by_severity, dismissed = _counts(rows, covered, server.id)
    scan.status, scan.finished_at, scan.lease_until = ScanStatus.FINISHED, now(), None
    scan.issue_count, scan.new_issue_count, scan.resolved_issue_count = sum(by_severity.values()), len(alerts), resolved
    counts = {"issues": scan.issue_count, "new": len(alerts) - returned, "returned": returned, "resolved": resolved,
              "dismissed": dismissed, "by_severity": by_severity, "software": len(items),
              "stale_days": _stale_days(session, server.id, scan.finished_at, stale_after)}
    if alerts:
        events.record(
            session, server.account_id, events.NEW_SERVER_ISSUES,
            server=server, scan=scan, issues=alerts, counts=counts,
        )
    events.record(session, server.account_id, events.SCAN_FINISHED, server=server, scan=scan, counts=counts)
    return True


def _running(session: Session, scan_id: int, lock: bool) -> tuple[Scan, Server] | None:
    """The scan and its server while the scan runs; None once it ended or went with its server."""
    scan = session.get(Scan, scan_id, with_for_update=lock)
    if scan is None or scan.status != ScanStatus.RUNNING:
        return None
    server = session.get(Server, scan.server_id)
    return None if server is None else (scan, server)


def _open_issues(session: Session, server: Server) -> tuple[list, dict]:
    """The server's open issues (as columns) and the dismissals covering them."""
    rows = open_rows(session, [server.id])
    return rows, dismissals.active_for(session, server.account_id, rows)


def _alerts(session: Session, rows: list, covered: dict, new: list[Issue]) -> tuple[list[Issue], int]:
    """What to report: new issues no dismissal covers, and issues whose dismissal
    ended (expired, or the advisory's ranges changed) since the last scan. Marks
    each open issue silenced or not for the next scan; returns (alerts, returned)."""
    flips = [{"id": row.id, "silenced": row.id in covered} for row in rows if row.silenced != (row.id in covered)]
    if flips:
        session.execute(update(Issue), flips)
    fresh = {row.id for row in new}
    back = [row.id for row in rows if row.silenced and row.id not in covered and row.id not in fresh]
    returned = list(session.scalars(select(Issue).where(Issue.id.in_(back)).order_by(Issue.id))) if back else []
    return [row for row in new if row.id not in covered] + returned, len(returned)


def _stale_days(session: Session, server_id: int, moment: datetime, stale_after: int) -> int | None:
    """Whole days since the server's last push when that is longer ago than `stale_after`:
    a clean scan of an old software list is no all-clear (None while the list is fresh)."""
    pushed = last_pushes(session, [server_id]).get(server_id)
    if pushed is None or pushed >= moment - timedelta(seconds=stale_after):
        return None
    return (moment - pushed).days


def _counts(rows: list, covered: dict, server_id: int) -> tuple[dict[str, int], int]:
    """Open, undismissed issues by severity (Slack messages show them), and how
    many open issues are dismissed."""
    by_severity, dismissed = tally(rows, covered)
    return by_severity.get(server_id, {}), dismissed.get(server_id, 0)


def _fail(session: Session, scan_id: int, reason: str) -> None:
    running = _running(session, scan_id, lock=False)
    if running is None:
        return
    scan, server = running
    scan.status, scan.finished_at, scan.lease_until, scan.error = ScanStatus.FAILED, now(), None, reason
    still_open, dismissed = _counts(*_open_issues(session, server), server.id)  # a failed scan changes no issue
    counts = {"issues": sum(still_open.values()), "new": 0, "returned": 0, "resolved": 0, "dismissed": dismissed,
              "by_severity": still_open}
    events.record(session, server.account_id, events.SCAN_FINISHED, server=server, scan=scan, counts=counts)
