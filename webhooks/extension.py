"""Plugs the webhook subsystem into a Patrol app (entry point `patrol.extensions`)."""
from __future__ import annotations

from pathlib import Path

from flask import Flask

from patrol import background, migrate
from patrol.api import openapi
from patrol.db import get_db
from webhooks import api, cli, telemetry
from webhooks.engine import Engine

HERE = Path(__file__).parent


def init_app(app: Flask) -> None:
    import webhooks.channels.models  # noqa: F401 - registers the tables
    import webhooks.models  # noqa: F401

    migrate.add_versions(app, HERE / "migrations")
    openapi.add_fragment(app, HERE / "openapi.yaml")
    app.register_blueprint(api.bp, url_prefix="/api")
    engine = Engine(app)
    telemetry.instrument(engine)
    telemetry.init_app(app)
    app.extensions["webhooks.engine"] = engine
    background.get(app).add(engine)
    get_db(app).on_events_committed(engine.fanout_loop.wake)
    app.cli.add_command(cli.worker)
