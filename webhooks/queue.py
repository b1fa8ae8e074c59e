"""The only code that claims and finishes deliveries.

Claiming leases due deliveries (FOR UPDATE SKIP LOCKED on PostgreSQL, so
any number of workers share the queue); a lease outlives the request
timeout, and one that runs out because its worker died makes the delivery
due again. First attempts sort before retries, and a webhook holds at most
a few slots at once (one for Slack), so a dead receiver delays no one else.
"""
from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import and_, case, func, or_, select, update
from sqlalchemy.orm import Session, contains_eager

from patrol.clock import now
from patrol.db import Database
from patrol.models import Account, Event
from webhooks.documents import event_document
from webhooks.models import DELIVERING, FAILED, PENDING, SLACK_KINDS, SUCCEEDED, Attempt, Delivery, Webhook
from webhooks.outcomes import Decision
from webhooks.transport import Result


@dataclass(frozen=True)
class Claimed:
    """Everything needed to send one delivery, read while it was claimed."""

    delivery_id: str
    attempt: int
    manual: bool
    lease_until: datetime
    webhook_id: str
    url: str
    kind: str
    format: str
    secrets: list[str]
    min_severity: str | None
    known_exploited_only: bool
    description: str | None
    account_email: str
    event: dict
    slack_team_id: str | None = None
    slack_channel_id: str | None = None


def claim(db: Database, limit: int, lease: timedelta, per_webhook: int) -> list[Claimed]:
    moment = now()
    with db.session() as session:
        candidates = _due(session, db.is_postgres, moment, limit * 4, per_webhook)
        in_flight = _in_flight(session, {row.webhook_id for row in candidates}, moment)
        chosen = _pick(candidates, in_flight, limit, per_webhook)
        for row in chosen:
            row.status, row.lease_until = DELIVERING, moment + lease
        session.flush()
        _preload(session, chosen)
        return [_snapshot(session, row) for row in chosen]


def _due(session: Session, postgres: bool, moment: datetime, limit: int, per_webhook: int) -> list[Delivery]:
    full = (
        select(Delivery.webhook_id)
        .join(Webhook)
        .where(Delivery.status == DELIVERING, Delivery.lease_until > moment)
        .group_by(Delivery.webhook_id, Webhook.kind)
        .having(func.count() >= case((Webhook.kind.in_(SLACK_KINDS), 1), else_=per_webhook))
    )
    query = (
        select(Delivery)
        .join(Webhook)
        .options(contains_eager(Delivery.webhook))
        .where(
            or_(
                and_(Delivery.status == PENDING, Delivery.next_attempt_at <= moment),
                and_(Delivery.status == DELIVERING, Delivery.lease_until <= moment),
            ),
            Webhook.enabled.is_(True),
            or_(Webhook.paced_until.is_(None), Webhook.paced_until <= moment),
            Delivery.webhook_id.not_in(full),
        )
        .order_by(Delivery.attempts > 0, Delivery.next_attempt_at)
        .limit(limit)
    )
    if postgres:
        query = query.with_for_update(skip_locked=True, of=Delivery)
    return list(session.scalars(query))


def _in_flight(session: Session, webhook_ids: set[str], moment: datetime) -> Counter:
    if not webhook_ids:
        return Counter()
    rows = session.execute(
        select(Delivery.webhook_id, func.count())
        .where(Delivery.webhook_id.in_(webhook_ids), Delivery.status == DELIVERING, Delivery.lease_until > moment)
        .group_by(Delivery.webhook_id)
    )
    return Counter(dict(rows.all()))


def _pick(candidates: list[Delivery], in_flight: Counter, limit: int, per_webhook: int) -> list[Delivery]:
    chosen: list[Delivery] = []
    for row in candidates:
        cap = 1 if row.webhook.kind in SLACK_KINDS else per_webhook
        if len(chosen) < limit and in_flight[row.webhook_id] < cap:
            in_flight[row.webhook_id] += 1
            chosen.append(row)
    return chosen


def _preload(session: Session, rows: list[Delivery]) -> None:
    """Load the batch's events and accounts in two queries, not two per delivery."""
    if rows:
        list(session.scalars(select(Event).where(Event.id.in_({row.event_id for row in rows}))))
        list(session.scalars(select(Account).where(Account.id.in_({row.webhook.account_id for row in rows}))))


def _snapshot(session: Session, row: Delivery) -> Claimed:
    hook = row.webhook
    event = session.get(Event, row.event_id)
    account = session.get(Account, hook.account_id)
    return Claimed(
        delivery_id=row.id,
        attempt=row.attempts + 1,
        manual=row.manual,
        lease_until=row.lease_until,
        webhook_id=hook.id,
        url=hook.url,
        kind=hook.kind,
        format=hook.format,
        secrets=signing_secrets(hook, now()),
        min_severity=hook.min_severity,
        known_exploited_only=hook.known_exploited_only,
        description=hook.description,
        account_email=account.email,
        event=event_document(event, hook.id),
        slack_team_id=hook.slack_team_id,
        slack_channel_id=hook.slack_channel_id,
    )


def signing_secrets(hook: Webhook, moment: datetime) -> list[str]:
    """The current secret, and the previous one while its rotation window lasts."""
    secrets = [hook.secret]
    if hook.previous_secret and hook.previous_secret_until and hook.previous_secret_until > moment:
        secrets.append(hook.previous_secret)
    return secrets


@dataclass(frozen=True)
class Finished:
    """One sent delivery waiting to be recorded."""

    claimed: Claimed
    result: Result
    decision: Decision
    started_at: datetime
    pace: timedelta | None = None


def finish(db: Database, done: list[Finished], *, disable_after: timedelta) -> None:
    """Log the attempts and move the deliveries (and maybe their webhooks) on,
    in one transaction for the whole batch."""
    moment = now()
    with db.session() as session:
        for item in done:
            _finish_one(session, item, moment, disable_after)


def _finish_one(session: Session, item: Finished, moment: datetime, disable_after: timedelta) -> None:
    claimed, decision = item.claimed, item.decision
    session.add(_attempt(claimed, item.result, decision, item.started_at))
    owned = session.execute(
        update(Delivery)
        .where(Delivery.id == claimed.delivery_id, Delivery.status == DELIVERING,
               Delivery.lease_until == claimed.lease_until)
        .values(
            status=decision.status,
            attempts=Delivery.attempts + 1,
            next_attempt_at=decision.next_attempt_at,
            lease_until=None,
            manual=False,
            completed_at=moment if decision.status in (SUCCEEDED, FAILED) else None,
        )
    ).rowcount
    if owned:
        _update_webhook(session, claimed.webhook_id, decision, moment, disable_after, item.pace)


def _attempt(claimed: Claimed, result: Result, decision: Decision, started_at: datetime) -> Attempt:
    error = "; ".join(part for part in (result.error, decision.note) if part) or None
    return Attempt(
        delivery_id=claimed.delivery_id,
        number=claimed.attempt,
        manual=claimed.manual,
        started_at=started_at,
        duration_ms=result.duration_ms,
        status_code=result.status,
        response_body=result.body or None,
        error_kind=result.error_kind if decision.status != SUCCEEDED else None,
        error=error,
        next_attempt_at=decision.next_attempt_at,
    )


def _update_webhook(
    session: Session, webhook_id: str, decision: Decision, moment: datetime,
    disable_after: timedelta, pace: timedelta | None,
) -> None:
    hook = session.get(Webhook, webhook_id)
    if pace is not None:
        hook.paced_until = max(moment + pace, decision.hold_webhook_until or moment)
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
