"""`patrol push`: the collector a user runs on a monitored server."""
from __future__ import annotations

from pathlib import Path
from urllib.parse import urlsplit

import click

from patrol import collectors, config, pushclient
from patrol.cli.errors import OperationalError
from patrol.collectors import dpkg


@click.command()
@click.option("--server", "server", required=True, help="The server's name in Patrol (added if new).")
@click.option("--bucket", default="patrol-push", show_default=True, help="Bucket key; a push replaces it.")
@click.option("--scan", is_flag=True, help="Start a scan after the push.")
@click.option("--dpkg", "use_dpkg", is_flag=True, help="Also send this host's Debian packages.")
@click.argument("paths", nargs=-1, type=click.Path(dir_okay=False))
def push(server: str, bucket: str, scan: bool, use_dpkg: bool, paths: tuple[str, ...]) -> None:
    """Read lock files (composer.lock, package-lock.json, requirements.txt,
    poetry.lock, uv.lock, saved dpkg-query output) and push them to Patrol.

    Uses PATROL_URL (the API base, e.g. https://patrol.example.com/api),
    PATROL_KEY and PATROL_SECRET.
    """
    settings = _settings()
    if not paths and not use_dpkg:
        raise click.UsageError("give at least one file, or --dpkg")
    items = _collect(paths, use_dpkg)
    client = pushclient.Client(settings["url"], settings["key"], settings["secret"])
    try:
        result = pushclient.push(client, server, bucket, items, scan)
    except pushclient.PushError as exc:
        raise click.ClickException(str(exc)) from exc
    click.echo(f"Pushed {result.items} packages to {server} (server {result.server_id}, bucket {bucket}).")
    if result.scan_id:
        click.echo(f"Scan {result.scan_id} started.")


def _settings() -> dict[str, str]:
    settings = config.collector_from_env()
    missing = [name for name, value in (("PATROL_URL", settings["url"]), ("PATROL_KEY", settings["key"]),
               ("PATROL_SECRET", settings["secret"])) if not value]
    if missing:
        raise OperationalError(f"set {', '.join(missing)} first")
    url = settings["url"].rstrip("/")
    if not urlsplit(url).path.endswith("/api"):
        raise OperationalError(
            f"PATROL_URL={url} does not end in /api, where Patrol's API is: try PATROL_URL={url}/api")
    return settings


def _collect(paths: tuple[str, ...], use_dpkg: bool) -> list[dict]:
    missing = [path for path in paths if not Path(path).is_file()]
    if missing:
        raise OperationalError(f"{missing[0]}: no such file")
    try:
        items = [item for path in paths for item in collectors.collect(path)]
        if use_dpkg:
            items += dpkg.query_installed()
    except collectors.CollectorError as exc:
        raise click.ClickException(str(exc)) from exc
    return items
