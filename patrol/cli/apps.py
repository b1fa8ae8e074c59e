"""Building the app for a command, with unusable settings as operational errors."""
from __future__ import annotations

from typing import Any

import click
from flask import Flask
from sqlalchemy.exc import ArgumentError

from patrol.cli.errors import OperationalError, database_unusable

APP = "patrol.app"  # where the built app is kept in the click context's meta


def build_app(overrides: dict[str, Any] | None = None) -> Flask:
    """`create_app` for the CLI: a bad setting is one clear line, exit code 2."""
    from patrol import config, create_app

    try:
        app = create_app(overrides)
    except config.ConfigError as exc:
        raise OperationalError(str(exc)) from exc
    except (ArgumentError, ValueError) as exc:  # the engine could not make sense of the URL
        url = (overrides or {}).get("DATABASE_URL") or config.read(config.Core).database_url
        raise database_unusable(url, exc) from exc
    ctx = click.get_current_context(silent=True)
    if ctx is not None:
        ctx.meta[APP] = app
    return app


def built_app() -> Flask | None:
    """The app a command of this invocation built, if any."""
    return click.get_current_context().meta.get(APP)
