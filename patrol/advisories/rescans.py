"""Rescanning the servers that changed advisories affect, and no other.

Affected servers are found through the index on software (osv_ecosystem,
osv_name): one probe per package the changed advisories name, so the cost
follows what changed, not the size of the fleet. Scans go through the
normal queue; a server already queued is not queued twice.
"""
from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable

from sqlalchemy import Select, select
from sqlalchemy.orm import Session

from patrol.clock import now
from patrol.db import Database
from patrol.errors import AlreadyScanning
from patrol.inventory.buckets import live_filter
from patrol.models import Bucket, Scan, Server, Software
from patrol.scanning import jobs
from patrol.scanning.states import ScanStatus, ScanTrigger
from patrol.servers import scan_soon

BATCH = 500


def affected_query(ecosystem: str, names: list[str]) -> Select:
    """The servers whose live software has one of these packages (bench/ shows its plan)."""
    return (
        select(Software.server_id)
        .join(Bucket, Software.bucket_id == Bucket.id)
        .where(Software.osv_ecosystem == ecosystem, Software.osv_name.in_(names), live_filter(now()))
        .distinct()
    )


def affected_servers(session: Session, keys: Iterable[tuple[str, str]]) -> set[int]:
    names: dict[str, list[str]] = defaultdict(list)
    for ecosystem, name in keys:
        names[ecosystem].append(name)
    found: set[int] = set()
    for ecosystem, wanted in names.items():
        wanted.sort()
        for start in range(0, len(wanted), BATCH):
            found.update(session.scalars(affected_query(ecosystem, wanted[start : start + BATCH])))
    return found


def rescan(db: Database, keys: Iterable[tuple[str, str]]) -> int:
    """Queue a scan of every server these (ecosystem, name) pairs affect; returns how many."""
    with db.reader() as session:
        server_ids = sorted(affected_servers(session, keys))
    queued = 0
    for start in range(0, len(server_ids), BATCH):
        with db.session() as session:
            batch = session.scalars(select(Server).where(Server.id.in_(server_ids[start : start + BATCH])))
            queued += sum(_queue(session, server) for server in batch)
    return queued


def _queue(session: Session, server: Server) -> int:
    try:
        jobs.start(session, server, ScanTrigger.SCHEDULED)  # an automatic scan is a scheduled one
    except AlreadyScanning:
        # A queued scan will read the new advisories; one a worker already runs
        # may have read the old ones, so the scheduler scans the server again.
        if _claimed(session, server.id):
            scan_soon(session, server.id, now())
        return 0
    return 1


def _claimed(session: Session, server_id: int) -> bool:
    lease = select(Scan.lease_until).where(Scan.server_id == server_id, Scan.status == ScanStatus.RUNNING)
    return session.scalar(lease) is not None
