"""Patrol: server software inventory, OSV scans, signed webhooks and Slack."""
from __future__ import annotations

from importlib.metadata import PackageNotFoundError, entry_points, version
from pathlib import Path
from typing import Any

from flask import Flask

try:
    __version__ = version("patrol")
except PackageNotFoundError:  # running from a checkout that was not installed
    __version__ = "0.0.0"

TEMPLATES = Path(__file__).resolve().parent.parent / "templates"


def create_app(config: dict[str, Any] | None = None) -> Flask:
    """Build the Patrol app: core API, then every installed extension.

    `config` overrides what `patrol.config.from_env` reads (tests pass theirs).
    Extensions register under the `patrol.extensions` entry point group; the
    core never imports them, which keeps the dependency pointing one way.
    """
    from patrol import api, cli, config as settings, db, health, input_guard, metrics
    from patrol.advisories import schedule
    from patrol.accesslog import AccessLog
    from patrol.exploits import schedule as exploit_schedule
    from patrol.scanning import workers
    from patrol.transactions import PatrolFlask

    app = PatrolFlask(__name__, instance_relative_config=True, template_folder=str(TEMPLATES))
    app.config.update(settings.from_env())
    app.config.update(config or {})
    app.config["PATROL_VERSION"] = __version__
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


def _load_extensions(app: Flask) -> None:
    wanted = app.config.get("EXTENSIONS")
    for entry in entry_points(group="patrol.extensions"):
        if wanted is None or entry.name in wanted:
            entry.load()(app)
