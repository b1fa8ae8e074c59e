"""The `patrol` command.

A plain click group that speaks Patrol only (no Flask options): its own
commands (`serve`, `worker`, and `push`, which runs on monitored servers and never
builds the app), plus those the app and its extensions register on `app.cli`.
The app is built only when a command needs it.
"""
from __future__ import annotations

from typing import Any

import click
from flask import Flask
from flask.cli import ScriptInfo
from sqlalchemy.exc import DBAPIError

from patrol import __version__, config, migrate
from patrol.cli import accounts, advisories, database, exploits, push, scans, serve, worker
from patrol.cli.apps import build_app, built_app
from patrol.cli.errors import OperationalError, database_unusable


class PatrolGroup(click.Group):
    """Patrol's commands and the app's; database and migration failures become one clear line."""

    def make_context(self, info_name: str | None, args: list[str], parent: click.Context | None = None,
                     **extra: Any) -> click.Context:
        # with_appcontext finds the app through a ScriptInfo; ours builds it with build_app.
        extra.setdefault("obj", ScriptInfo(create_app=build_app, set_debug_flag=False, load_dotenv_defaults=False))
        return super().make_context(info_name, args, parent, **extra)

    def list_commands(self, ctx: click.Context) -> list[str]:
        try:
            found = self._app_commands(ctx).list_commands(ctx)
        except OperationalError as exc:
            click.echo(f"Error: {exc.message}", err=True)  # --help still lists our own commands
            found = []
        return sorted({*super().list_commands(ctx), *found})

    def get_command(self, ctx: click.Context, name: str) -> click.Command | None:
        return super().get_command(ctx, name) or self._app_commands(ctx).get_command(ctx, name)

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except DBAPIError as exc:  # the database refused or could not be reached
            app = built_app()
            raise database_unusable(config.of(app, config.Core).database_url if app else None, exc) from exc
        except migrate.MigrationError as exc:
            raise OperationalError(str(exc)) from exc

    @staticmethod
    def _app_commands(ctx: click.Context) -> click.Group:
        return ctx.ensure_object(ScriptInfo).load_app().cli


@click.group(cls=PatrolGroup)
@click.version_option(__version__, "--version", prog_name="patrol", message="%(prog)s %(version)s")
def main() -> None:
    """Patrol: server software inventory, vulnerability scans, webhooks and Slack."""


main.add_command(push.push)
main.add_command(serve.serve)
main.add_command(worker.worker)


def init_app(app: Flask) -> None:
    for command in (database.db, accounts.account, advisories.advisories, exploits.exploits, scans.scan):
        app.cli.add_command(command)
