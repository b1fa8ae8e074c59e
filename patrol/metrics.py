"""Prometheus metrics: `/metrics` on the web app, a port of its own on workers.

Two kinds of figures, kept apart on purpose:
- counters and histograms of what this process did (scans here; deliveries
  in the webhooks extension). Each process exposes its own and Prometheus
  sums them across processes and machines, which works wherever the
  processes run (no shared multiprocess directory needed);
- gauges of shared state (queue depth, oldest due delivery), computed from
  the database when scraped, so every process reports the same true value:
  aggregate those with max(), not sum().

Extensions add their collectors with `add_collector`; the core never
imports them.
"""
from __future__ import annotations

from prometheus_client import (
    CONTENT_TYPE_LATEST, CollectorRegistry, Counter, Histogram, generate_latest, start_http_server,
)
from prometheus_client.registry import Collector
from flask import Blueprint, Flask, Response, current_app

from patrol import config
from patrol.db import get_db
from patrol.feeds.telemetry import FeedAgeCollector

EXTENSION_KEY = "patrol.metrics"

SCANS = Counter("patrol_scans", "Scans run to their end, by outcome.", ["outcome"], registry=None)
SCAN_SECONDS = Histogram(
    "patrol_scan_duration_seconds", "Wall time of a scan, from claim to commit.", registry=None,
    buckets=(0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120),
)
_PROCESS_COLLECTORS = (SCANS, SCAN_SECONDS)

bp = Blueprint("metrics", __name__)


def init_app(app: Flask) -> None:
    registry = CollectorRegistry(auto_describe=True)
    for collector in _PROCESS_COLLECTORS:
        registry.register(collector)
    registry.register(FeedAgeCollector(get_db(app)))
    app.extensions[EXTENSION_KEY] = registry
    app.register_blueprint(bp)


def add_collector(app: Flask, collector: Collector) -> None:
    """The hook for extensions: `collector` is exposed with the core's metrics."""
    app.extensions[EXTENSION_KEY].register(collector)


def registry_of(app: Flask) -> CollectorRegistry:
    return app.extensions[EXTENSION_KEY]


@bp.get("/metrics")
def exposition() -> Response:
    return Response(generate_latest(registry_of(current_app)), content_type=CONTENT_TYPE_LATEST)


def serve_on_port(app: Flask) -> int | None:
    """For processes without the web app (`patrol worker`): expose the metrics on
    PATROL_METRICS_HOST:PATROL_METRICS_PORT when a port is set; the port bound."""
    core = config.of(app, config.Core)
    if not core.metrics_port:
        return None
    server, _ = start_http_server(core.metrics_port, core.metrics_host, registry_of(app))
    return server.server_port


def record_scan(outcome: str, seconds: float) -> None:
    SCANS.labels(outcome).inc()
    SCAN_SECONDS.observe(seconds)
