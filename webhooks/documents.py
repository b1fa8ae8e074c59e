"""The event as the event API returns it (and as Slack messages tell it)."""
from __future__ import annotations

from patrol.clock import iso
from patrol.models import Event


def event_document(event: Event, webhook_id: str) -> dict:
    payload = event.payload or {}
    document = {
        "id": event.id,
        "identifier": event.identifier,
        "created_at": iso(event.created_at),
        "webhook_id": webhook_id,
        "server_id": event.server_id,
    }
    for field in ("server", "scan", "issues", "counts", "account"):
        if payload.get(field) is not None:
            document[field] = payload[field]
    return document
