"""Patrol: server software inventory, OSV scans, signed webhooks and Slack."""
from __future__ import annotations

from importlib.metadata import PackageNotFoundError, entry_points, version
from typing import Any

from flask import Flask

try:
    __version__ = version("patrol")
except PackageNotFoundError:  # running from a checkout that was not installed
    __version__ = "0.0.0"


def create_app(config: dict[str, Any] | None = None) -> Flask:
    """Build the Patrol app: core API, then every installed extension.

    `config` overrides what `patrol.config.from_env` reads (tests pass theirs).
    Extensions register under the `patrol.extensions` entry point group; the
    core never imports them, which keeps the dependency pointing one way.
    """
    from patrol import api, cli, config as settings, db, health, input_guard, logformat, metrics, resources
    from patrol.advisories import schedule
    from patrol.accesslog import AccessLog
    from patrol.exploits import schedule as exploit_schedule
    from patrol.scanning import workers
    from patrol.transactions import PatrolFlask

    wanted = {**settings.from_env(), **(config or {})}
    app = PatrolFlask(__name__, instance_path=wanted["INSTANCE_PATH"], instance_relative_config=True,
                      template_folder=str(resources.templates()))
    app.config.update(wanted)
    app.config["PATROL_VERSION"] = __version__
    logformat.keep_urls_out_of_logs()
    _trust_proxies(app, app.config.get("TRUSTED_PROXIES", 0))
    db.init_app(app)
    input_guard.init_app(app)
    api.init_app(app)
    health.init_app(app)
    metrics.init_app(app)
    workers.init_app(app)
    schedule.init_app(app)
    exploit_schedule.init_app(app)
    cli.init_app(app)
    _load_extensions(app)
    app.wsgi_app = AccessLog(app.wsgi_app)  # type: ignore[method-assign]
    return app


def _trust_proxies(app: Flask, hops: int) -> None:
    """Behind `hops` reverse proxies, take the client's address and scheme from their
    X-Forwarded-* headers; with none (the default) those headers are anyone's to forge."""
    if hops > 0:
        from werkzeug.middleware.proxy_fix import ProxyFix

        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=hops, x_proto=hops, x_host=hops)  # type: ignore[method-assign]


def _load_extensions(app: Flask) -> None:
    wanted = app.config.get("EXTENSIONS")
    for entry in entry_points(group="patrol.extensions"):
        if wanted is None or entry.name in wanted:
            entry.load()(app)
