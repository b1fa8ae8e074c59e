"""Webhooks and deliveries as the API shows them."""
from __future__ import annotations

from typing import Any

from patrol.clock import iso
from webhooks import subscriptions
from webhooks.models import PENDING, SLACK, Attempt, Delivery, Webhook
from webhooks.slack.urls import mask, on_slack_host


def _shown_url(hook: Webhook) -> str:
    """A Slack webhook's URL is its credential: masked, whether by kind or by host."""
    slack = hook.kind == SLACK
    return mask(hook.url, slack=slack) if slack or on_slack_host(hook.url) else hook.url


def webhook(hook: Webhook, *, secret: bool = False, last: Delivery | None = None) -> dict:
    """`secret` is shown only in the answer that creates or rotates it."""
    return {
        "id": hook.id,
        "url": _shown_url(hook),
        "kind": hook.kind,
        "format": hook.format,
        "events": list(subscriptions.effective_events(hook)),
        "min_severity": hook.min_severity,
        "known_exploited_only": hook.known_exploited_only,
        "description": hook.description,
        "enabled": hook.enabled,
        "disabled_reason": hook.disabled_reason,
        "created_at": iso(hook.created_at),
        "secret": hook.secret if secret else None,
        "last_delivery": delivery(last, with_log=False) if last else None,
    }


def delivery(row: Delivery, *, identifier: str | None = None, with_log: bool = True) -> dict:
    shaped: dict[str, Any] = {
        "id": row.id,
        "webhook_id": row.webhook_id,
        "event_id": row.event_id,
        "identifier": identifier,
        "status": row.status,
        "attempts": row.attempts,
        "created_at": iso(row.created_at),
        "completed_at": iso(row.completed_at),
        "next_attempt_at": iso(row.next_attempt_at) if row.status == PENDING else None,
    }
    if with_log:
        shaped["log"] = [attempt(a) for a in row.log]
    return shaped


def attempt(row: Attempt) -> dict:
    return {
        "number": row.number,
        "manual": row.manual,
        "started_at": iso(row.started_at),
        "duration_ms": row.duration_ms,
        "status_code": row.status_code,
        "response_body": row.response_body,
        "error_kind": row.error_kind,
        "error": row.error,
        "next_attempt_at": iso(row.next_attempt_at),
    }
