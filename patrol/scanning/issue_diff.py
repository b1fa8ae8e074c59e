"""A scan's findings against the server's open issues, written in bulk.

New issues go in with one multi-row INSERT … RETURNING, resolved ones with
an UPDATE per batch of ids, and only open issues whose version, fix or
severity changed are updated (by primary key, executemany). The open issues
are read once, as plain tuples, and the ones open after the diff are handed
back for the alerts and counts; only the new ones are loaded as ORM rows, for
the event that reports them.
"""
from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from typing import Any, NamedTuple, cast

from sqlalchemy import insert, select, update
from sqlalchemy.orm import Session

from patrol.clock import now
from patrol.models import Issue, Scan
from patrol.scanning.matcher import Finding

BATCH = 500
# Read by position (a scan reads thousands): 0 id, 1-3 the identity, 4-6 the facts, 7 silenced.
_OPEN_COLUMNS = (Issue.id, Issue.advisory_id, Issue.software_name, Issue.software_location,
                 Issue.software_version, Issue.fixed_in, Issue.severity, Issue.silenced)
_IDENTITY, _FACTS = slice(1, 4), slice(4, 7)


class OpenIssue(NamedTuple):
    """An issue open after the scan, with the columns that alerts, dismissals and counts read."""

    id: int
    advisory_id: int
    server_id: int
    severity: str
    silenced: bool


class Outcome(NamedTuple):
    new: list[Issue]  # opened by this scan, in the order opened
    resolved: int
    open: list[OpenIssue]  # every open issue, new ones included, by id


def apply(session: Session, scan: Scan, findings: list[Finding]) -> Outcome:
    """Open new issues, refresh kept ones, resolve gone ones."""
    open_rows = session.connection().execute(
        select(*_OPEN_COLUMNS).where(Issue.server_id == scan.server_id, Issue.resolved_at.is_(None))
    )
    previous: dict[tuple, Any] = {cast(tuple, row[_IDENTITY]): row for row in open_rows}  # a slice of a row
    fresh, kept = [], []
    for key, finding in {finding.identity: finding for finding in findings}.items():
        row = previous.pop(key, None)  # what stays in `previous` is gone
        if row is None:
            fresh.append(finding)
        else:
            kept.append((row, finding))
    moment = now()
    new_ids = _open(session, scan, fresh, moment)
    _refresh(session, kept)
    gone = [row[0] for row in previous.values()]
    _resolve(session, scan.id, gone, moment)
    return Outcome(_load(session, new_ids), len(gone), _still_open(scan.server_id, kept, zip(new_ids, fresh)))


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


def _refresh(session: Session, kept: list[tuple[tuple, Finding]]) -> None:
    """Update the kept issues whose facts changed (a steady rescan changes none)."""
    changed = [
        {"id": row[0], "software_version": fresh[0], "fixed_in": fresh[1], "severity": fresh[2]}
        for row, finding in kept
        if row[_FACTS] != (fresh := (finding.software.version, finding.fixed_in, finding.advisory.severity))
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


def _still_open(server_id: int, kept: list[tuple[tuple, Finding]],
                opened: Iterable[tuple[int, Finding]]) -> list[OpenIssue]:
    """The kept issues (with their refreshed severity) and the new ones (never silenced yet), by id."""
    rows = [OpenIssue(row[0], row[1], server_id, finding.advisory.severity, row[7])
            for row, finding in kept]
    rows.sort()
    rows.extend(OpenIssue(issue_id, finding.advisory.id, server_id, finding.advisory.severity, False)
                for issue_id, finding in opened)
    return rows


def _load(session: Session, ids: list[int]) -> list[Issue]:
    """The new issues as ORM rows with their advisories, in the order they were opened."""
    loaded: list[Issue] = []
    for start in range(0, len(ids), BATCH):
        loaded.extend(session.scalars(select(Issue).where(Issue.id.in_(ids[start : start + BATCH])).order_by(Issue.id)))
    return loaded
