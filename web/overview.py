"""What the dashboard and a server's page show, read in a few queries."""
from __future__ import annotations

from collections import defaultdict

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from patrol import serialize
from patrol.advisories.severity import LEVELS, rank
from patrol.models import Issue, Scan, Server

RECENT_SCANS = 10


def open_by_severity(session: Session, server_ids: list[int]) -> dict[int, dict[str, int]]:
    """Each server's open issues counted per severity, worst first."""
    counts: dict[int, dict[str, int]] = defaultdict(dict)
    rows = session.execute(
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


def open_issues(session: Session, server: Server) -> list[dict]:
    rows = session.scalars(select(Issue).where(Issue.server_id == server.id, Issue.resolved_at.is_(None)))
    issues = [{**serialize.issue(row), "details": row.advisory.details} for row in rows.unique()]
    return sorted(issues, key=lambda i: (rank(i["advisory"]["severity"]), i["software"]["name"], i["advisory"]["id"]))


def recent_scans(session: Session, server: Server) -> list[dict]:
    rows = session.scalars(
        select(Scan).where(Scan.server_id == server.id).order_by(Scan.id.desc()).limit(RECENT_SCANS)
    )
    return [serialize.scan(row) for row in rows]
