"""Recording a batch of finished attempts in one transaction: the log and the queue move together.

The attempt rows go in with one multi-row insert and the deliveries move on
with one executemany update, both as Core statements on the tables: the ORM's
bulk paths cost more Python per row than the database spends on it. A delivery
is only moved on by the worker that still holds its lease; an attempt is
logged either way, because it was made.
"""
from __future__ import annotations

from collections import defaultdict
from datetime import datetime, timedelta

from sqlalchemy import Row, bindparam, insert, select, update
from sqlalchemy.orm import Session

from patrol.clock import now
from patrol.db import Database, table
from webhooks.items import Finished
from webhooks.models import DELIVERING, FAILED, SUCCEEDED, Attempt, Delivery, Webhook

ATTEMPTS = table(Attempt)
DELIVERIES = table(Delivery)
# One statement for every finished delivery of a batch, run as executemany.
MOVE_ON = (
    update(DELIVERIES).where(DELIVERIES.c.id == bindparam("delivery"))
    .values({name: bindparam(name) for name in
             ("status", "attempts", "next_attempt_at", "lease_until", "manual", "completed_at")})
)


def finish(db: Database, done: list[Finished], *, disable_after: timedelta) -> None:
    """Log the attempts and move the deliveries (and maybe their webhooks) on, in one transaction."""
    if done:
        with db.session() as session:
            finish_in(session, done, disable_after=disable_after)


def finish_in(session: Session, done: list[Finished], *, disable_after: timedelta) -> None:
    """`finish` inside the caller's transaction."""
    if not done:
        return
    moment = now()
    session.execute(insert(ATTEMPTS), [_attempt(item) for item in done])
    held = _held(session, done)
    owned = [item for item in done if item.claimed.delivery_id in held
             and held[item.claimed.delivery_id].lease_until == item.claimed.lease_until]
    if owned:
        session.execute(MOVE_ON, [_moved_on(item, moment) for item in owned])
        failing = {row.webhook_id for row in held.values() if row.failing_since is not None}
        _update_webhooks(session, owned, failing, moment, disable_after)


def _held(session: Session, done: list[Finished]) -> dict[str, Row]:
    """The leases still out on `done`'s deliveries, locked, and whether their webhooks are failing."""
    ids = [item.claimed.delivery_id for item in done]
    rows = session.execute(
        select(DELIVERIES.c.id, DELIVERIES.c.lease_until, DELIVERIES.c.webhook_id, Webhook.failing_since)
        .join(Webhook, Webhook.id == DELIVERIES.c.webhook_id)
        .where(DELIVERIES.c.id.in_(ids), DELIVERIES.c.status == DELIVERING).with_for_update(of=DELIVERIES)
    )
    return {row.id: row for row in rows}


def _attempt(item: Finished) -> dict:
    claimed, result, decision = item.claimed, item.result, item.decision
    error = "; ".join(part for part in (result.error, decision.note) if part) or None
    return {
        "delivery_id": claimed.delivery_id,
        "number": claimed.attempt,
        "manual": claimed.manual,
        "started_at": item.started_at,
        "duration_ms": result.duration_ms,
        "status_code": result.status,
        "response_body": result.body or None,
        "error_kind": result.error_kind if decision.status != SUCCEEDED else None,
        "error": error,
        "next_attempt_at": decision.next_attempt_at,
    }


def _moved_on(item: Finished, moment: datetime) -> dict:
    decision = item.decision
    return {
        "delivery": item.claimed.delivery_id,
        "status": decision.status,
        "attempts": item.claimed.attempt,
        "next_attempt_at": decision.next_attempt_at,
        "lease_until": None,
        "manual": False,
        "completed_at": moment if decision.status in (SUCCEEDED, FAILED) else None,
    }


def _update_webhooks(session: Session, owned: list[Finished], failing: set[str], moment: datetime,
                     disable_after: timedelta) -> None:
    """Successes clear a failing webhook's streak in one statement (none when no webhook of
    the batch was failing, the usual case); failures and Slack pacing, rarer, go webhook by
    webhook in the order the attempts finished."""
    by_webhook: dict[str, list[Finished]] = defaultdict(list)
    for item in owned:
        by_webhook[item.claimed.webhook_id].append(item)
    plain = [w for w, items in by_webhook.items() if all(_plain_success(item) for item in items)]
    recovered = [w for w in plain if w in failing]
    if recovered:
        session.execute(update(table(Webhook)).where(Webhook.id.in_(recovered)).values(failing_since=None))
    troubled = set(by_webhook) - set(plain)
    if not troubled:
        return
    for hook in session.scalars(select(Webhook).where(Webhook.id.in_(troubled))):
        for item in by_webhook[hook.id]:
            _update_webhook(hook, item, moment, disable_after)


def _plain_success(item: Finished) -> bool:
    return item.decision.status == SUCCEEDED and item.pace is None


def _update_webhook(hook: Webhook, item: Finished, moment: datetime, disable_after: timedelta) -> None:
    decision = item.decision
    if item.pace is not None:
        hook.paced_until = max(moment + item.pace, decision.hold_webhook_until or moment)
    if decision.status == SUCCEEDED:
        hook.failing_since = None
        return
    hook.failing_since = hook.failing_since or moment
    reason = decision.disable_reason
    if reason is None and moment - hook.failing_since >= disable_after:
        reason = f"Every delivery failed for {_duration(disable_after)}."
    if reason and hook.enabled:
        hook.enabled, hook.disabled_reason = False, reason


def _duration(span: timedelta) -> str:
    """`5 days`, `2 hours`, `1 second`: the largest unit that fits, for people to read."""
    seconds = span.total_seconds()
    for unit, size in (("day", 86400), ("hour", 3600), ("minute", 60)):
        if seconds >= size:
            return _count(seconds / size, unit)
    return _count(seconds, "second")


def _count(number: float, unit: str) -> str:
    return f"{number:.3g} {unit}" + ("" if number == 1 else "s")
