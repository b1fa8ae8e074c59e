"""What the dashboard and a server's page show, read in a few queries."""
from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable

from sqlalchemy import Row, case, func, select
from sqlalchemy.orm import Session

from patrol import serialize
from patrol.advisories.severity import LEVELS
from patrol.clock import now
from patrol.inventory.buckets import is_live
from patrol.models import Advisory, Bucket, Issue, Scan, Server, Software
from web.paging import Page

RECENT_SCANS = 10
ISSUES_PER_PAGE = 100
SOFTWARE_PER_PAGE = 200
# Most severe first, in SQL, so that a page of issues is read without the rest.
SEVERITY_ORDER = case({level: index for index, level in enumerate(LEVELS)}, value=Issue.severity, else_=len(LEVELS))


def open_by_severity(session: Session, server_ids: list[int]) -> dict[int, dict[str, int]]:
    """Each server's open issues counted per severity, worst first."""
    counts: dict[int, dict[str, int]] = defaultdict(dict)
    rows: Iterable[Row] = session.execute(
        select(Issue.server_id, Issue.severity, func.count())
        .where(Issue.server_id.in_(server_ids), Issue.resolved_at.is_(None))
        .group_by(Issue.server_id, Issue.severity)
    ) if server_ids else []
    for server_id, severity, count in rows:
        counts[server_id][severity] = count
    return {sid: {level: by[level] for level in LEVELS if level in by} for sid, by in counts.items()}


def dashboard(session: Session, servers: list[Server]) -> list[dict]:
    """The contract's server objects, each with `by_severity` added."""
    shown = serialize.servers(session, servers)
    counts = open_by_severity(session, [server["id"] for server in shown])
    for server in shown:
        server["by_severity"] = counts.get(server["id"], {})
    return shown


def open_issues(session: Session, server: Server, page: Page) -> list[dict]:
    """One page of the server's open issues, most severe first."""
    rows = session.scalars(
        select(Issue).join(Advisory, Issue.advisory_id == Advisory.id)
        .where(Issue.server_id == server.id, Issue.resolved_at.is_(None))
        .order_by(SEVERITY_ORDER, Issue.software_name, Advisory.osv_id, Issue.id)
        .offset(page.offset).limit(page.size)
    )
    return [{**serialize.issue(row), "details": row.advisory.details} for row in rows.unique()]


def buckets(session: Session, server: Server) -> list[dict]:
    """Each bucket with how much software it holds, and whether it still counts (an expired one does not)."""
    moment = now()
    rows = session.execute(
        select(Bucket, func.count(Software.id)).outerjoin(Software, Software.bucket_id == Bucket.id)
        .where(Bucket.server_id == server.id).group_by(Bucket.id).order_by(Bucket.key)
    )
    return [{"key": bucket.key, "count": count, "live": is_live(bucket, moment), "expires_at": bucket.expires_at,
             "updated_at": bucket.updated_at} for bucket, count in rows]


def recent_scans(session: Session, server: Server) -> list[dict]:
    rows = session.scalars(
        select(Scan).where(Scan.server_id == server.id).order_by(Scan.id.desc()).limit(RECENT_SCANS)
    )
    return [serialize.scan(row) for row in rows]
