"""`patrol serve`: the web app under waitress, with the background loops."""
from __future__ import annotations

import secrets
import signal

import click
from flask import current_app
from flask.cli import with_appcontext
from waitress import create_server

from patrol import background, banners, logformat, migrate
from patrol.db import get_db


@click.command()
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", default=8000, show_default=True, type=int, help="0 picks a free port.")
@click.option("--threads", default=8, show_default=True, type=int, help="Request threads.")
@click.option("--demo", is_flag=True, help="Load a demo account, server, advisories and scan.")
@with_appcontext
def serve(host: str, port: int, threads: int, demo: bool) -> None:
    """Run Patrol: the web app, the API, scans, the scheduler and deliveries."""
    app = current_app._get_current_object()  # noqa: SLF001 - waitress needs the real app
    logformat.configure(app.config["LOG_FORMAT"])
    _require_secret_key(app, demo)
    migrate.upgrade(app)
    server = create_server(app, host=host, port=port, threads=threads, ident="Patrol")
    url = f"http://{'[' + host + ']' if ':' in host else host}:{server.effective_port}"
    if demo:
        _set_up_demo(app, url)
    background.get(app).start()
    click.echo(f"Patrol is running at {url}/  (API: {url}/api)  Ctrl+C stops it.")
    for line in banners.lines(app):
        click.echo(line)
    signal.signal(signal.SIGTERM, lambda *_: server.close())
    try:
        server.run()
    except KeyboardInterrupt:
        click.echo("Stopping.")
    except OSError:
        click.echo("Stopped.")  # SIGTERM closed the listening socket under the loop
    finally:
        background.get(app).stop()


def _require_secret_key(app, demo: bool) -> None:  # noqa: ANN001
    if app.config.get("SECRET_KEY"):
        return
    if not demo:
        raise click.ClickException(
            "Set PATROL_SECRET_KEY (e.g. `python -c 'import secrets; print(secrets.token_hex(32))'`)."
        )
    app.config["SECRET_KEY"] = secrets.token_hex(32)


def _set_up_demo(app, url: str) -> None:  # noqa: ANN001
    from patrol import demo

    made = demo.set_up(get_db(app))
    click.echo("Demo data loaded:")
    click.echo(f"  sign in:    {made.email} / {made.password}")
    click.echo(f"  API key:    {made.key}")
    click.echo(f"  API secret: {made.secret}")
    click.echo(f"  server {made.server_id} was scanned; try:")
    click.echo(f"  curl -u {made.key}:{made.secret} {url}/api/servers/{made.server_id}/issues")
