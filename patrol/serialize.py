"""The contract's objects, built from models. Used by the API and the events."""
from __future__ import annotations

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from patrol.advisories.severity import LEVELS
from patrol.clock import iso
from patrol.models import Bucket, Issue, Scan, Server, Software
from patrol.scanning.readable import version_problem
from patrol.scanning.states import ScanStatus
from patrol.triage.servers import Summary, summaries
from patrol.triage.state import DEFAULT_STALE_AFTER


def scan(row: Scan) -> dict:
    return {
        "id": row.id,
        "server_id": row.server_id,
        "trigger": row.trigger,
        "status": row.status,
        "started_at": iso(row.started_at),
        "finished_at": iso(row.finished_at),
        "issue_count": row.issue_count,
        "new_issue_count": row.new_issue_count,
        "resolved_issue_count": row.resolved_issue_count,
        "error": row.error,
    }


def issue(row: Issue) -> dict:
    advisory = row.advisory
    return {
        "id": row.id,
        "server_id": row.server_id,
        "software": {
            "name": row.software_name,
            "version": row.software_version,
            "location": row.software_location or None,
        },
        "advisory": {
            "id": advisory.osv_id,
            "aliases": list(advisory.aliases or []),
            "summary": advisory.summary,
            "severity": row.severity,
            "url": advisory.url,
            "published": iso(advisory.published),
        },
        "fixed_in": row.fixed_in,
        "first_seen_at": iso(row.first_seen_at),
    }


def software(row: Software, bucket_key: str | None = None) -> dict:
    return {
        "id": row.id,
        "name": row.name,
        "version": row.version,
        "location": row.location,
        "parent": row.parent,
        "ecosystem": row.ecosystem,
        "version_error": version_problem(row),
        "bucket": bucket_key if bucket_key is not None else row.bucket.key,
    }


def bucket(row: Bucket) -> dict:
    items = []
    for item in row.software:
        entry = {"n": item.name, "v": item.version, "l": item.location, "p": item.parent}
        if item.ecosystem:
            entry["e"] = item.ecosystem
        items.append({k: v for k, v in entry.items() if v is not None})
    return {
        "id": row.id,
        "key": row.key,
        "server_id": row.server_id,
        "software": items,
        "expire": row.expire,
        "expires_at": iso(row.expires_at),
        "updated_at": iso(row.updated_at),
    }


def servers(session: Session, rows: list[Server], stale_after: int = DEFAULT_STALE_AFTER) -> list[dict]:
    """Servers with their latest scan, state and open-issue counts, in a few queries."""
    if not rows:
        return []
    latest = _latest_scans(session, [row.id for row in rows])
    found = summaries(session, rows[0].account_id, rows, stale_after)
    return [_server(row, latest.get(row.id), found[row.id]) for row in rows]


def server(session: Session, row: Server, stale_after: int = DEFAULT_STALE_AFTER) -> dict:
    return servers(session, [row], stale_after)[0]


def _latest_scans(session: Session, ids: list[int]) -> dict[int, Scan]:
    newest = (
        select(func.max(Scan.id)).where(Scan.server_id.in_(ids)).group_by(Scan.server_id)
    ).scalar_subquery()
    return {row.server_id: row for row in session.scalars(select(Scan).where(Scan.id.in_(newest)))}


def _server(row: Server, last: Scan | None, summary: Summary) -> dict:
    facts = summary.facts
    return {
        "id": row.id,
        "name": row.name,
        "created_at": iso(row.created_at),
        "scanning": last is not None and last.status == ScanStatus.RUNNING,
        "last_scan": scan(last) if last is not None else None,
        "issue_count": facts.open_issues,
        "state": summary.state,
        "open_by_severity": {level: n for level in LEVELS if (n := facts.open_by_severity.get(level))},
        "dismissed_issue_count": facts.dismissed,
        "software_count": facts.live_items,
        "last_push_at": iso(facts.last_push_at),
        "advisories_as_of": iso(summary.advisories_as_of),
    }
