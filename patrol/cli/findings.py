"""What `patrol push --wait` prints: a table, JSON, or SARIF 2.1.0 for
code-scanning tools; and which findings fail a `--fail-on` gate."""
from __future__ import annotations

import json
from datetime import datetime, timezone
from pathlib import PurePosixPath

from patrol import __version__
from patrol.advisories.severity import LEVELS, rank

SARIF_SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json"
# SARIF levels, and the `security-severity` scores code-scanning tools sort by.
_SARIF_LEVEL = {"critical": "error", "high": "error", "medium": "warning", "low": "note", "unknown": "note"}
_SECURITY_SEVERITY = {"critical": "9.5", "high": "8.0", "medium": "5.5", "low": "2.0", "unknown": "0.0"}
_COLUMNS = ("SEVERITY", "PACKAGE", "VERSION", "FIXED IN", "ADVISORY", "EXPLOITED", "LOCATION")


def at_or_above(issues: list[dict], level: str) -> list[dict]:
    return [issue for issue in issues if rank(issue["advisory"]["severity"]) <= rank(level)]


def table(server: str, issues: list[dict], advisories_as_of: str | None) -> str:
    """The verdict with the advisories' age beside it (no issues against old advisories
    is not clean), then a row per issue."""
    age = advisory_age(advisories_as_of)
    if not issues:
        return f"{server}: no open issues; {age}."
    rows = [_COLUMNS, *(_row(issue) for issue in issues)]
    widths = [max(len(row[i]) for row in rows) for i in range(len(_COLUMNS))]
    lines = ["  ".join(cell.ljust(width) for cell, width in zip(row, widths)).rstrip() for row in rows]
    counts = {level: len([i for i in issues if i["advisory"]["severity"] == level]) for level in LEVELS}
    summary = ", ".join(f"{n} {level}" for level, n in counts.items() if n)
    return "\n".join([f"{server}: {len(issues)} open issues ({summary}); {age}", *lines])


def advisory_age(advisories_as_of: str | None) -> str:
    """"advisories as of 2026-11-30 10:00 UTC", in the pages' UTC 24-hour form."""
    if not advisories_as_of:
        return "advisories not synced by Patrol"
    at = datetime.fromisoformat(advisories_as_of)
    at = at.astimezone(timezone.utc) if at.tzinfo else at
    return f"advisories as of {at:%Y-%m-%d %H:%M} UTC"


def _row(issue: dict) -> tuple[str, ...]:
    software, advisory = issue["software"], issue["advisory"]
    exploited = "yes" if issue.get("known_exploited") else ""
    return (advisory["severity"], software["name"], software["version"] or "", issue["fixed_in"] or "none",
            advisory["id"], exploited, software["location"] or "")


def as_json(server: str, scan: dict, issues: list[dict], advisories_as_of: str | None) -> str:
    return json.dumps({"server": server, "scan": scan, "advisories_as_of": advisories_as_of, "issues": issues},
                      indent=2)


def sarif(server: str, issues: list[dict]) -> str:
    """One run; a rule per advisory, a result per issue, located at the file it was read from."""
    rules = {issue["advisory"]["id"]: _rule(issue["advisory"]) for issue in issues}
    run = {
        "tool": {"driver": {"name": "Patrol", "version": __version__, "rules": list(rules.values())}},
        "results": [_result(server, issue) for issue in issues],
    }
    return json.dumps({"$schema": SARIF_SCHEMA, "version": "2.1.0", "runs": [run]}, indent=2)


def _rule(advisory: dict) -> dict:
    severity = advisory["severity"]
    return {
        "id": advisory["id"],
        "shortDescription": {"text": advisory["summary"] or advisory["id"]},
        "helpUri": advisory["url"],
        "defaultConfiguration": {"level": _SARIF_LEVEL[severity]},
        "properties": {"security-severity": _SECURITY_SEVERITY[severity], "tags": ["security", "vulnerability"],
                       "aliases": advisory["aliases"]},
    }


def _result(server: str, issue: dict) -> dict:
    software, advisory = issue["software"], issue["advisory"]
    fix = f"upgrade to {issue['fixed_in']}" if issue["fixed_in"] else "no fixed version is known"
    where = software["location"] or software["name"]  # the file it was read from, else the package
    return {
        "ruleId": advisory["id"],
        "level": _SARIF_LEVEL[advisory["severity"]],
        "message": {"text": f"{software['name']} {software['version'] or ''} on {server} is affected by "
                            f"{advisory['id']} ({advisory['severity']}); {fix}."},
        "locations": [{"physicalLocation": {"artifactLocation": {"uri": _uri(where)}}}],
        "partialFingerprints": {"patrolIssue/v1": f"{server}/{advisory['id']}/{software['name']}/{where}"},
        "properties": {"known_exploited": bool(issue.get("known_exploited")), "epss": issue.get("epss")},
    }


def _uri(location: str) -> str:
    """A relative path stays relative (code scanning maps it to the repository);
    an absolute one becomes a file URI."""
    path = PurePosixPath(location)
    return path.as_uri() if path.is_absolute() else location
