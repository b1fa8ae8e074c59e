"""Claiming a batch of due deliveries in one transaction.

Candidates come from the partial index of pending deliveries, in due order,
locked with FOR UPDATE SKIP LOCKED on PostgreSQL (so any number of workers
share the queue) and inside one BEGIN IMMEDIATE transaction on SQLite. Each
webhook gets at most its limit in flight across all processes (one for
Slack), so a dead receiver delays no one else. A lease outlives the request
timeout; one that runs out because its worker died makes the delivery due again.
"""
from __future__ import annotations

from collections import Counter
from collections.abc import Mapping
from datetime import datetime, timedelta

from sqlalchemy import Row, bindparam, func, or_, select, update
from sqlalchemy.orm import Session

from patrol.clock import now
from patrol.db import Database, table
from patrol.models import Account, Event
from webhooks.documents import event_document
from webhooks.items import Claimed, signing_secrets
from webhooks.models import DELIVERING, PENDING, SLACK_KINDS, Delivery, Webhook

CANDIDATES = 2  # rows read per slot to fill, so that webhooks at their limit leave room for others
# The claim's statements are Core statements on the tables, built once: building and caching
# an ORM statement per claim cost more Python than the database spent on it.
DELIVERIES, WEBHOOKS, ACCOUNTS, EVENTS = table(Delivery), table(Webhook), table(Account), table(Event)
# Read with the candidates (one round trip less per claim): what sending needs of a delivery and its webhook.
CANDIDATE_COLUMNS = (
    DELIVERIES.c.id, DELIVERIES.c.webhook_id, DELIVERIES.c.event_id, DELIVERIES.c.attempts, DELIVERIES.c.manual,
    WEBHOOKS.c.url, WEBHOOKS.c.kind, WEBHOOKS.c.format, WEBHOOKS.c.secret, WEBHOOKS.c.previous_secret,
    WEBHOOKS.c.previous_secret_until, WEBHOOKS.c.min_severity, WEBHOOKS.c.known_exploited_only,
    WEBHOOKS.c.description, WEBHOOKS.c.slack_team_id, WEBHOOKS.c.slack_channel_id, ACCOUNTS.c.email,
)
# Due candidates in due order, leaving out webhooks already at their limit (`full`).
DUE = (
    select(*CANDIDATE_COLUMNS)
    .join_from(DELIVERIES, WEBHOOKS, WEBHOOKS.c.id == DELIVERIES.c.webhook_id)
    .join(ACCOUNTS, ACCOUNTS.c.id == WEBHOOKS.c.account_id)
    .where(
        DELIVERIES.c.status == PENDING,
        DELIVERIES.c.next_attempt_at <= bindparam("moment"),
        WEBHOOKS.c.enabled.is_(True),
        or_(WEBHOOKS.c.paced_until.is_(None), WEBHOOKS.c.paced_until <= bindparam("moment")),
        DELIVERIES.c.webhook_id.not_in(bindparam("full", expanding=True)),
    )
    .order_by(DELIVERIES.c.next_attempt_at)
    .limit(bindparam("limit"))
)
DUE_LOCKED = DUE.with_for_update(skip_locked=True, of=DELIVERIES)  # PostgreSQL: workers share the queue
IN_FLIGHT = (
    select(DELIVERIES.c.webhook_id, WEBHOOKS.c.kind, func.count())
    .join_from(DELIVERIES, WEBHOOKS, WEBHOOKS.c.id == DELIVERIES.c.webhook_id)
    .where(DELIVERIES.c.status == DELIVERING).group_by(DELIVERIES.c.webhook_id, WEBHOOKS.c.kind)
)
LEASE = (
    update(DELIVERIES).where(DELIVERIES.c.id.in_(bindparam("ids", expanding=True)))
    .values(status=DELIVERING, lease_until=bindparam("until"))
)
EVENT_COLUMNS = (EVENTS.c.id, EVENTS.c.identifier, EVENTS.c.created_at, EVENTS.c.server_id, EVENTS.c.payload)
BATCH_EVENTS = select(*EVENT_COLUMNS).where(EVENTS.c.id.in_(bindparam("ids", expanding=True)))


