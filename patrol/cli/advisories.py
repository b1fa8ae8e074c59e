"""`patrol advisories import|sync`: load OSV advisories."""
from __future__ import annotations

import click
from flask import current_app
from flask.cli import with_appcontext
from tqdm import tqdm

from patrol.advisories import importer, sources, sync as osv_sync
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
@click.option("--ecosystem", "ecosystems", multiple=True, help="An osv.dev ecosystem name, e.g. npm, Go, Ubuntu, \"Rocky Linux\" (all by default).")
@with_appcontext
def sync(ecosystems: tuple[str, ...]) -> None:
    """Download osv.dev's all.zip files and import them."""
    base = current_app.config["ADVISORY_SOURCE_URL"]
    bars: list[tqdm] = []

    def progress(ecosystem: str, total: int):  # noqa: ANN202
        bars.append(tqdm(total=total, unit="advisory", desc=ecosystem, disable=None))
        return bars[-1].update

    try:
        reports = osv_sync.sync(get_db(current_app), base, list(ecosystems or osv_sync.DEFAULT_ECOSYSTEMS), progress)
    except osv_sync.SyncError as exc:
        raise click.ClickException(str(exc)) from exc
    finally:
        for bar in bars:
            bar.close()
    for ecosystem, report in reports.items():
        click.echo(f"{ecosystem}: ", nl=False)
        _print(report)


def _print(report: importer.Report) -> None:
    click.echo(str(report))
    for problem in report.invalid[:20]:
        click.echo(f"  skipped {problem}", err=True)
