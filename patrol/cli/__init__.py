"""The `patrol` command. Commands that need the app are registered on
`app.cli` (extensions add theirs the same way); `push` runs on monitored
servers and never builds the app."""
from __future__ import annotations

import click
from flask import Flask
from flask.cli import FlaskGroup

from patrol.cli import accounts, advisories, database, exploits, push, scans, serve


def _create_app():  # noqa: ANN202 - FlaskGroup's factory
    from patrol import create_app
    from patrol.config import ConfigError

    try:
        return create_app()
    except ConfigError as exc:
        raise click.ClickException(str(exc)) from exc


@click.group(cls=FlaskGroup, create_app=_create_app, add_default_commands=False, load_dotenv=False)
def main() -> None:
    """Patrol: server software inventory, vulnerability scans, webhooks and Slack."""


main.add_command(push.push)


def init_app(app: Flask) -> None:
    for command in (database.db, accounts.account, advisories.advisories, exploits.exploits, scans.scan,
                    serve.serve):
        app.cli.add_command(command)
