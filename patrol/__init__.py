"""Patrol: server software inventory, OSV scans, signed webhooks and Slack."""
from __future__ import annotations

from importlib.metadata import PackageNotFoundError, version
from typing import Any

from flask import Flask

try:
    __version__ = version("patrol")
except PackageNotFoundError:  # running from a checkout that was not installed
    __version__ = "0.0.0"


def create_app(config: dict[str, Any] | None = None) -> Flask:
    """Build the Patrol app: core API, then the chosen extensions (PATROL_EXTENSIONS).

    `config` overrides settings by their app.config keys (tests pass theirs);
    the rest are read from the environment (`patrol.config`).
    Extensions register under the `patrol.extensions` entry point group; a
    choice that breaks a requirement is refused before anything is built,
    then each loads after those it requires. The core never imports them,
    which keeps the dependency pointing one way.
    """
    from patrol import api, cli, config as settings, db, extensions, health, input_guard, logformat, metrics, resources
    from patrol import wakeups
    from patrol.advisories import schedule
    from patrol.accesslog import AccessLog
    from patrol.exploits import schedule as exploit_schedule
    from patrol.scanning import workers
    from patrol.transactions import PatrolFlask

    overrides = config or {}
    core = settings.read(settings.Core, overrides)
    chosen = extensions.choose(core.extensions)
    app = PatrolFlask(__name__, instance_path=core.instance_path, instance_relative_config=True,
                      template_folder=str(resources.templates()))
    app.config.update(overrides)
    settings.install(app, core)
    app.config["PATROL_VERSION"] = __version__
    logformat.keep_urls_out_of_logs()
    _trust_proxies(app, core.trusted_proxies)
    db.init_app(app)
    wakeups.init_app(app)
    input_guard.init_app(app)
    api.init_app(app)
    health.init_app(app)
    metrics.init_app(app)
    workers.init_app(app)
    schedule.init_app(app)
    exploit_schedule.init_app(app)
    cli.init_app(app)
    for extension in chosen:
        extension.init_app(app)
    app.wsgi_app = AccessLog(app.wsgi_app)  # type: ignore[method-assign]
    return app


def _trust_proxies(app: Flask, hops: int) -> None:
    """Behind `hops` reverse proxies, take the client's address and scheme from their
    X-Forwarded-* headers; with none (the default) those headers are anyone's to forge."""
    if hops > 0:
        from werkzeug.middleware.proxy_fix import ProxyFix

        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=hops, x_proto=hops, x_host=hops)  # type: ignore[method-assign]

