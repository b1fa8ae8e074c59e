"""OSV records reduced to what Patrol stores and matches."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from patrol.advisories import severity
from patrol.inventory import ecosystems

SUPPORTED = ("Packagist", "npm", "PyPI", "Debian")


class InvalidRecord(ValueError):
    """Not an OSV record Patrol can use (no id, bad JSON shape)."""


@dataclass(frozen=True)
class PackageRange:
    ecosystem: str  # base, e.g. "Debian"
    ecosystem_full: str  # as written, e.g. "Debian:12"
    name: str  # normalised like inventory names
    affected: dict


@dataclass(frozen=True)
class Record:
    osv_id: str
    modified: datetime | None
    withdrawn: bool
    summary: str | None
    severity: str
    aliases: list[str]
    url: str
    packages: list[PackageRange]


def parse(data: object) -> Record:
    if data is None:
        raise InvalidRecord("not valid JSON")
    if not isinstance(data, dict) or not isinstance(data.get("id"), str) or not data["id"]:
        raise InvalidRecord("an OSV record needs an id")
    osv_id = data["id"]
    return Record(
        osv_id=osv_id,
        modified=_time(data.get("modified")),
        withdrawn=bool(data.get("withdrawn")),
        summary=_summary(data),
        severity=severity.of_record(data),
        aliases=[a for a in data.get("aliases") or [] if isinstance(a, str)],
        url=_url(osv_id),
        packages=[p for entry in data.get("affected") or [] if (p := _package(entry))],
    )


def _summary(data: dict) -> str | None:
    text = data.get("summary") or (data.get("details") or "").strip().split("\n", 1)[0]
    return text[:500] or None


def _url(osv_id: str) -> str:
    if osv_id.startswith("GHSA-"):
        return f"https://github.com/advisories/{osv_id}"
    return f"https://osv.dev/vulnerability/{osv_id}"


def _time(value: object) -> datetime | None:
    if not isinstance(value, str):
        return None
    try:
        return datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        return None


def _package(entry: object) -> PackageRange | None:
    if not isinstance(entry, dict) or not isinstance(entry.get("package"), dict):
        return None
    package = entry["package"]
    full, name = package.get("ecosystem"), package.get("name")
    if not isinstance(full, str) or not isinstance(name, str) or not name:
        return None
    base = full.partition(":")[0]
    if base not in SUPPORTED:
        return None
    return PackageRange(base, full, ecosystems.package_name(name, base), entry)
