"""Each server's facts and state in a handful of queries, for any number of servers."""
from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Container
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import Row, func, select
from sqlalchemy.orm import Session

from patrol.advisories.feed_names import FEED_PREFIX as OSV_FEED_PREFIX
from patrol.advisories.severity import LEVELS
from patrol.clock import now
from patrol.inventory.buckets import live_filter
from patrol.models import Bucket, FeedState, Issue, Scan, Server, Software
from patrol.scanning.states import ScanStatus
from patrol.triage import dismissals
from patrol.triage.state import Facts, risk_key, state_of



@dataclass(frozen=True)
class Summary:
    server: Server
    facts: Facts
    state: str
    advisories_as_of: datetime | None  # the oldest last sync among the server's ecosystems

    @property
    def risk(self) -> tuple:
        return risk_key(self.facts.open_by_severity, self.state, self.server.name)


def summaries(session: Session, account_id: int, rows: list[Server], stale_after: int) -> dict[int, Summary]:
    ids, moment = [row.id for row in rows], now()
    if not ids:
        return {}
    items, pushes, scanned = _live_items(session, ids, moment), last_pushes(session, ids), _scanned(session, ids)
    by_severity, dismissed = _open_counts(session, account_id, ids)
    as_of = _advisories_as_of(session, ids)
    summaries_by_id = {}
    for row in rows:
        facts = Facts(items.get(row.id, 0), pushes.get(row.id), row.id in scanned,
                      by_severity.get(row.id, {}), dismissed.get(row.id, 0))
        summaries_by_id[row.id] = Summary(row, facts, state_of(facts, moment, stale_after), as_of.get(row.id))
    return summaries_by_id


def _live_items(session: Session, ids: list[int], moment: datetime) -> dict[int, int]:
    query = (select(Software.server_id, func.count()).join(Bucket, Software.bucket_id == Bucket.id)
             .where(Software.server_id.in_(ids), live_filter(moment)).group_by(Software.server_id))
    return dict(session.execute(query).all())


def last_pushes(session: Session, ids: list[int]) -> dict[int, datetime]:
    """When each server last pushed a bucket (servers that never did are left out)."""
    query = select(Bucket.server_id, func.max(Bucket.updated_at)).where(Bucket.server_id.in_(ids))
    return dict(session.execute(query.group_by(Bucket.server_id)).all())


def _scanned(session: Session, ids: list[int]) -> set[int]:
    query = select(Scan.server_id).distinct().where(Scan.server_id.in_(ids), Scan.status == ScanStatus.FINISHED)
    return set(session.scalars(query))


def open_rows(session: Session, ids: list[int]) -> list[Row]:
    """The servers' open issues as plain columns: what verdicts and alerts need."""
    query = select(Issue.id, Issue.advisory_id, Issue.server_id, Issue.severity, Issue.silenced).where(
        Issue.server_id.in_(ids), Issue.resolved_at.is_(None))
    return list(session.execute(query.order_by(Issue.id)))


def tally(rows: list[Row], covered: Container[int]) -> tuple[dict[int, dict[str, int]], dict[int, int]]:
    """Undismissed open issues by server and severity, in LEVELS order; dismissed ones by server."""
    by_severity: dict[int, Counter] = defaultdict(Counter)
    dismissed: Counter = Counter()
    for row in rows:
        if row.id in covered:
            dismissed[row.server_id] += 1
        else:
            by_severity[row.server_id][row.severity] += 1
    ordered = {server_id: {level: counts[level] for level in LEVELS if counts[level]}
               for server_id, counts in by_severity.items()}
    return ordered, dict(dismissed)


def _open_counts(session: Session, account_id: int, ids: list[int]) -> tuple[dict, dict]:
    rows = open_rows(session, ids)
    return tally(rows, dismissals.active_for(session, account_id, rows))


def _advisories_as_of(session: Session, ids: list[int]) -> dict[int, datetime | None]:
    """None for a server using an ecosystem never synced (advisories imported by hand)."""
    used = session.execute(select(Software.server_id, Software.osv_ecosystem).distinct().where(
        Software.server_id.in_(ids), Software.osv_ecosystem.is_not(None))).all()
    synced = {row.name.removeprefix(OSV_FEED_PREFIX): row.last_success_at
              for row in session.scalars(select(FeedState).where(FeedState.name.startswith(OSV_FEED_PREFIX)))}
    ecosystems: dict[int, list[datetime | None]] = defaultdict(list)
    for server_id, ecosystem in used:
        ecosystems[server_id].append(synced.get(ecosystem) if ecosystem else None)
    return {server_id: _oldest(moments) for server_id, moments in ecosystems.items()}


def _oldest(moments: list[datetime | None]) -> datetime | None:
    """The earliest sync; None when any ecosystem was never synced."""
    known = [moment for moment in moments if moment is not None]
    return min(known) if len(known) == len(moments) else None
