"""Plugs the Slack app into a Patrol app (entry point `patrol.extensions`)."""
from __future__ import annotations

from flask import Flask

from bot import app as bolt_app
from bot import cli, links, routes, web_panel
from bot.config import Slack
from bot.socket_mode import SocketMode
from patrol import account_removal, background, banners, config, migrate, resources
from patrol.extensions import Extension


def init_app(app: Flask) -> None:
    """Tables and `patrol slack` always; the Slack app with a signing secret or an app-level token.

    SLACK_APP_TOKEN connects to Slack over Socket Mode (no inbound requests);
    /slack/events exists only with SLACK_SIGNING_SECRET, since nothing else
    could verify that a request came from Slack: there is no unverified mode.
    """
    import bot.models  # noqa: F401 - registers the tables

    slack = config.load(app, Slack)
    migrate.add_versions(app, resources.path("bot", "migrations"))
    app.cli.add_command(cli.slack)
    account_removal.on_delete(app, links.forget_account)
    web_panel.register(app)
    if not (slack.signing_secret or slack.app_token):
        return
    bolt = bolt_app.build(app)
    app.extensions["bot.bolt"] = bolt
    routes.mount(app, bolt, events=bool(slack.signing_secret))
    if slack.app_token:
        app.extensions["bot.socket_mode"] = background.get(app).add(SocketMode(bolt, slack.app_token))
        banners.add(app, "Slack: Socket Mode (SLACK_APP_TOKEN): Patrol connects to Slack; no inbound requests.")
    else:
        banners.add(app, f"Slack: HTTP mode: Slack sends requests to {routes.EVENTS_PATH} (patrol serve).")


extension = Extension("bot", init_app, requires=("webhooks",))
