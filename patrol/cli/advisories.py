"""`patrol advisories import|sync|status`: load OSV advisories and see how fresh they are."""
from __future__ import annotations

import click
from flask import current_app
from flask.cli import with_appcontext
from tqdm import tqdm

from patrol.advisories import importer, sources, status as advisory_status, sync as osv_sync
from patrol.advisories.settings import SyncSettings
from patrol.clock import iso
from patrol.db import get_db


@click.group()
def advisories() -> None:
    """Vulnerability advisories (OSV format)."""


@advisories.command(name="import")
@click.argument("paths", nargs=-1, required=True, type=click.Path(exists=True))
@with_appcontext
def import_command(paths: tuple[str, ...]) -> None:
    """Import OSV JSON files, folders of them, or osv.dev all.zip files."""
    try:
        with tqdm(total=sources.count(list(paths)), unit="advisory", disable=None) as bar:
            report = importer.import_records(get_db(current_app), sources.read(list(paths)), bar.update)
    except sources.SourceError as exc:
        raise click.ClickException(str(exc)) from exc
    _print(report)


@advisories.command()
@click.option("--ecosystem", "ecosystems", multiple=True,
              help='An osv.dev ecosystem name, e.g. npm, Go, Ubuntu, "Rocky Linux" '
                   "(default: PATROL_ADVISORY_ECOSYSTEMS, else those some server uses).")
@with_appcontext
def sync(ecosystems: tuple[str, ...]) -> None:
    """Sync advisories from PATROL_ADVISORY_URL now, as the scheduler does."""
    db, settings = get_db(current_app), SyncSettings.of(current_app)
    wanted = list(ecosystems) or osv_sync.wanted(db, settings)
    if not wanted:
        raise click.ClickException("No ecosystem to sync: no server has software yet. Name one with --ecosystem.")
    outcomes = [osv_sync.sync_ecosystem(db, settings, ecosystem, force=True) for ecosystem in wanted]
    for outcome in outcomes:
        _print_outcome(outcome)
    failed = [outcome.ecosystem for outcome in outcomes if outcome.error]
    if failed:
        raise click.ClickException(f"the sync of {', '.join(failed)} failed; nothing of it was changed")


def _print_outcome(outcome: osv_sync.Outcome) -> None:
    click.echo(f"{outcome.ecosystem}: ", nl=False)
    if outcome.error:
        click.echo(f"failed: {outcome.error}")
    elif outcome.mode == "busy":
        click.echo("another process is syncing it now")
    else:
        click.echo(f"{outcome.mode}, ", nl=False)
        _print(outcome.report)
        click.echo(f"  servers queued for a rescan: {outcome.rescans}")


@advisories.command()
@with_appcontext
def status() -> None:
    """How fresh the advisory data is, per ecosystem (as GET /api/advisories/status)."""
    rows = advisory_status.report(get_db(current_app), SyncSettings.of(current_app))
    if not rows:
        click.echo("No ecosystem is used or synced yet.")
    for row in rows:
        click.echo(
            f"{row.ecosystem:<12} {row.records:>7} records  {'STALE' if row.stale else 'fresh'}"
            f"  last success {iso(row.last_success_at) or 'never'}  last attempt {iso(row.last_attempt_at) or 'never'}"
            f"{'  (in use)' if row.in_use else ''}"
        )
        if row.last_error:
            click.echo(f"  last error: {row.last_error}")


def _print(report: importer.Report) -> None:
    click.echo(str(report))
    for problem in report.invalid[:20]:
        click.echo(f"  skipped {problem}", err=True)
