"""Plugs the webhook subsystem into a Patrol app (entry point `patrol.extensions`)."""
from __future__ import annotations

from flask import Flask

from patrol import background, config, migrate, resources
from patrol.api import openapi
from patrol.extensions import Extension
from webhooks import api, telemetry
from webhooks.config import Webhooks
from webhooks.engine import Engine


def init_app(app: Flask) -> None:
    import webhooks.channels.models  # registers the tables, with the next line
    import webhooks.models  # noqa: F401

    config.load(app, Webhooks)
    migrate.add_versions(app, resources.path("webhooks", "migrations"))
    openapi.add_fragment(app, resources.path("webhooks", "openapi.yaml"))
    app.register_blueprint(api.bp, url_prefix="/api")
    engine = Engine(app)
    telemetry.init_app(app)
    app.extensions["webhooks.engine"] = engine
    background.get(app).add(engine)


extension = Extension("webhooks", init_app)
