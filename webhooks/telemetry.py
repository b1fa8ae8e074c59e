"""What the delivery engine tells operators: Prometheus metrics and one log
line per attempt.

Per-process counters (attempts by outcome and kind, attempt latency, in
flight) count what this process sent; the queue gauges are read from the
database at scrape time, so every process reports the same shared truth.
`observe_attempt` is the one call the engine makes per attempt; the engine
holds `IN_FLIGHT` up while it sends.
"""
from __future__ import annotations

import logging
from collections.abc import Iterator

from flask import Flask
from prometheus_client import Counter, Gauge, Histogram
from prometheus_client.core import GaugeMetricFamily
from prometheus_client.registry import Collector
from sqlalchemy import func, select

from patrol import metrics
from patrol.clock import now
from patrol.db import Database, get_db
from webhooks.models import DELIVERING, FAILED, PENDING, SUCCEEDED, Delivery
from webhooks.queue import Finished

log = logging.getLogger("patrol.delivery")
# A decision's status, as an attempt's outcome: a pending delivery will be retried.
OUTCOMES: dict[str, str] = {SUCCEEDED: "succeeded", PENDING: "retrying", FAILED: "failed"}

ATTEMPTS = Counter(
    "patrol_webhook_deliveries", "Delivery attempts this process made, by outcome and webhook kind.",
    ["outcome", "kind"], registry=None,
)
ATTEMPT_SECONDS = Histogram(
    "patrol_webhook_attempt_duration_seconds", "Time from sending a delivery to its answer (or error).",
    ["kind"], registry=None, buckets=(0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30),
)
IN_FLIGHT = Gauge("patrol_webhook_in_flight", "Deliveries this process is sending now.", registry=None)


def init_app(app: Flask) -> None:
    for collector in (ATTEMPTS, ATTEMPT_SECONDS, IN_FLIGHT, QueueCollector(get_db(app))):
        metrics.add_collector(app, collector)


def observe_attempt(finished: Finished) -> None:
    item, result, decision = finished.claimed, finished.result, finished.decision
    outcome = OUTCOMES.get(decision.status, decision.status)
    ATTEMPTS.labels(outcome, item.kind).inc()
    ATTEMPT_SECONDS.labels(item.kind).observe(result.duration_ms / 1000)
    fields = {
        "event": "delivery_attempt",
        "delivery_id": item.delivery_id,
        "webhook_id": item.webhook_id,
        "event_id": item.event.get("id"),
        "event_type": item.event.get("identifier"),
        "kind": item.kind,
        "attempt": item.attempt,
        "outcome": outcome,
        "status_code": result.status,
        "error_kind": result.error_kind,
        "duration_ms": result.duration_ms,
    }
    # No URL, headers, body or error text: they may carry tokens (a Slack URL does).
    log.info("delivery %s attempt %s to %s: %s", item.delivery_id, item.attempt, item.webhook_id, outcome,
             extra={"fields": fields})


class QueueCollector(Collector):
    """Queue depth by status and the age of the oldest due delivery, read when scraped."""

    def __init__(self, db: Database) -> None:
        self.db = db

    def collect(self) -> Iterator[GaugeMetricFamily]:
        moment = now()
        with self.db.session() as session:
            by_status = dict(session.execute(
                select(Delivery.status, func.count())
                .where(Delivery.status.in_((PENDING, DELIVERING))).group_by(Delivery.status)
            ).all())
            oldest = session.scalar(
                select(func.min(Delivery.next_attempt_at))
                .where(Delivery.status == PENDING, Delivery.next_attempt_at <= moment)
            )
        depth = GaugeMetricFamily("patrol_webhook_queue_depth", "Deliveries waiting or being sent, all processes.",
                                  labels=["status"])
        for status in (PENDING, DELIVERING):
            depth.add_metric([status], by_status.get(status, 0))
        yield depth
        age = (moment - oldest).total_seconds() if oldest else 0.0
        yield GaugeMetricFamily("patrol_webhook_oldest_due_seconds",
                                "How long the oldest due delivery has waited (0: none due).", value=age)

    def describe(self) -> list:
        return []  # collected only when scraped: registering must not query the database
