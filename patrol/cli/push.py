"""`patrol push`: the collector a user runs on a monitored server."""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

import click

from patrol import collectors, config, pushclient
from patrol.advisories.severity import LEVELS
from patrol.cli import findings as output
from patrol.cli.errors import OperationalError
from patrol.collectors import host, reading


class SkippedInStrictMode(OperationalError):
    """--strict and something was skipped: exit code 2, one line."""


class FindingsAtOrAbove(click.ClickException):
    """--fail-on and an open, undismissed issue that severe: exit code 1."""

    exit_code = 1


@dataclass(frozen=True)
class Findings:
    """What --wait prints, and the gate --fail-on sets."""

    wait: bool
    timeout: float
    shape: str  # table, json, sarif
    fail_on: str | None

    @property
    def machine(self) -> bool:
        """JSON and SARIF own standard output; everything else goes to standard error."""
        return self.shape != "table"


@click.command()
@click.option("--server", "server", required=True, help="The server's name in Patrol (added if new).")
@click.option("--bucket", default="patrol-push", show_default=True, help="Bucket key; a push replaces it.")
@click.option("--scan", is_flag=True, help="Start a scan after the push.")
@click.option("--format", "format_name", type=click.Choice(collectors.NAMES),
              help="The format of every FILE, instead of telling it from the name and content.")
@click.option("--sbom", "sboms", multiple=True, type=click.Path(exists=True, dir_okay=False),
              help="A CycloneDX or SPDX JSON SBOM to send (may be repeated).")
@click.option("--dpkg", "use_dpkg", is_flag=True, help="Also send this host's Debian/Ubuntu packages (dpkg-query).")
@click.option("--apk", "use_apk", is_flag=True, help="Also send this host's Alpine packages (/lib/apk/db/installed).")
@click.option("--rpm", "use_rpm", is_flag=True, help="Also send this host's RPM packages (rpm -qa).")
@click.option("--os-release", "os_release_path", type=click.Path(exists=True, dir_okay=False),
              help="The os-release of the host the package lists came from [default: /etc/os-release].")
@click.option("--strict", is_flag=True, help="Fail (exit code 2) instead of pushing when anything is skipped.")
@click.option("--wait", is_flag=True, help="Scan, wait for the scan and print the server's open issues.")
@click.option("--wait-timeout", default=600.0, show_default=True, help="Seconds --wait waits for the scan.")
@click.option("--json", "shape", flag_value="json", help="With --wait: print the findings as JSON.")
@click.option("--sarif", "shape", flag_value="sarif", help="With --wait: print the findings as SARIF 2.1.0.")
@click.option("--fail-on", type=click.Choice(LEVELS[:-1]),
              help="With --wait: exit 1 when an open, undismissed issue is this severe or worse.")
@click.argument("paths", nargs=-1, type=click.Path(dir_okay=False))
def push(server: str, bucket: str, scan: bool, format_name: str | None, sboms: tuple[str, ...],
         use_dpkg: bool, use_apk: bool, use_rpm: bool, os_release_path: str | None, strict: bool,
         wait: bool, wait_timeout: float, shape: str | None, fail_on: str | None,
         paths: tuple[str, ...]) -> None:
    """Read lock files, OS package lists and SBOMs and push them to Patrol.

    Each FILE's format is told from its name, else its content; --format
    names it outright. Every skipped entry (an unpinned requirement, a
    component without a purl, ...) is listed with the reason.

    With --wait, the push also scans, waits for the scan and prints the
    open, undismissed issues (a table, --json or --sarif); --fail-on makes
    any issue that severe or worse exit 1, to gate a pipeline.

    Uses PATROL_URL (the API base, e.g. https://patrol.example.com/api),
    PATROL_KEY and PATROL_SECRET.
    """
    findings = Findings(wait, wait_timeout, shape or "table", fail_on)
    if (shape or fail_on) and not wait:
        raise click.UsageError("--json, --sarif and --fail-on need --wait")
    client = _client()
    if not (paths or sboms or use_dpkg or use_apk or use_rpm):
        raise click.UsageError("give at least one file, --sbom FILE, --dpkg, --apk or --rpm")
    try:
        inputs = _collect(paths, format_name, sboms, (use_dpkg, use_apk, use_rpm), os_release_path)
    except collectors.CollectorError as exc:
        raise click.ClickException(str(exc)) from exc
    items = _report(inputs, strict, findings.machine)
    try:
        result = pushclient.push(client, server, bucket, items, scan or wait)
        click.echo(f"Pushed {result.items} packages to {server} (server {result.server_id}, bucket {bucket}).",
                   err=findings.machine)
        if result.scan_id:
            click.echo(f"Scan {result.scan_id} started.", err=findings.machine)
        if wait:
            _print_findings(client, server, result, findings)
    except pushclient.PushError as exc:
        raise click.ClickException(str(exc)) from exc


