"""What webhook tests do over and over: API calls that assert their status,
events written as the core writes them, and the engine's work done synchronously."""
from __future__ import annotations

from datetime import timedelta

from flask import Flask
from flask.testing import FlaskClient

from patrol import events, servers
from patrol.clock import now
from patrol.db import Database
from patrol.ids import random_id
from patrol.models import Account
from webhooks import fanout, queue


def add_webhook(client: FlaskClient, caller, url: str, **fields) -> dict:  # conftest's Caller
    """POST /webhooks; the created webhook, secret included."""
    answer = client.post("/api/webhooks", json={"url": url, **fields}, auth=caller.auth)
    assert answer.status_code == 201, answer.json
    return answer.json["data"]


def deliveries(client: FlaskClient, caller, webhook_id: str) -> list[dict]:
    """The webhook's delivery log (first page, newest first), each with its attempts."""
    answer = client.get(f"/api/webhooks/{webhook_id}/deliveries", auth=caller.auth)
    assert answer.status_code == 200, answer.json
    return answer.json["data"]


def send_test(client: FlaskClient, caller, webhook_id: str) -> dict:
    """POST /webhooks/{id}/test; the queued delivery."""
    answer = client.post(f"/api/webhooks/{webhook_id}/test", auth=caller.auth)
    assert answer.status_code == 202, answer.json
    return answer.json["data"]


def record_events(db: Database, caller, count: int) -> list[str]:
    """`count` scan_started events of a new server, written to the outbox as a scan would.

    The server's first scheduled scan is a day away, so no other event comes.
    """
    with db.session() as session:
        account = session.get(Account, caller.account_id)
        server = servers.create(session, account, f"{random_id('srv').lower()}.example.com")
        server.next_scan_at = now() + timedelta(days=1)
        recorded = [events.record(session, account.id, events.SCAN_STARTED, server=server) for _ in range(count)]
        return [event.id for event in recorded]


def deliver_due(app: Flask, db: Database) -> int:
    """Fan out, claim and send what is due, synchronously, as the engine's loops would; how many were sent."""
    fanout.dispatch(db)
    engine = app.extensions["webhooks.engine"]
    claimed = queue.claim(db, 10, engine.lease, 2)
    for item in claimed:
        engine.deliver(item)
    return len(claimed)
