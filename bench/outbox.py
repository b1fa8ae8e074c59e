"""Putting events into Patrol's outbox and timing their arrival at the receiver.

Events are written with `patrol.events.record` in committed batches, as a
scan commits them; each commit wakes the engine. Latency is the event's
`created_at` to the moment the receiver read the body.
"""
from __future__ import annotations

import json
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta

from sqlalchemy import select

from bench.receiver import Receiver
from patrol import accounts, events, servers
from patrol.clock import now
from patrol.db import Database
from patrol.models import Event, Server
from webhooks import addresses, service

CpuClock = Callable[[], float]  # CPU seconds used so far by everything being measured
PROBE_TIMEOUT = 30.0


@dataclass(frozen=True)
class Target:
    """Who the events are about and where they go."""

    account_id: int
    server_id: int
    hook_ids: list[str]


@dataclass(frozen=True)
class Run:
    sent: int
    received: int
    seconds: float
    cpu_seconds: float
    latencies: list[float]  # seconds, one per receipt
    duplicates: int = 0  # receipts of an (event, webhook) pair that had arrived already

    @property
    def rate(self) -> float:
        return self.received / self.seconds if self.seconds else 0.0


def set_up(db: Database, receiver: Receiver, webhooks: int, allowed: str) -> Target:
    """An account, a server, and `webhooks` generic JSON webhooks pointing at the receiver."""
    policy = addresses.AddressPolicy([allowed])
    with db.session() as session:
        account, _ = accounts.create(session, "bench@example.com")
        server = servers.create(session, account, "bench.example.com")
        server.next_scan_at = now() + timedelta(days=365)  # keep the scheduler's scan events out
        hooks = [
            service.create(session, account, {"url": receiver.url(f"/hook/{n}"), "format": "json"}, policy)
            for n in range(webhooks)
        ]
        return Target(account.id, server.id, [hook.id for hook in hooks])


def burst(db: Database, receiver: Receiver, target: Target, count: int, batch: int,
          timeout: float, cpu: CpuClock) -> Run:
    """Write `count` events in batches at once, and wait until every delivery arrived (or `timeout`)."""
    expected = count * len(target.hook_ids)
    started, cpu_started = time.time(), cpu()
    for first in range(0, count, batch):
        record(db, target, min(batch, count - first))
    receiver.wait_for(expected, timeout)
    cpu_used = cpu() - cpu_started
    receipts = _read(db, receiver.take())
    last = max((at for at, _ in receipts), default=time.time())
    return Run(expected, len(receipts), last - started, cpu_used, _latencies(receipts), _duplicates(receipts))


def probe(db: Database, receiver: Receiver, target: Target, count: int) -> list[float]:
    """Latencies of `count` events sent one at a time into an idle engine: the wake-up path alone."""
    latencies: list[float] = []
    for _ in range(count):
        record(db, target, 1)
        receiver.wait_for(len(target.hook_ids), PROBE_TIMEOUT)
        latencies += _latencies(_read(db, receiver.take()))
    return latencies


def record(db: Database, target: Target, count: int) -> None:
    """One committed batch of `scan_finished` events."""
    counts = {"issues": 12, "new": 2, "resolved": 1, "by_severity": {"high": 4, "medium": 8}}
    with db.session() as session:
        server = session.get(Server, target.server_id)
        for _ in range(count):
            events.record(session, target.account_id, events.SCAN_FINISHED, server=server, counts=counts)


def _read(db: Database, receipts: list[tuple[float, bytes]]) -> list[tuple[float, dict]]:
    """Each receipt with its body and the `created_at` of its event (as `created`)."""
    documents = [(at, json.loads(body)) for at, body in receipts]
    ids = list({document["event_id"] for _, document in documents})
    with db.session() as session:
        created = dict(session.execute(select(Event.id, Event.created_at).where(Event.id.in_(ids))).all())
    return [(at, {**document, "created": created[document["event_id"]].timestamp()}) for at, document in documents]


def _latencies(receipts: list[tuple[float, dict]]) -> list[float]:
    return [at - document["created"] for at, document in receipts]


def _duplicates(receipts: list[tuple[float, dict]]) -> int:
    pairs = {(document["event_id"], document["webhook_id"]) for _, document in receipts}
    return len(receipts) - len(pairs)
