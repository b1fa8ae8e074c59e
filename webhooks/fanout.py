"""Fan-out: each new event in the outbox becomes one delivery per webhook.

Events are claimed with SKIP LOCKED on PostgreSQL, so several processes can
fan out at once; the deliveries and the `dispatched_at` mark commit together,
so an event is fanned out exactly once. Events are read as plain columns and
the deliveries written with one Core insert: no ORM objects on the hot path.
"""
from __future__ import annotations

from collections import defaultdict

from sqlalchemy import insert, select, update
from sqlalchemy.orm import Session

from patrol import wakeups
from patrol.clock import now
from patrol.db import Database, table
from patrol.models import Event
from webhooks import queue, subscriptions
from webhooks.models import Delivery, Webhook

BATCH = 200
# What `subscriptions.wants` reads of an event.
EVENT_COLUMNS = (Event.id, Event.account_id, Event.identifier, Event.server_id, Event.recipient, Event.payload)


def dispatch(db: Database, limit: int = BATCH) -> int:
    """Fan out up to `limit` undispatched events; returns how many were fanned out."""
    with db.session() as session:
        pending = select(*EVENT_COLUMNS).where(Event.dispatched_at.is_(None)).order_by(Event.created_at).limit(limit)
        if db.is_postgres:
            pending = pending.with_for_update(skip_locked=True)
        batch = list(session.execute(pending))
        if not batch:
            return 0
        hooks = _webhooks_by_account(session, {e.account_id for e in batch})
        moment = now()
        made = [
            {"webhook_id": webhook.id, "event_id": event.id, "next_attempt_at": moment}
            for event in batch
            for webhook in hooks.get(event.account_id, [])
            if subscriptions.wants(webhook, event)
        ]
        session.execute(update(table(Event)).where(Event.id.in_([event.id for event in batch]))
                        .values(dispatched_at=moment))
        if made:
            session.execute(insert(table(Delivery)), made)
            wakeups.notify(session, queue.DELIVERIES)
        return len(batch)


def _webhooks_by_account(session: Session, account_ids: set[int]) -> dict[int, list[Webhook]]:
    grouped: dict[int, list[Webhook]] = defaultdict(list)
    if account_ids:
        for hook in session.scalars(select(Webhook).where(Webhook.account_id.in_(account_ids))):
            grouped[hook.account_id].append(hook)
    return grouped
