"""OSV records reduced to what Patrol stores and matches."""
from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime, timezone

from patrol.advisories import severity, versioning
from patrol.inventory import ecosystems

# The ecosystems Patrol can order versions in; records of others are not kept.
SUPPORTED = versioning.SUPPORTED
# Column sizes of advisories.osv_id, advisory_packages.ecosystem_full and .name.
MAX_ID, MAX_ECOSYSTEM, MAX_NAME = 100, 100, 255
# Details past this are cut: a page shows an advisory, not a report.
MAX_DETAILS = 20_000


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
    published: datetime | None
    withdrawn: bool
    summary: str | None
    details: str | None
    severity: str
    aliases: list[str]
    url: str
    packages: list[PackageRange]


def parse(data: object) -> Record:
    if data is None:
        raise InvalidRecord("not valid JSON")
    osv_id = data.get("id") if isinstance(data, dict) else None
    if not isinstance(data, dict) or not isinstance(osv_id, str) or not 0 < len(osv_id) <= MAX_ID:
        raise InvalidRecord(f"an OSV record needs an id of 1 to {MAX_ID} characters")
    if not _storable(data):
        raise InvalidRecord("it holds a NUL or an unpaired surrogate, which no database stores")
    return Record(
        osv_id=osv_id,
        modified=parse_time(data.get("modified")),
        published=parse_time(data.get("published")),
        withdrawn=bool(data.get("withdrawn")),
        summary=_summary(data),
        details=_details(data),
        severity=severity.of_record(data),
        aliases=[a for a in _list(data.get("aliases")) if isinstance(a, str)],
        url=_url(osv_id),
        packages=[p for entry in _list(data.get("affected")) if (p := _package(entry))],
    )


def _storable(data: dict) -> bool:
    text = json.dumps(data, ensure_ascii=False)
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return "\\u0000" not in text


def _list(value: object) -> list:
    """A list field; anything else (a malformed record) counts as empty."""
    return value if isinstance(value, list) else []


def _summary(data: dict) -> str | None:
    summary, details = data.get("summary"), data.get("details")
    text = summary if isinstance(summary, str) and summary else ""
    if not text and isinstance(details, str):
        text = details.strip().split("\n", 1)[0]
    return text[:500] or None


def _details(data: dict) -> str | None:
    details = data.get("details")
    if not isinstance(details, str):
        return None
    return details.strip()[:MAX_DETAILS] or None


def _url(osv_id: str) -> str:
    if osv_id.startswith("GHSA-"):
        return f"https://github.com/advisories/{osv_id}"
    return f"https://osv.dev/vulnerability/{osv_id}"


def parse_time(value: object) -> datetime | None:
    """An OSV timestamp as an aware UTC datetime; None when it is not one."""
    if not isinstance(value, str):
        return None
    try:
        moment = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        return None
    # OSV times are UTC; one written without an offset means UTC too.
    return moment if moment.tzinfo else moment.replace(tzinfo=timezone.utc)


def _package(entry: object) -> PackageRange | None:
    if not isinstance(entry, dict) or not isinstance(entry.get("package"), dict):
        return None
    package = entry["package"]
    full, name = package.get("ecosystem"), package.get("name")
    if not isinstance(full, str) or not isinstance(name, str) or not name:
        return None
    base = full.partition(":")[0]
    # A name longer than an inventory name can match nothing (and fits no column).
    if base not in SUPPORTED or len(full) > MAX_ECOSYSTEM or len(name) > MAX_NAME:
        return None
    return PackageRange(base, full, ecosystems.package_name(name, base), entry)
