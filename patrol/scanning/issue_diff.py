"""A scan's findings against the server's open issues, written in bulk.

New issues go in with one multi-row INSERT … RETURNING, resolved ones with
an UPDATE per batch of ids, and only open issues whose version, fix or
severity changed are updated (by primary key, executemany). The open issues
are read as plain columns; only the new ones are loaded as ORM rows, for the
event that reports them.
"""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import Row, insert, select, update
from sqlalchemy.orm import Session

from patrol.clock import now
from patrol.models import Issue, Scan
from patrol.scanning.matcher import Finding

BATCH = 500
_OPEN_COLUMNS = (Issue.id, Issue.advisory_id, Issue.software_name, Issue.software_location,
                 Issue.software_version, Issue.fixed_in, Issue.severity)


def apply(session: Session, scan: Scan, findings: list[Finding]) -> tuple[list[Issue], int, int]:
    """Open new issues, refresh kept ones, resolve gone ones: (new issues, resolved, open)."""
    open_rows = session.execute(
        select(*_OPEN_COLUMNS).where(Issue.server_id == scan.server_id, Issue.resolved_at.is_(None))
    )
    previous = {(row.advisory_id, row.software_name, row.software_location): row for row in open_rows}
    current = {finding.identity: finding for finding in findings}
    moment = now()
    new_ids = _open(session, scan, [f for key, f in current.items() if key not in previous], moment)
    _refresh(session, [(previous[key], f) for key, f in current.items() if key in previous])
    gone = [row.id for key, row in previous.items() if key not in current]
    _resolve(session, scan.id, gone, moment)
    return _load(session, new_ids), len(gone), len(current)


def _open(session: Session, scan: Scan, findings: list[Finding], moment: datetime) -> list[int]:
    if not findings:
        return []
    rows = [_issue_row(scan, finding, moment) for finding in findings]
    return list(session.scalars(insert(Issue).returning(Issue.id, sort_by_parameter_order=True), rows))


def _issue_row(scan: Scan, finding: Finding, moment: datetime) -> dict:
    return {
        "server_id": scan.server_id,
        "advisory_id": finding.advisory.id,
        "software_name": finding.software.name,
        "software_version": finding.software.version,
        "software_location": finding.software.location or "",
        "ecosystem": finding.software.ecosystem,
        "fixed_in": finding.fixed_in,
        "severity": finding.advisory.severity,
        "first_seen_at": moment,
        "first_scan_id": scan.id,
    }


def _refresh(session: Session, kept: list[tuple[Row, Finding]]) -> None:
    """Update the kept issues whose facts changed (a steady rescan changes none)."""
    changed = [
        {"id": row.id, "software_version": fresh[0], "fixed_in": fresh[1], "severity": fresh[2]}
        for row, finding in kept
        if (row.software_version, row.fixed_in, row.severity)
        != (fresh := (finding.software.version, finding.fixed_in, finding.advisory.severity))
    ]
    if changed:
        session.execute(update(Issue), changed)


def _resolve(session: Session, scan_id: int, ids: list[int], moment: datetime) -> None:
    for start in range(0, len(ids), BATCH):
        session.execute(
            update(Issue)
            .where(Issue.id.in_(ids[start : start + BATCH]))
            .values(resolved_at=moment, resolved_scan_id=scan_id)
            .execution_options(synchronize_session=False)
        )


def _load(session: Session, ids: list[int]) -> list[Issue]:
    """The new issues as ORM rows with their advisories, in the order they were opened."""
    loaded: list[Issue] = []
    for start in range(0, len(ids), BATCH):
        loaded.extend(session.scalars(select(Issue).where(Issue.id.in_(ids[start : start + BATCH])).order_by(Issue.id)))
    return loaded