def claim(db: Database, limit: int, lease: timedelta, per_webhook: int,
          limits: Mapping[str, int] | None = None, *, release_expired: bool = True) -> list[Claimed]:
    """Lease up to `limit` due deliveries; a webhook gets `limits[id]` in flight at most
    (`per_webhook` when it has no entry, 1 for Slack). With `release_expired`, deliveries
    whose lease ran out are made due first (a busy engine asks for that now and then)."""
    with db.session() as session:
        return claim_in(session, db.is_postgres, limit, lease_for=lease, per_webhook=per_webhook, limits=limits,
                     release_expired=release_expired)


def claim_in(session: Session, postgres: bool, limit: int, *, lease_for: timedelta, per_webhook: int,
          limits: Mapping[str, int] | None = None, release_expired: bool = True) -> list[Claimed]:
    """`claim` inside the caller's transaction."""
    moment = now()
    if release_expired:
        _release_expired(session, postgres, moment)
    if limit <= 0:
        return []
    room = _Room(per_webhook, limits or {}, _in_flight(session))
    chosen = room.pick(_due(session, postgres, moment, limit * CANDIDATES, room.full()), limit)
    if not chosen:
        return []
    until = moment + lease_for
    session.execute(LEASE, {"ids": [row.id for row in chosen], "until": until})
    return _snapshots(session, chosen, until, moment)


def _release_expired(session: Session, postgres: bool, moment: datetime) -> None:
    """Deliveries whose worker died (its lease ran out) are pending again, due as they were."""
    expired = select(Delivery.id).where(Delivery.status == DELIVERING, Delivery.lease_until <= moment)
    if postgres:
        expired = expired.with_for_update(skip_locked=True)
    session.execute(update(Delivery).where(Delivery.id.in_(expired)).values(status=PENDING)
                    .execution_options(synchronize_session=False))


def _in_flight(session: Session) -> Counter:
    """Leased deliveries per (webhook, kind), in every process."""
    return Counter({(webhook_id, kind): count for webhook_id, kind, count in session.execute(IN_FLIGHT)})


class _Room:
    """How many more deliveries each webhook may have in flight."""

    def __init__(self, per_webhook: int, limits: Mapping[str, int], in_flight: Counter) -> None:
        self.per_webhook, self.limits = per_webhook, limits
        self.taken = Counter({webhook_id: count for (webhook_id, _), count in in_flight.items()})
        self.kinds = {webhook_id: kind for webhook_id, kind in in_flight}

    def cap(self, webhook_id: str, kind: str) -> int:
        return 1 if kind in SLACK_KINDS else max(1, self.limits.get(webhook_id, self.per_webhook))

    def full(self) -> list[str]:
        return [w for w, kind in self.kinds.items() if self.taken[w] >= self.cap(w, kind)]

    def pick(self, rows: list[Row], limit: int) -> list[Row]:
        chosen: list[Row] = []
        for row in rows:
            if len(chosen) < limit and self.taken[row.webhook_id] < self.cap(row.webhook_id, row.kind):
                self.taken[row.webhook_id] += 1
                chosen.append(row)
        return chosen


def _due(session: Session, postgres: bool, moment: datetime, limit: int, full: list[str]) -> list[Row]:
    statement = DUE_LOCKED if postgres else DUE
    return list(session.execute(statement, {"moment": moment, "limit": limit, "full": full}))


def _snapshots(session: Session, rows: list[Row], until: datetime, moment: datetime) -> list[Claimed]:
    """The batch's events in one query of plain columns, not ORM objects: one event document
    per event, shared by its deliveries (the webhooks came with the candidates)."""
    ids = list({row.event_id for row in rows})
    documents = {event.id: event_document(event, None) for event in session.execute(BATCH_EVENTS, {"ids": ids})}
    return [_snapshot(row, documents[row.event_id], until, moment) for row in rows]


def _snapshot(row: Row, document: dict, until: datetime, moment: datetime) -> Claimed:
    return Claimed(
        delivery_id=row.id,
        attempt=row.attempts + 1,
        manual=row.manual,
        lease_until=until,
        webhook_id=row.webhook_id,
        url=row.url,
        kind=row.kind,
        format=row.format,
        secrets=signing_secrets(row, moment),
        min_severity=row.min_severity,
        known_exploited_only=row.known_exploited_only,
        description=row.description,
        account_email=row.email,
        event={**document, "webhook_id": row.webhook_id},
        slack_team_id=row.slack_team_id,
        slack_channel_id=row.slack_channel_id,
    )
