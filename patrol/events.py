"""Recording events into the outbox.

The core only writes rows here, inside the caller's transaction, so an
event exists exactly when the state it reports was committed. Whoever
delivers events (the `webhooks` package) reads the outbox; the core never
calls it; a wake-up on `wakeups.EVENTS` tells a deliverer, in this process or
another, once the commit made the event real.
"""
from __future__ import annotations

from sqlalchemy.orm import Session

from patrol import serialize, wakeups
from patrol.ids import random_id
from patrol.models import Account, Event, Issue, Scan, Server
from patrol.triage import issues as triage_issues

SCAN_STARTED = "webhook.scan_started"
NEW_SERVER_ISSUES = "webhook.new_server_issues"
SCAN_FINISHED = "webhook.scan_finished"
TEST = "webhook.test"
IDENTIFIERS = (TEST, SCAN_STARTED, NEW_SERVER_ISSUES, SCAN_FINISHED)

def record(
    session: Session,
    account_id: int,
    identifier: str,
    *,
    server: Server | None = None,
    scan: Scan | None = None,
    issues: list[Issue] | None = None,
    counts: dict | None = None,
    recipient: str | None = None,
    account: Account | None = None,
) -> Event:
    """Add an event row to `session`; the caller's commit publishes it."""
    payload = {
        "account": {"id": account.id, "email": account.email} if account else None,
        "server": {"id": server.id, "name": server.name} if server else None,
        "scan": serialize.scan(scan) if scan else None,
        "issues": triage_issues.shaped(session, account_id, issues) if issues is not None else None,
        "counts": counts,
    }
    row = Event(
        id=random_id("evt"),
        account_id=account_id,
        identifier=identifier,
        server_id=server.id if server else None,
        recipient=recipient,
        payload=payload,
    )
    session.add(row)
    wakeups.notify(session, wakeups.EVENTS)
    return row
