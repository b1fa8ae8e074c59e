"""`patrol serve`: the web app under waitress, with the background loops."""
from __future__ import annotations

import errno
import secrets

import click
from flask import Flask
from waitress import create_server
from waitress.server import BaseWSGIServer

from patrol import background, banners, config, logformat, migrate
from patrol.cli import stopping
from patrol.cli.apps import build_app
from patrol.cli.errors import OperationalError, hide_password
from patrol.db import get_db


@click.command()
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", default=8000, show_default=True, type=int, help="0 picks a free port.")
@click.option("--threads", default=8, show_default=True, type=int, help="Request threads.")
@click.option("--demo", is_flag=True,
              help="Load a demo account, server, advisories and scan, in a database of its own.")
def serve(host: str, port: int, threads: int, demo: bool) -> None:
    """Run Patrol: the web app, the API, scans, the scheduler and deliveries."""
    app = build_app(_demo_settings() if demo else None)
    logformat.configure(config.of(app, config.Core).log_format)
    _require_secret_key(app, demo)
    server = _listen(app, host, port, threads)
    migrate.upgrade(app)
    url = f"http://{'[' + host + ']' if ':' in host else host}:{server.effective_port}"
    if demo:
        _set_up_demo(app, url)
    try:
        with stopping.until_stopped():
            background.get(app).start()
            click.echo(f"Patrol is running at {url}/  (API: {url}/api)  Ctrl+C stops it.")
            for line in banners.lines(app):
                click.echo(line)
            server.run()  # waitress's loop wakes every second, so a signal's Stopped is raised in it
    finally:
        click.echo("Stopping.")
        server.close()
        background.get(app).stop(config.of(app, config.Core).shutdown_grace)
    click.echo("Stopped.")


def _demo_settings() -> dict:
    """The demo's own database (unless PATROL_DATABASE_URL names one), loopback receivers,
    and its own advisories only: no scheduled download of osv.dev's sets into a demo."""
    from patrol import demo

    try:
        allowed = config.env_value(config.WEBHOOK_ALLOWED_NETWORKS)
    except config.ConfigError as exc:
        raise OperationalError(str(exc)) from exc
    return {"SQLITE_FILE": demo.SQLITE_FILE, "WEBHOOK_ALLOWED_NETWORKS": [*allowed, *demo.LOOPBACK],
            "ADVISORY_SYNC_INTERVAL": 0}


def _listen(app: Flask, host: str, port: int, threads: int) -> BaseWSGIServer:
    try:
        return create_server(app, host=host, port=port, threads=threads, ident="Patrol")
    except OSError as exc:
        if exc.errno == errno.EADDRINUSE:
            raise OperationalError(f"port {port} is in use: pass --port or stop the other process") from exc
        raise OperationalError(f"cannot listen on {host}:{port}: {exc.strerror or exc}") from exc


def _require_secret_key(app: Flask, demo: bool) -> None:
    if app.config.get("SECRET_KEY"):
        return
    if not demo:
        raise OperationalError(
            "Set PATROL_SECRET_KEY (e.g. `python -c 'import secrets; print(secrets.token_hex(32))'`)."
        )
    app.config["SECRET_KEY"] = secrets.token_hex(32)


def _set_up_demo(app: Flask, url: str) -> None:
    from patrol import demo

    own_file = not config.read(config.Core).database_url
    click.echo(f"Demo database: {hide_password(app.config['DATABASE_URL'])}"
               + ("  (its own file: a plain `patrol serve` never sees it)" if own_file else ""))
    click.echo(f"Webhooks may call receivers on this machine ({', '.join(demo.LOOPBACK)}) in the demo.")
    click.echo("Advisories: the demo's own set; no scheduled sync from osv.dev (`patrol advisories sync` runs one).")
    made = demo.set_up(get_db(app))
    click.echo("Demo data loaded:")
    click.echo(f"  sign in:    {made.email} / {made.password}")
    click.echo(f"  API key:    {made.key}")
    click.echo(f"  API secret: {made.secret}")
    click.echo(f"  server {made.server_id} was scanned; try:")
    click.echo(f"  curl -u {made.key}:{made.secret} {url}/api/servers/{made.server_id}/issues")
