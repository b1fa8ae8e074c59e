"""Which advisories affect which software items.

Candidates come from the (ecosystem, name) index, one query per ecosystem
with the names bound as one list, never a pass over the advisory table. Work
is done once per distinct thing, not per row: an `affected` entry is read as
its JSON text and compiled once per process (the text is the cache key, so an
updated advisory compiles afresh); each entry is evaluated once per distinct
(version, release) of the items that name its package (a Debian source builds
several binaries), and remembers its verdicts; rows are read as plain tuples,
without the ORM.
"""
from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache
from typing import NamedTuple, Protocol

from sqlalchemy import Connection, Text, bindparam, cast, select
from sqlalchemy.orm import Session

from patrol.advisories import ranges, releases
from patrol.inventory import ecosystems
from patrol.models import Advisory, AdvisoryPackage
from patrol.scanning.bound_lists import BoundList

# Compiled `affected` entries kept between scans: a worker scans many servers
# against the same advisories. Keyed by content, so never stale.
_COMPILED_CACHE_SIZE = 65536


class Item(Protocol):
    """What the matcher reads of a software item (an ORM row or a plain row)."""

    name: str
    version: str | None
    location: str | None
    ecosystem: str | None
    source_name: str | None
    source_version: str | None


@dataclass(frozen=True, slots=True)
class MatchedAdvisory:
    """The columns of a matched advisory that a scan needs."""

    id: int
    osv_id: str
    aliases: tuple[str, ...]
    severity: str


class Finding(NamedTuple):
    """An advisory that affects an item (a tuple: thousands are made per scan)."""

    software: Item
    advisory: MatchedAdvisory
    fixed_in: str | None

    @property
    def identity(self) -> tuple[int, str, str]:
        return (self.advisory.id, self.software.name, self.software.location or "")


class _Probe(NamedTuple):
    """What one software item is looked up and compared as."""

    software: Item
    ecosystem: str  # base ecosystem, as indexed
    release: str | None  # "12" of "Debian:12"
    name: str
    version: str


# One `affected` entry, compiled: (advisory id, release, matcher), the release
# being "12" of "Debian:12" ("" when the record names none). A plain tuple:
# a scan makes tens of thousands.
_Candidate = tuple[int, str, ranges.Matcher]


def find(session: Session, items: Iterable[Item]) -> list[Finding]:
    probes = [found for item in items if (found := probe_of(item)) is not None]
    by_package: dict[tuple[str, str], list[_Probe]] = defaultdict(list)
    for probe in probes:
        by_package[(probe.ecosystem, probe.name)].append(probe)
    connection = session.connection()
    candidates = _candidates(connection, set(by_package))
    hits = [hit for key, group in by_package.items() for hit in _hits(group, candidates.get(key, ()))]
    advisories = _live_advisories(connection, {advisory_id for _, advisory_id, _ in hits})
    by_probe: dict[int, list[Finding]] = defaultdict(list)
    for probe, advisory_id, fixed in hits:
        if advisory_id in advisories:
            by_probe[id(probe)].append(Finding(probe.software, advisories[advisory_id], fixed))
    return [finding for probe in probes if id(probe) in by_probe for finding in _distinct(by_probe[id(probe)])]


def _hits(probes: list[_Probe], candidates: Iterable[_Candidate]) -> list[tuple[_Probe, int, str | None]]:
    """(probe, advisory id, fixed in) for each entry that affects a probe of one
    package; probes sharing a release and version are evaluated once."""
    ecosystem = probes[0].ecosystem
    alike: dict[tuple[str | None, str], list[_Probe]] = defaultdict(list)
    for probe in probes:
        alike[(probe.release, probe.version)].append(probe)
    found: list[tuple[_Probe, int, str | None]] = []
    for advisory_id, advisory_release, matcher in candidates:
        for (release, version), same in alike.items():
            if release and advisory_release and not releases.same_release(ecosystem, advisory_release, release):
                continue
            affected, fixed = matcher.verdict(version)
            if affected:
                found.extend((probe, advisory_id, fixed) for probe in same)
    return found


