"""The upgrade groups a new-issues Slack message names, read from the database
when the message is built (never on the event loop: the engine builds Slack
messages in a worker thread)."""
from __future__ import annotations

from collections.abc import Mapping

from patrol import events
from patrol.db import Database
from patrol.models import Server
from patrol.triage import upgrades


def for_event(db: Database, event: Mapping) -> list[dict] | None:
    """The server's upgrade groups as the API gives them, for a new-issues event
    (None for other events, or when the server is gone)."""
    if event.get("identifier") != events.NEW_SERVER_ISSUES or not event.get("server_id"):
        return None
    with db.session() as session:
        server = session.get(Server, event["server_id"])
        if server is None:
            return None
        return [group.as_dict() for group in upgrades.for_server(session, server)]
