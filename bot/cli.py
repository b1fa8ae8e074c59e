"""`patrol slack ...`: link a workspace in single-workspace mode, and print the manifest."""
from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

import click
from flask import current_app
from flask.cli import with_appcontext

from bot import links, manifest, sealing
from patrol import accounts
from patrol.db import get_db
from patrol.errors import PatrolError


@click.group()
def slack() -> None:
    """The Slack app: workspace links and the app manifest."""


@slack.command()
@click.argument("team_id")
@click.argument("email")
@with_appcontext
def link(team_id: str, email: str) -> None:
    """Let Slack workspace TEAM_ID act for the account EMAIL (with its own API key)."""
    with _as_click_errors(), get_db(current_app).session() as session:
        account = accounts.by_email(session, email)
        links.link(session, sealing.for_app(current_app), account, team_id)
    click.echo(f"Slack workspace {team_id} now acts for {account.email}.")


@slack.command()
@click.argument("team_id")
@with_appcontext
def unlink(team_id: str) -> None:
    """Cut Slack workspace TEAM_ID off: its link and API key go."""
    with _as_click_errors(), get_db(current_app).session() as session:
        links.unlink(session, team_id)
    click.echo(f"Slack workspace {team_id} is no longer linked.")


@slack.command(name="manifest")
@click.option("--url", required=True, help="Patrol's public address, e.g. https://patrol.example.com")
@click.option("--socket-mode", is_flag=True, help="For SLACK_APP_TOKEN: Slack needs no request URLs.")
def print_manifest(url: str, socket_mode: bool) -> None:
    """Print the Slack app manifest with its request URLs and unfurl domain under URL."""
    try:
        click.echo(manifest.render(url, socket_mode=socket_mode), nl=False)
    except manifest.BadUrl as exc:
        raise click.BadParameter(str(exc), param_hint="--url") from exc


@contextmanager
def _as_click_errors() -> Iterator[None]:
    """Patrol's errors as a clean message and exit code 1, not a trace."""
    try:
        yield
    except (PatrolError, sealing.MissingSecretKey) as exc:
        raise click.ClickException(getattr(exc, "message", str(exc))) from exc