def _distinct(findings: list[Finding]) -> list[Finding]:
    """One finding per vulnerability: advisories that alias each other, even
    through a third (GO-… and RUSTSEC-… each naming GHSA-…, PYSEC-… and GHSA-…
    sharing a CVE), would otherwise report it once per database. In each group
    the advisory with a known severity and a GHSA id is kept."""
    if len(findings) < 2:
        return findings
    groups = alias_groups([{f.advisory.osv_id, *f.advisory.aliases} for f in findings])
    best: dict[int, Finding] = {}
    for finding, group in zip(findings, groups):
        if group not in best or _preference(finding) < _preference(best[group]):
            best[group] = finding
    return list(best.values())


def alias_groups(names: list[set[str]]) -> list[int]:
    """For each set of names, the number of its group: sets sharing a name,
    directly or through other sets, are one group."""
    owner: dict[str, int] = {}
    parent = list(range(len(names)))

    def root(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    for i, group in enumerate(names):
        for name in group:
            if name in owner:
                parent[root(i)] = root(owner[name])
            owner.setdefault(name, i)
    return [root(i) for i in range(len(names))]


def _preference(finding: Finding) -> tuple:
    advisory = finding.advisory
    return (advisory.severity == "unknown", not advisory.osv_id.startswith("GHSA-"), advisory.osv_id)


def probe_of(item: Item) -> _Probe | None:
    """What `item` is looked up and compared as; None without an ecosystem or a version."""
    key = ecosystems.advisory_key(item.name, item.ecosystem, item.source_name)
    if key is None or item.ecosystem is None:
        return None
    base, _, release = item.ecosystem.partition(":")
    version = item.version
    if base in ecosystems.SOURCE_PACKAGE_DISTRIBUTIONS and item.source_name:
        version = item.source_version or item.version
    if not version:
        return None
    return _Probe(item, base, release or None, key[1], version)


def _candidates(connection: Connection, keys: set[tuple[str, str]]) -> dict[tuple[str, str], list[_Candidate]]:
    """The `affected` entries naming each (ecosystem, name): one query per ecosystem."""
    names: dict[str, list[str]] = defaultdict(list)
    for ecosystem, name in keys:
        names[ecosystem].append(name)
    wanted = BoundList(connection.dialect, "names")
    query = (
        select(AdvisoryPackage.name, AdvisoryPackage.advisory_id, AdvisoryPackage.ecosystem_full,
               cast(AdvisoryPackage.affected, Text))
        .where(AdvisoryPackage.ecosystem == bindparam("ecosystem"), wanted.contains(AdvisoryPackage.name))
    )
    found: dict[tuple[str, str], list[_Candidate]] = defaultdict(list)
    for ecosystem, listed in names.items():
        rows = connection.execute(query, {"ecosystem": ecosystem, "names": wanted.value(sorted(listed))})
        for name, advisory_id, ecosystem_full, affected in rows:
            found[(ecosystem, name)].append((advisory_id, *compiled(ecosystem_full, affected)))
    return found


@lru_cache(maxsize=_COMPILED_CACHE_SIZE)
def compiled(ecosystem_full: str, affected_json: str) -> tuple[str, ranges.Matcher]:
    """The release ("12" of "Debian:12") and the matcher of an `affected` entry given as its JSON text."""
    release = ecosystem_full.partition(":")[2]
    return release, ranges.compile_fresh(ecosystem_full, json.loads(affected_json))


def compiled_so_far() -> int:
    """How many `affected` entries this process has compiled (evicted ones included)."""
    return compiled.cache_info().misses


def _live_advisories(connection: Connection, ids: set[int]) -> dict[int, MatchedAdvisory]:
    """The matched advisories that are not withdrawn."""
    wanted = BoundList(connection.dialect, "ids")
    query = (
        select(Advisory.id, Advisory.osv_id, cast(Advisory.aliases, Text), Advisory.severity)
        .where(wanted.contains(Advisory.id), Advisory.withdrawn.is_(False))
    )
    rows = connection.execute(query, {"ids": wanted.value(sorted(ids))}) if ids else ()
    return {row[0]: _matched(*row) for row in rows}


@lru_cache(maxsize=_COMPILED_CACHE_SIZE)
def _matched(advisory_id: int, osv_id: str, aliases_json: str | None, severity: str) -> MatchedAdvisory:
    """An advisory's row as a scan reads it; kept by its columns, so never stale."""
    return MatchedAdvisory(advisory_id, osv_id, tuple(json.loads(aliases_json or "null") or ()), severity)
