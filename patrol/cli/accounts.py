"""`patrol account ...`: accounts and API credentials from the shell."""
from __future__ import annotations

import sys
from typing import Literal

import click
from flask import current_app
from flask.cli import with_appcontext
from sqlalchemy import func, select

from patrol import account_removal, accounts, credentials
from patrol.db import get_db
from patrol.errors import PatrolError
from patrol.models import Server


@click.group()
def account() -> None:
    """Accounts and API credentials."""


@account.command()
@click.argument("email")
@click.option("--password-stdin", is_flag=True, help="Read a sign-in password from standard input.")
@with_appcontext
def create(email: str, password_stdin: bool) -> None:
    """Create an account; prints its first API key and secret once."""
    password = sys.stdin.readline().rstrip("\n") if password_stdin else None
    with _errors(), get_db(current_app).session() as session:
        created, issued = accounts.create(session, email, password)
        click.echo(f"Account {created.email} created.")
        _print_credential(issued)


@account.command(name="credentials")
@click.argument("email")
@click.option("--new", "new", is_flag=True, help="Add a credential and print it.")
@click.option("--revoke", metavar="KEY", help="Revoke the credential with this key.")
@with_appcontext
def credentials_command(email: str, new: bool, revoke: str | None) -> None:
    """List an account's API keys; add or revoke one."""
    with _errors(), get_db(current_app).session() as session:
        owner = accounts.by_email(session, email)
        if new:
            _print_credential(credentials.issue(session, owner, label="cli"))
        if revoke:
            credentials.revoke(session, owner, revoke)
            click.echo(f"Revoked {revoke}.")
        for row in sorted(owner.credentials, key=lambda c: c.id):
            state = "revoked" if row.revoked_at else "active"
            click.echo(f"{row.key}  {state:8}  created {row.created_at:%Y-%m-%d %H:%M}Z  {row.label or ''}")


@account.command(name="delete")
@click.argument("email")
@click.option("--yes", is_flag=True, help="Do not ask for confirmation.")
@with_appcontext
def delete_command(email: str, yes: bool) -> None:
    """Delete an account and everything it owns: servers, scans, issues,
    credentials, webhooks and their deliveries, Slack links."""
    with _errors(), get_db(current_app).session() as session:
        owner = accounts.by_email(session, email)
        servers = session.scalar(select(func.count()).select_from(Server).where(Server.account_id == owner.id))
        if not yes:
            click.confirm(f"Delete {owner.email} and its {servers} server(s), with all their data? "
                          "This cannot be undone.", abort=True)
        account_removal.delete_account(current_app, session, owner)
    click.echo(f"Deleted {email} and everything it owned.")


def _print_credential(issued: credentials.IssuedCredential) -> None:
    click.echo(f"API key:    {issued.key}")
    click.echo(f"API secret: {issued.secret}")
    click.echo("Keep the secret now: Patrol stores only its hash and cannot show it again.")


class _errors:  # noqa: N801 - used as `with _errors():`
    """Turn Patrol's errors into a clean message and exit code 1."""

    def __enter__(self) -> None:
        return None

    def __exit__(self, kind, exc, tb) -> Literal[False]:  # noqa: ANN001
        if isinstance(exc, PatrolError):
            raise click.ClickException(exc.message)
        return False
