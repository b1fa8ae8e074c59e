"""`patrol scan SERVER`: scan now, in the foreground, and print the result."""
from __future__ import annotations

import click
from flask import current_app
from flask.cli import with_appcontext
from sqlalchemy import select

from patrol.clock import now
from patrol.db import get_db
from patrol.errors import PatrolError
from patrol.models import Scan, Server
from patrol.scanning import jobs
from patrol.scanning.states import ScanTrigger


@click.command()
@click.argument("server")
@with_appcontext
def scan(server: str) -> None:
    """Scan SERVER (an id or a name) and print what it found."""
    db = get_db(current_app)
    with db.session() as session:
        row = _find(session, server)
        try:
            started = jobs.start(session, row, ScanTrigger.MANUAL)
        except PatrolError as exc:
            raise click.ClickException(exc.message) from exc
        started.lease_until = now() + jobs.LEASE  # ours: keep background workers off it
        scan_id = started.id
    jobs.run(db, scan_id)
    with db.session() as session:
        done = session.get(Scan, scan_id)
        if done is None:
            raise click.ClickException(f"scan {scan_id} is gone: was {row.name} removed meanwhile?")
        click.echo(
            f"Scan {done.id} of {row.name}: {done.status}; {done.issue_count} open issues, "
            f"{done.new_issue_count} new, {done.resolved_issue_count} resolved."
        )
        if done.error:
            click.echo(f"Reason: {done.error}")


def _find(session, wanted: str) -> Server:  # noqa: ANN001
    query = select(Server).where(Server.name == wanted)
    if wanted.isdigit():
        query = select(Server).where(Server.id == int(wanted))
    rows = list(session.scalars(query))
    if len(rows) != 1:
        raise click.ClickException(
            f"No single server matches {wanted!r}." if not rows else
            f"{len(rows)} accounts have a server named {wanted!r}: give its id."
        )
    return rows[0]
