"""Which webhooks an event goes to."""
from __future__ import annotations

from sqlalchemy import Row

from patrol import events
from patrol.advisories.severity import rank
from patrol.models import Event
from webhooks.models import SLACK_KINDS, Webhook

SUBSCRIBABLE = (events.SCAN_STARTED, events.NEW_SERVER_ISSUES, events.SCAN_FINISHED, events.TEST)
# A daily scan of 50 servers must not post 100 Slack messages: Slack hears
# about scans starting only when it asks to.
SLACK_DEFAULT = (events.NEW_SERVER_ISSUES, events.SCAN_FINISHED, events.TEST)


def effective_events(webhook: Webhook) -> tuple[str, ...]:
    if webhook.events is not None:
        return tuple(webhook.events)
    return SLACK_DEFAULT if webhook.kind in SLACK_KINDS else SUBSCRIBABLE


def wants(webhook: Webhook, event: Event | Row) -> bool:
    """True when `event` is for `webhook`; a test event goes to its one webhook only."""
    if event.recipient is not None:
        return event.recipient == webhook.id
    if not webhook.enabled or event.identifier not in effective_events(webhook):
        return False
    if webhook.server_id is not None and event.server_id != webhook.server_id:
        return False
    if event.identifier == events.NEW_SERVER_ISSUES and (webhook.min_severity or webhook.known_exploited_only):
        issues = event.payload.get("issues") or []
        return bool(issues_wanted(issues, webhook.min_severity, webhook.known_exploited_only))
    return True


def issues_at_least(issues: list[dict], minimum: str | None) -> list[dict]:
    """The issues at `minimum` severity or worse (all of them without a minimum)."""
    if not minimum:
        return issues
    return [i for i in issues if rank(i["advisory"]["severity"]) <= rank(minimum)]


def issues_wanted(issues: list[dict], minimum: str | None, known_exploited_only: bool) -> list[dict]:
    """The issues a webhook's filters let through; `known_exploited` is absent
    from events recorded before exploitation data existed, which counts as not."""
    kept = issues_at_least(issues, minimum)
    return [i for i in kept if i.get("known_exploited")] if known_exploited_only else kept
