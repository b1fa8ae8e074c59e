"""`patrol worker`: every background loop without the web app, for scaling out."""
from __future__ import annotations

from typing import Any

import click

from patrol import background, banners, config, logformat, metrics, migrate
from patrol.cli import stopping
from patrol.cli.apps import build_app
from patrol.cli.errors import OperationalError


@click.command()
@click.option("--concurrency", default=None, type=int,
              help="Deliveries in flight at once (PATROL_WEBHOOK_WORKERS), 1 or more.")
def worker(concurrency: int | None) -> None:
    """Run scans, the schedule, syncs, deliveries and every loop an extension adds, until stopped.

    Run as many as you like on PostgreSQL: they share the queues safely, and
    each hears the work the others and the web app queue at once.
    """
    app = build_app(_overrides(concurrency))
    logformat.configure(config.of(app, config.Core).log_format)
    migrate.upgrade(app)
    try:
        with stopping.until_stopped():
            background.get(app).start()
            port = metrics.serve_on_port(app)
            click.echo("Patrol worker running" + (f", metrics on port {port}" if port else "") + "; Ctrl+C stops it.")
            for line in banners.lines(app):
                click.echo(line)
            stopping.wait_forever()
    finally:
        click.echo("Stopping.")
        background.get(app).stop(config.of(app, config.Core).shutdown_grace)
    click.echo("Stopped.")


def _overrides(concurrency: int | None) -> dict[str, Any] | None:
    """Settings given as flags, applied when the app is built: whatever they size
    (the delivery engine's connection pool and in-flight limit) is built to fit them."""
    if concurrency is None:
        return None
    if concurrency < 1:
        raise OperationalError(f"--concurrency must be 1 or more, not {concurrency}")
    return {"WEBHOOK_WORKERS": concurrency}
