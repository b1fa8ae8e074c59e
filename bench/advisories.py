"""A seeded OSV advisory set shaped like the real databases.

GitHub-style records (GHSA ids, a severity word, ECOSYSTEM ranges, several
branches, some `last_affected`) for the language ecosystems; twins from the
ecosystems' own databases (PYSEC listing every affected version, GO, RUSTSEC)
that alias them; distribution records (Debian, Ubuntu, Alpine per source
package, AlmaLinux and Rocky Linux per binary RPM) for the server's release,
often with an entry for the release before it too.
Ranges are cut from the packages' own histories, so they are valid and the
inventory's old releases really fall inside them.
"""
from __future__ import annotations

import itertools
import random
from collections.abc import Iterator

from bench.catalogue import Catalogue, Package

# Shares of the advisory set, roughly those of osv.dev for these ecosystems.
SHARES = {
    "Packagist": 0.06, "npm": 0.15, "PyPI": 0.12, "RubyGems": 0.03, "Go": 0.06, "crates.io": 0.04,
    "Maven": 0.07, "NuGet": 0.04, "Debian": 0.15, "Ubuntu": 0.15, "Alpine": 0.06, "AlmaLinux": 0.04,
    "Rocky Linux": 0.03,
}
# The databases that republish GitHub's records under their own ids: (prefix, lists versions).
_TWINS = {"PyPI": ("PYSEC", True), "Go": ("GO", False), "crates.io": ("RUSTSEC", False)}
# Per distribution: the server's release, the one before, and how record ids look.
DISTRIBUTIONS = {
    "Debian": ("Debian:12", "Debian:11", ("DSA-{n}-1", "DLA-{n}-1", "DEBIAN-CVE-{year}-{n}")),
    "Ubuntu": ("Ubuntu:22.04:LTS", "Ubuntu:20.04:LTS", ("USN-{n}-1", "UBUNTU-CVE-{year}-{n}")),
    "Alpine": ("Alpine:v3.19", "Alpine:v3.18", ("CVE-{year}-{n}",)),
    "AlmaLinux": ("AlmaLinux:9", "AlmaLinux:8", ("ALSA-{year}:{n}",)),
    "Rocky Linux": ("Rocky Linux:9", "Rocky Linux:8", ("RLSA-{year}:{n}",)),
}
PACKAGES_PER_ADVISORY = 1 / 3
_GHSA_ALPHABET = "23456789cfghjmpqrvwx"
_SEVERITIES = (("CRITICAL", 0.1), ("HIGH", 0.35), ("MODERATE", 0.4), ("LOW", 0.1), (None, 0.05))
_TWIN_SHARE = 0.3


def records(rng: random.Random, catalogues: dict[str, Catalogue], total: int) -> Iterator[dict]:
    """About `total` OSV records (as dicts), ecosystem by ecosystem."""
    serial = itertools.count(1000)
    for ecosystem, share in SHARES.items():
        make = _distribution_record if ecosystem in DISTRIBUTIONS else _github_records
        remaining = round(total * share)
        while remaining > 0:
            made = make(rng, catalogues[ecosystem], serial)
            remaining -= len(made)
            yield from made


def _github_records(rng: random.Random, catalogue: Catalogue, serial: Iterator[int]) -> list[dict]:
    package = catalogue.pick(rng)
    affected = [_github_entry(rng, package)]
    while rng.random() < 0.2:  # one flaw, several packages (symfony/symfony and its components)
        affected.append(_github_entry(rng, catalogue.pick(rng)))
    cve = f"CVE-{rng.randint(2015, 2025)}-{next(serial)}"
    record = _base(rng, _ghsa_id(rng), [cve], f"{package.name}: {_flaw(rng)}", [entry for entry, _ in affected])
    severity = _weighted(rng, _SEVERITIES)
    record["database_specific"] = {"github_reviewed": True, "cwe_ids": [f"CWE-{rng.randint(20, 900)}"]}
    if severity:
        record["database_specific"]["severity"] = severity
    if package.ecosystem in _TWINS and rng.random() < _TWIN_SHARE:
        return [record, _twin(rng, record, affected, serial)]
    return [record]


def _github_entry(rng: random.Random, package: Package) -> tuple[dict, list[str]]:
    """One `affected[]` entry, and every release of the package it covers."""
    spans = _spans(rng, len(package.releases))
    covered = _covered(package.releases, spans)
    entry = {
        "package": {"ecosystem": package.ecosystem, "name": package.name},
        "ranges": [{"type": "ECOSYSTEM", "events": _events(package.releases, span)} for span in spans],
        "database_specific": {"source": "https://github.com/advisories"},
    }
    if spans[-1][2] == "last_affected":
        entry["database_specific"]["last_known_affected_version_range"] = f"<= {covered[-1]}"
    if rng.random() < 0.05:  # a few records enumerate the versions as well
        entry["versions"] = covered
    return entry, covered


