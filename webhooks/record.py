"""Recording a batch of finished attempts in one transaction: the log and the queue move together.

The attempt rows go in with one multi-row insert and the deliveries move on
with one executemany update. A delivery is only moved on by the worker that
still holds its lease; an attempt is logged either way, because it was made.
"""
from __future__ import annotations

from collections import defaultdict
from datetime import datetime, timedelta

from sqlalchemy import insert, select, update
from sqlalchemy.orm import Session

from patrol.clock import now
from patrol.db import Database
from webhooks.items import Finished
from webhooks.models import DELIVERING, FAILED, SUCCEEDED, Attempt, Delivery, Webhook


def finish(db: Database, done: list[Finished], *, disable_after: timedelta) -> None:
    """Log the attempts and move the deliveries (and maybe their webhooks) on."""
    if not done:
        return
    moment = now()
    with db.session() as session:
        session.execute(insert(Attempt), [_attempt(item) for item in done])
        leases = _leases(session, done)
        owned = [item for item in done if leases.get(item.claimed.delivery_id) == item.claimed.lease_until]
        if owned:
            session.execute(update(Delivery), [_moved_on(item, moment) for item in owned])
            _update_webhooks(session, owned, moment, disable_after)


def _leases(session: Session, done: list[Finished]) -> dict[str, datetime | None]:
    ids = [item.claimed.delivery_id for item in done]
    rows = session.execute(
        select(Delivery.id, Delivery.lease_until).where(Delivery.id.in_(ids), Delivery.status == DELIVERING)
        .with_for_update()
    )
    return dict(rows.all())


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
        "id": item.claimed.delivery_id,
        "status": decision.status,
        "attempts": item.claimed.attempt,
        "next_attempt_at": decision.next_attempt_at,
        "lease_until": None,
        "manual": False,
        "completed_at": moment if decision.status in (SUCCEEDED, FAILED) else None,
    }


def _update_webhooks(session: Session, owned: list[Finished], moment: datetime, disable_after: timedelta) -> None:
    """Successes clear a webhook's failing streak in one statement; failures and Slack pacing,
    rarer, go webhook by webhook in the order the attempts finished."""
    by_webhook: dict[str, list[Finished]] = defaultdict(list)
    for item in owned:
        by_webhook[item.claimed.webhook_id].append(item)
    plain = [w for w, items in by_webhook.items() if all(_plain_success(item) for item in items)]
    if plain:
        session.execute(update(Webhook).where(Webhook.id.in_(plain), Webhook.failing_since.is_not(None))
                        .values(failing_since=None))
    for hook in session.scalars(select(Webhook).where(Webhook.id.in_(set(by_webhook) - set(plain)))):
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
