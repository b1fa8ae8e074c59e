"""`patrol db upgrade`."""
from __future__ import annotations

import click
from flask import current_app
from flask.cli import with_appcontext

from patrol import config, migrate


@click.group()
def db() -> None:
    """Database schema."""


@db.command()
@with_appcontext
def upgrade() -> None:
    """Migrate the database to the newest schema."""
    migrate.upgrade(current_app)
    click.echo(f"Database is up to date: {config.of(current_app, config.Core).database_url.split('@')[-1]}")
