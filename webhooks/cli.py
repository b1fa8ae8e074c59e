"""`patrol worker`: background work without the web app, for scaling out."""
from __future__ import annotations

import signal
import threading

import click
from flask import current_app
from flask.cli import with_appcontext

from patrol import background, banners, logformat, metrics, migrate


@click.command()
@click.option("--concurrency", default=None, type=int, help="Deliveries in flight at once (PATROL_WEBHOOK_WORKERS).")
@with_appcontext
def worker(concurrency: int | None) -> None:
    """Deliver webhooks, run scans and the schedule, until stopped.

    Run as many as you like on PostgreSQL: they share the queues safely.
    """
    app = current_app._get_current_object()  # type: ignore[attr-defined]  # noqa: SLF001 - the app, not its proxy
    logformat.configure(app.config["LOG_FORMAT"])
    migrate.upgrade(app)
    if concurrency:
        app.extensions["webhooks.engine"].concurrency = concurrency
    stop = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: stop.set())
    signal.signal(signal.SIGINT, lambda *_: stop.set())
    background.get(app).start()
    port = metrics.serve_on_port(app)
    click.echo("Patrol worker running" + (f", metrics on port {port}" if port else "") + "; Ctrl+C stops it.")
    for line in banners.lines(app):
        click.echo(line)
    stop.wait()
    background.get(app).stop()
