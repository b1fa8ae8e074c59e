"""`patrol db upgrade`."""
from __future__ import annotations

import click
from flask import current_app
from flask.cli import with_appcontext

from patrol import migrate
from patrol.db import get_db


@click.group()
def db() -> None:
    """Database schema."""


@db.command()
@with_appcontext
def upgrade() -> None:
    """Migrate the database to the newest schema."""
    migrate.upgrade(current_app)
    click.echo(f"Database is up to date: {get_db(current_app).url.split('@')[-1]}")
