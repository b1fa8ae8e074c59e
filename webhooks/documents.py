"""The event as the event API returns it (and as Slack messages tell it)."""
from __future__ import annotations

from sqlalchemy import Row

from patrol.clock import iso
from patrol.models import Event


def event_document(event: Event | Row, webhook_id: str | None) -> dict:
    """`event` (an Event, or a row of its columns) as the API shows it to `webhook_id`;
    the claim makes one with None per event and fills in each delivery's webhook."""
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


def event_page(event: Event, webhook_id: str, page: int, per_page: int) -> tuple[dict, int]:
    """The event API's answer: the document with one page of its issues, and how many there are."""
    document = event_document(event, webhook_id)
    issues = document.get("issues") or []
    if "issues" in document:
        start = (page - 1) * per_page
        document["issues"] = issues[start:start + per_page]
    return document, len(issues)
