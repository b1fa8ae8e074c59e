"""What people do with webhooks: add, change, test, rotate, redeliver."""
from __future__ import annotations

from datetime import timedelta
from typing import Any

from sqlalchemy import and_, func, select
from sqlalchemy.orm import Session, selectinload

from patrol import events, quotas, wakeups
from patrol.clock import now
from patrol.errors import Conflict, NotFound
from patrol.models import Account, Event
from webhooks import addresses, queue, settings, signing, views
from webhooks.models import DELIVERING, FAILED, PENDING, SLACK_CHANNEL, SUCCEEDED, Delivery, Webhook

ROTATION_OVERLAP = timedelta(hours=24)


class WebhookDisabled(Conflict):
    code = "webhook_disabled"


class AlreadyDelivering(Conflict):
    code = "already_delivering"


def create(session: Session, account: Account, fields: dict[str, Any], policy: addresses.AddressPolicy) -> Webhook:
    values = settings.clean(fields, policy, creating=True)
    quotas.require_room(session, account, quotas.WEBHOOKS, select(Webhook.id).where(Webhook.account_id == account.id))
    hook = Webhook(account_id=account.id, secret=signing.new_secret(), **values)
    session.add(hook)
    session.flush()
    return hook


def update(session: Session, hook: Webhook, fields: dict[str, Any], policy: addresses.AddressPolicy) -> Webhook:
    values = settings.clean(fields, policy, creating=False)
    if hook.kind == SLACK_CHANNEL:
        settings.refuse_for_channel(values)
    for name, value in values.items():
        setattr(hook, name, value)
    if values.get("enabled") is True:
        hook.disabled_reason, hook.failing_since = None, None
    session.flush()
    return hook


def get(session: Session, account: Account, webhook_id: str) -> Webhook:
    """The account's webhook, or NotFound for a missing *or foreign* id."""
    hook = session.get(Webhook, webhook_id)
    if hook is None or hook.account_id != account.id:
        raise NotFound("Webhook does not exist")
    return hook


def listing(session: Session, account: Account) -> list[Webhook]:
    return list(session.scalars(select(Webhook).where(Webhook.account_id == account.id).order_by(Webhook.created_at)))


def rotate_secret(hook: Webhook) -> Webhook:
    """A new secret; the old one keeps signing beside it for a day."""
    hook.previous_secret, hook.previous_secret_until = hook.secret, now() + ROTATION_OVERLAP
    hook.secret = signing.new_secret()
    return hook


def send_test(session: Session, account: Account, hook: Webhook) -> Delivery:
    """A `webhook.test` event for this one webhook, due at once."""
    if not hook.enabled:
        raise WebhookDisabled("This webhook is disabled; enable it before testing it.")
    event = events.record(session, account.id, events.TEST, recipient=hook.id, account=account)
    event.dispatched_at = now()
    delivery = Delivery(webhook_id=hook.id, event_id=event.id, next_attempt_at=now())
    session.add(delivery)
    session.flush()
    wakeups.notify(session, queue.DELIVERIES)
    return delivery


def get_delivery(session: Session, hook: Webhook, delivery_id: str) -> Delivery:
    delivery = session.get(Delivery, delivery_id)
    if delivery is None or delivery.webhook_id != hook.id:
        raise NotFound("Delivery does not exist")
    return delivery


def redeliver(session: Session, hook: Webhook, delivery: Delivery) -> Delivery:
    """One more attempt now; a finished delivery does not restart its schedule."""
    if not hook.enabled:
        raise WebhookDisabled("This webhook is disabled; enable it before redelivering.")
    if delivery.status == DELIVERING:
        raise AlreadyDelivering("This delivery is being sent right now.")
    delivery.manual = delivery.status in (SUCCEEDED, FAILED)
    delivery.status, delivery.next_attempt_at, delivery.completed_at = PENDING, now(), None
    session.flush()
    wakeups.notify(session, queue.DELIVERIES)
    return delivery


def event_for(session: Session, hook: Webhook, event_id: str) -> Event:
    """The event, only when it was delivered (or is being delivered) to `hook`."""
    delivered = session.scalar(
        select(Delivery.id).where(Delivery.webhook_id == hook.id, Delivery.event_id == event_id)
    )
    event = session.get(Event, event_id) if delivered else None
    if event is None:
        raise NotFound("Event does not exist")
    return event


def last_deliveries(session: Session, webhook_ids: list[str]) -> dict[str, Delivery]:
    """Each webhook's newest delivery, in one query."""
    if not webhook_ids:
        return {}
    newest = (
        select(Delivery.webhook_id, func.max(Delivery.created_at).label("at"))
        .where(Delivery.webhook_id.in_(webhook_ids))
        .group_by(Delivery.webhook_id)
        .subquery()
    )
    rows = session.scalars(
        select(Delivery).join(
            newest, and_(Delivery.webhook_id == newest.c.webhook_id, Delivery.created_at == newest.c.at)
        )
    )
    return {row.webhook_id: row for row in rows}


def delivery_page(session: Session, hook: Webhook, page: int, per_page: int) -> tuple[list[dict], int]:
    """One page of the delivery log, newest first, each delivery with its attempts."""
    total = session.scalar(select(func.count()).where(Delivery.webhook_id == hook.id)) or 0
    rows = session.execute(
        select(Delivery, Event.identifier)
        .join(Event, Event.id == Delivery.event_id)
        .where(Delivery.webhook_id == hook.id)
        .order_by(Delivery.created_at.desc(), Delivery.id.desc())
        .offset((page - 1) * per_page)
        .limit(per_page)
        .options(selectinload(Delivery.log))
    ).all()
    return [views.delivery(row, identifier=identifier) for row, identifier in rows], total