def _spans(rng: random.Random, length: int) -> list[tuple[int, int, str]]:
    """Disjoint [start, end) positions, one per range, each ending fixed, last_affected or open."""
    wanted = 1 if (roll := rng.random()) < 0.75 else 2 if roll < 0.93 else 3
    count = min(wanted, length // 2)
    cuts = sorted(rng.sample(range(length), 2 * count))
    spans = []
    for n in range(count):
        start, end = cuts[2 * n], cuts[2 * n + 1]
        kind = "fixed" if (roll := rng.random()) < 0.8 else "last_affected" if roll < 0.95 else "open"
        if kind == "open" and n < count - 1:
            kind = "fixed"
        spans.append((0 if n == 0 and rng.random() < 0.5 else start, end, kind))
    return spans


def _events(history: tuple[str, ...], span: tuple[int, int, str]) -> list[dict]:
    start, end, kind = span
    events = [{"introduced": "0" if start == 0 else history[start]}]
    if kind == "fixed":
        events.append({"fixed": history[end]})
    elif kind == "last_affected":
        events.append({"last_affected": history[end - 1]})
    return events


def _covered(history: tuple[str, ...], spans: list[tuple[int, int, str]]) -> list[str]:
    return [history[i] for start, end, kind in spans for i in range(start, len(history) if kind == "open" else end)]


def _twin(rng: random.Random, ghsa: dict, affected: list[tuple[dict, list[str]]], serial: Iterator[int]) -> dict:
    """The ecosystem database's record of the same flaw: its own id, aliases both ways."""
    prefix, lists_versions = _TWINS[affected[0][0]["package"]["ecosystem"]]
    entries = [
        {"package": entry["package"], "ranges": entry["ranges"], **({"versions": covered} if lists_versions else {})}
        for entry, covered in affected
    ]
    osv_id = f"{prefix}-{rng.randint(2015, 2025)}-{next(serial)}"
    twin = _base(rng, osv_id, [ghsa["aliases"][0], ghsa["id"]], None, entries)
    ghsa["aliases"].append(twin["id"])
    return twin


def _distribution_record(rng: random.Random, catalogue: Catalogue, serial: Iterator[int]) -> list[dict]:
    package = catalogue.pick(rng)
    current, previous, id_formats = DISTRIBUTIONS[package.ecosystem]
    fixed = rng.choice(package.releases[1:]) if rng.random() < 0.95 else None
    entries = [_distribution_entry(current, package.name, fixed)]
    if rng.random() < 0.3:  # the same fix for the release before (never the server's: not matched)
        entries.append(_distribution_entry(previous, package.name, fixed or package.releases[-1]))
    number, year = next(serial), rng.randint(2015, 2025)
    osv_id = rng.choice(id_formats).format(n=number, year=year)
    aliases = [] if osv_id.startswith("CVE-") else [f"CVE-{year}-{number}"]
    return [_base(rng, osv_id, aliases, f"{package.name} - security update", entries)]


def _distribution_entry(ecosystem: str, name: str, fixed: str | None) -> dict:
    events = [{"introduced": "0"}] + ([{"fixed": fixed}] if fixed else [])
    return {
        "package": {"ecosystem": ecosystem, "name": name},
        "ranges": [{"type": "ECOSYSTEM", "events": events}],
        "ecosystem_specific": {"urgency": "not yet assigned"},
    }


def _base(rng: random.Random, osv_id: str, aliases: list[str], summary: str | None, affected: list[dict]) -> dict:
    day = f"{rng.randint(2018, 2025)}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}"
    record = {
        "schema_version": "1.6.0",
        "id": osv_id,
        "modified": f"{day}T{rng.randint(0, 23):02d}:{rng.randint(0, 59):02d}:00Z",
        "published": f"{day}T00:00:00Z",
        "aliases": aliases,
        "details": f"{_flaw(rng)} {_flaw(rng)} Upgrade to a fixed version.",
        "affected": affected,
        "references": [{"type": "ADVISORY", "url": f"https://nvd.nist.gov/vuln/detail/{(aliases or [osv_id])[0]}"}],
    }
    if summary:
        record["summary"] = summary
    return record


def _ghsa_id(rng: random.Random) -> str:
    return "GHSA-" + "-".join("".join(rng.choices(_GHSA_ALPHABET, k=4)) for _ in range(3))


def _flaw(rng: random.Random) -> str:
    return rng.choice((
        "Improper input validation allows a remote attacker to cause a denial of service.",
        "Cross-site scripting through crafted attribute values in rendered templates.",
        "Path traversal when extracting archives lets an attacker overwrite files.",
        "Prototype pollution through merge of untrusted objects.",
        "Server-side request forgery via user-controlled URLs.",
        "SQL injection through unescaped identifiers in the query builder.",
    ))


def _weighted(rng: random.Random, options: tuple[tuple[str | None, float], ...]) -> str | None:
    return rng.choices([value for value, _ in options], weights=[weight for _, weight in options])[0]
