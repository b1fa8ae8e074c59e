"""Plugs the Slack app into a Patrol app (entry point `patrol.extensions`)."""
from __future__ import annotations

from flask import Flask

from bot import app as bolt_app
from bot import cli, links, routes
from patrol import account_removal, migrate, resources

def init_app(app: Flask) -> None:
    """Tables and `patrol slack` always; /slack/* only with a signing secret.

    Without SLACK_SIGNING_SECRET nothing could verify that a request came
    from Slack, so the routes do not exist at all: there is no unverified mode.
    """
    import bot.models  # noqa: F401 - registers the tables

    migrate.add_versions(app, resources.path("bot", "migrations"))
    app.cli.add_command(cli.slack)
    account_removal.on_delete(app, links.forget_account)
    if not app.config.get("SLACK_SIGNING_SECRET"):
        return
    bolt = bolt_app.build(app)
    app.extensions["bot.bolt"] = bolt
    routes.mount(app, bolt)