def _print_findings(client: pushclient.Client, server: str, result: pushclient.PushResult,
                    findings: Findings) -> None:
    if result.scan_id is None:
        raise pushclient.PushError("the push started no scan to wait for")
    scan = pushclient.wait_for_scan(client, result.server_id, result.scan_id, findings.timeout)
    issues = pushclient.open_issues(client, result.server_id)
    as_of = client.call("GET", f"/servers/{result.server_id}").get("advisories_as_of")
    shapes = {"table": lambda: output.table(server, issues, as_of),
              "json": lambda: output.as_json(server, scan, issues, as_of),
              "sarif": lambda: output.sarif(server, issues)}
    click.echo(shapes[findings.shape]())
    failing = output.at_or_above(issues, findings.fail_on) if findings.fail_on else []
    if failing:
        level = findings.fail_on
        raise FindingsAtOrAbove(f"{len(failing)} open issues at {level} or worse (--fail-on {level})")


def _client() -> pushclient.Client:
    settings = config.read(config.Collector)
    if not (settings.url and settings.key and settings.secret):
        missing = [each.variable for name, each in config.settings_of(config.Collector) if not getattr(settings, name)]
        raise OperationalError(f"set {', '.join(missing)} first")
    url = settings.url.rstrip("/")
    if not urlsplit(url).path.endswith("/api"):
        raise OperationalError(
            f"PATROL_URL={url} does not end in /api, where Patrol's API is: try PATROL_URL={url}/api")
    return pushclient.Client(settings.url, settings.key, settings.secret)


def _collect(paths: tuple[str, ...], format_name: str | None, sboms: tuple[str, ...],
             host_lists: tuple[bool, bool, bool], os_release_path: str | None
             ) -> list[tuple[str, collectors.Collected]]:
    """(what was read, what it gave) for every input, in the order given."""
    missing = [path for path in paths if not Path(path).is_file()]
    if missing:
        raise OperationalError(f"{missing[0]}: no such file")
    release = reading.read_text(Path(os_release_path)) if os_release_path else host.default_os_release()
    inputs = [(path, collectors.collect(path, os_release=release, format=format_name)) for path in paths]
    inputs += [(path, _sbom(path)) for path in sboms]
    readers: tuple[tuple[str, Callable[[str], collectors.Collected]], ...] = (
        ("dpkg-query", host.dpkg_packages), ("apk", host.apk_packages), ("rpm -qa", host.rpm_packages))
    inputs += [(label, reader(release)) for (label, reader), wanted in zip(readers, host_lists) if wanted]
    return inputs


def _sbom(path: str) -> collectors.Collected:
    collected = collectors.collect(path)
    if collected.format not in collectors.SBOM_FORMATS:
        raise collectors.UnsupportedFile(f"{path}: not a CycloneDX or SPDX JSON document")
    return collected


def _report(inputs: list[tuple[str, collectors.Collected]], strict: bool, quiet_stdout: bool) -> list[dict]:
    """Say what each input gave and skipped; the items of all of them."""
    skipped = [skip for _, collected in inputs for skip in collected.skipped]
    for label, collected in inputs:
        click.echo(f"{label}: {collected.format}, {len(collected.items)} packages", err=quiet_stdout)
    for skip in skipped:
        click.echo(str(skip), err=True)
    if strict and skipped:
        raise SkippedInStrictMode(f"{len(skipped)} entries skipped (--strict); the first: {skipped[0]}")
    return [item for _, collected in inputs for item in collected.items]
