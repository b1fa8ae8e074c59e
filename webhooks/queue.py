"""The delivery queue's verbs: `claim` due deliveries, `finish` attempts, or both in one `cycle`.

Claiming is in `webhooks.claim`, recording in `webhooks.record`; what travels
between them is in `webhooks.items`.
Whoever makes deliveries due calls `patrol.wakeups.notify(session, DELIVERIES)`,
which wakes the claim loops of every process once the transaction commits.
"""
from __future__ import annotations

from collections.abc import Mapping
from datetime import timedelta

from patrol.db import Database
from webhooks.claim import claim, claim_in
from webhooks.items import Claimed, Finished, signing_secrets
from webhooks.record import finish, finish_in

DELIVERIES = "patrol_deliveries"  # the wake-up channel of due deliveries

__all__ = ["DELIVERIES", "Claimed", "Finished", "claim", "cycle", "finish", "signing_secrets"]


def cycle(db: Database, done: list[Finished], limit: int, *, lease_for: timedelta, per_webhook: int,
          limits: Mapping[str, int] | None, release_expired: bool, disable_after: timedelta) -> list[Claimed]:
    """Record `done` and claim up to `limit` more in one transaction. SQLite has one writer at a
    time, so one write transaction per round rather than two halves the waits for its lock."""
    with db.session() as session:
        finish_in(session, done, disable_after=disable_after)
        return claim_in(session, db.is_postgres, limit, lease_for=lease_for, per_webhook=per_webhook, limits=limits,
                     release_expired=release_expired)
