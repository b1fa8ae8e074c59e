"""The HTTP request for one delivery: a thin signed push, or a Slack message."""
from __future__ import annotations

import json
import time
from dataclasses import dataclass
from urllib.parse import urlencode

from slackkit import render as slack_render
from slackkit.context import MessageContext
from webhooks import signing, subscriptions
from webhooks.models import WebhookFormat


@dataclass(frozen=True)
class Outgoing:
    body: bytes
    headers: dict[str, str]


def thin_body(fmt: str, webhook_id: str, event_id: str, identifier: str) -> tuple[bytes, str]:
    """Ids and the identifier only: the receiver fetches the event itself."""
    if fmt == WebhookFormat.FORM:
        fields = [("webhook_patrolserver", "1"), ("identifier", identifier),
                  ("webhook_id", webhook_id), ("event_id", event_id)]
        return urlencode(fields).encode(), "application/x-www-form-urlencoded"
    data = {"webhook_id": webhook_id, "event_id": event_id, "identifier": identifier}
    return json.dumps(data).encode(), "application/json"


def generic(fmt: str, webhook_id: str, secrets: list[str], event: dict, now: float | None = None) -> Outgoing:
    body, content_type = thin_body(fmt, webhook_id, event["id"], event["identifier"])
    timestamp = int(time.time() if now is None else now)
    headers = {"Content-Type": content_type, **signing.headers(secrets, event["id"], timestamp, body)}
    return Outgoing(body, headers)


def slack(event: dict, ctx: MessageContext, min_severity: str | None, known_exploited_only: bool = False) -> Outgoing:
    """A Block Kit message; no signature, which Slack would ignore."""
    payload = slack_message(event, ctx, min_severity, known_exploited_only)
    return Outgoing(json.dumps(payload).encode(), {"Content-Type": "application/json"})


def slack_message(event: dict, ctx: MessageContext, min_severity: str | None,
                  known_exploited_only: bool = False) -> dict:
    """`{"text", "blocks"}` for `event`, its issues cut to what the webhook wants."""
    return slack_render.render(wanted(event, min_severity, known_exploited_only), ctx)


def wanted(event: dict, min_severity: str | None, known_exploited_only: bool) -> dict:
    """`event` with its issues cut to `min_severity` and worse (and to the known
    exploited ones, when asked): all that a Slack message may show of them."""
    if event.get("issues") is None:
        return event
    return {**event, "issues": subscriptions.issues_wanted(event["issues"], min_severity, known_exploited_only)}
