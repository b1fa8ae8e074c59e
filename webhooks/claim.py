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
from typing import Any

from sqlalchemy import Row, func, or_, select, update
from sqlalchemy.orm import Session

from patrol.clock import now
from patrol.db import Database
from patrol.models import Account, Event
from webhooks.documents import event_document
from webhooks.items import Claimed, signing_secrets
from webhooks.models import DELIVERING, PENDING, SLACK_KINDS, Delivery, Webhook

CANDIDATES = 2  # rows read per slot to fill, so that webhooks at their limit leave room for others


def claim(db: Database, limit: int, lease: timedelta, per_webhook: int,
          limits: Mapping[str, int] | None = None) -> list[Claimed]:
    """Lease up to `limit` due deliveries; a webhook gets `limits[id]` in flight at most
    (`per_webhook` when it has no entry, 1 for Slack)."""
    moment = now()
    with db.session() as session:
        _release_expired(session, db.is_postgres, moment)
        in_flight = _in_flight(session)
        room = _Room(per_webhook, limits or {}, in_flight)
        rows = _due(session, db.is_postgres, moment, limit * CANDIDATES, room.full())
        chosen = room.pick(rows, limit)
        if not chosen:
            return []
        until = moment + lease
        ids = [row.id for row in chosen]
        session.execute(update(Delivery).where(Delivery.id.in_(ids)).values(status=DELIVERING, lease_until=until))
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
    rows = session.execute(
        select(Delivery.webhook_id, Webhook.kind, func.count()).join(Webhook)
        .where(Delivery.status == DELIVERING).group_by(Delivery.webhook_id, Webhook.kind)
    )
    return Counter({(webhook_id, kind): count for webhook_id, kind, count in rows})


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
    query = (
        select(Delivery.id, Delivery.webhook_id, Delivery.event_id, Delivery.attempts, Delivery.manual, Webhook.kind)
        .join(Webhook)
        .where(
            Delivery.status == PENDING,
            Delivery.next_attempt_at <= moment,
            Webhook.enabled.is_(True),
            or_(Webhook.paced_until.is_(None), Webhook.paced_until <= moment),
        )
        .order_by(Delivery.next_attempt_at)
        .limit(limit)
    )
    if full:
        query = query.where(Delivery.webhook_id.not_in(full))
    if postgres:
        query = query.with_for_update(skip_locked=True, of=Delivery)
    return list(session.execute(query))


def _snapshots(session: Session, rows: list[Row], until: datetime, moment: datetime) -> list[Claimed]:
    """The batch's webhooks, events and accounts in three queries, not three per delivery."""
    hooks = _by_id(session, Webhook, {row.webhook_id for row in rows})
    events = _by_id(session, Event, {row.event_id for row in rows})
    accounts = _by_id(session, Account, {hook.account_id for hook in hooks.values()})
    return [_snapshot(row, hooks[row.webhook_id], events[row.event_id], accounts, until, moment) for row in rows]


def _by_id(session: Session, model: Any, ids: set) -> dict:  # any mapped class with an `id`
    return {item.id: item for item in session.scalars(select(model).where(model.id.in_(ids)))}


def _snapshot(row: Row, hook: Webhook, event: Event, accounts: dict, until: datetime, moment: datetime) -> Claimed:
    return Claimed(
        delivery_id=row.id,
        attempt=row.attempts + 1,
        manual=row.manual,
        lease_until=until,
        webhook_id=hook.id,
        url=hook.url,
        kind=hook.kind,
        format=hook.format,
        secrets=signing_secrets(hook, moment),
        min_severity=hook.min_severity,
        known_exploited_only=hook.known_exploited_only,
        description=hook.description,
        account_email=accounts[hook.account_id].email,
        event=event_document(event, hook.id),
        slack_team_id=hook.slack_team_id,
        slack_channel_id=hook.slack_channel_id,
    )
