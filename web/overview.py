"""What the dashboard and a server's page show, read in a few queries."""
from __future__ import annotations

from sqlalchemy import case, func, select
from sqlalchemy.orm import Session

from patrol import serialize
from patrol.advisories.severity import LEVELS
from patrol.clock import now
from patrol.inventory.buckets import is_live
from patrol.models import Advisory, Bucket, Issue, Scan, Server, Software
from patrol.triage import dismissals, issues as triage_issues
from web.paging import Page

RECENT_SCANS = 10
ISSUES_PER_PAGE = 100
SOFTWARE_PER_PAGE = 200
# Most severe first, in SQL, so that a page of issues is read without the rest.
SEVERITY_ORDER = case({level: index for index, level in enumerate(LEVELS)}, value=Issue.severity, else_=len(LEVELS))


def issue_page(session: Session, server: Server, page: Page, dismissed: bool = False) -> list[dict]:
    """One page of the server's open issues (or of its dismissed ones), most severe first,
    with their exploitation marks and the dismissal covering each."""
    covered = dismissals.covered(session, server.account_id, server.id)
    rows = list(session.scalars(
        select(Issue).join(Advisory, Issue.advisory_id == Advisory.id)
        .where(Issue.server_id == server.id, Issue.resolved_at.is_(None), covered if dismissed else ~covered)
        .order_by(SEVERITY_ORDER, Issue.software_name, Advisory.osv_id, Issue.id)
        .offset(page.offset).limit(page.size)
    ).unique())
    shaped = triage_issues.shaped(session, server.account_id, rows)
    return [{**one, "details": row.advisory.details} for one, row in zip(shaped, rows, strict=True)]


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
