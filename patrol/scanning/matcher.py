"""Which advisories affect which software items.

Candidates come from the (ecosystem, name) index in batches, never a pass
over the advisory table; each `affected` entry is then evaluated with the
ecosystem's own version order.
"""
from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from patrol.advisories import ranges, releases
from patrol.inventory import ecosystems
from patrol.models import Advisory, AdvisoryPackage, Software

BATCH = 500


@dataclass(frozen=True)
class Finding:
    software: Software
    advisory: Advisory
    fixed_in: str | None

    @property
    def identity(self) -> tuple[int, str, str]:
        return (self.advisory.id, self.software.name, self.software.location or "")


@dataclass(frozen=True)
class _Probe:
    """What one software item is looked up and compared as."""

    software: Software
    ecosystem: str  # base ecosystem, as indexed
    release: str | None  # "12" of "Debian:12"
    name: str
    version: str


def find(session: Session, items: Iterable[Software]) -> list[Finding]:
    probes = [found for item in items if (found := probe_of(item)) is not None]
    candidates = _candidates(session, {(p.ecosystem, p.name) for p in probes})
    hits = [
        (probe, candidate.advisory_id, fixed)
        for probe in probes
        for candidate in candidates.get((probe.ecosystem, probe.name), ())
        if (fixed := _evaluate(probe, candidate)) is not None
    ]
    advisories = _live_advisories(session, {advisory_id for _, advisory_id, _ in hits})
    by_probe: dict[int, list[Finding]] = defaultdict(list)
    for probe, advisory_id, fixed in hits:
        if advisory_id in advisories:
            by_probe[id(probe)].append(Finding(probe.software, advisories[advisory_id], fixed.version))
    return [finding for matched in by_probe.values() for finding in _distinct(matched)]


def _distinct(findings: list[Finding]) -> list[Finding]:
    """One finding per vulnerability: advisories that alias each other, even
    through a third (GO-… and RUSTSEC-… each naming GHSA-…, PYSEC-… and GHSA-…
    sharing a CVE), would otherwise report it once per database. In each group
    the advisory with a known severity and a GHSA id is kept."""
    groups = alias_groups([{f.advisory.osv_id, *(f.advisory.aliases or [])} for f in findings])
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


def probe_of(item: Software) -> _Probe | None:
    """What `item` is looked up and compared as; None without an ecosystem or a version."""
    key = ecosystems.advisory_key(item.name, item.ecosystem, item.source_name)
    if key is None:
        return None
    base, _, release = item.ecosystem.partition(":")
    version = item.version
    if base in ecosystems.SOURCE_PACKAGE_DISTRIBUTIONS and item.source_name:
        version = item.source_version or item.version
    if not version:
        return None
    return _Probe(item, base, release or None, key[1], version)


@dataclass(frozen=True)
class _Candidate:
    """One `affected` entry, read as plain columns: a scan reads tens of
    thousands, and ORM objects for all of them cost more than the matching."""

    advisory_id: int
    ecosystem_full: str
    affected: dict


@dataclass(frozen=True)
class _Fixed:
    version: str | None


def _candidates(session: Session, keys: set[tuple[str, str]]) -> dict[tuple[str, str], list[_Candidate]]:
    """Look up by (ecosystem, name IN batch): a plain IN uses the index on both engines."""
    names: dict[str, list[str]] = defaultdict(list)
    for ecosystem, name in keys:
        names[ecosystem].append(name)
    found: dict[tuple[str, str], list[_Candidate]] = defaultdict(list)
    for ecosystem, wanted in names.items():
        wanted.sort()
        for start in range(0, len(wanted), BATCH):
            rows = session.execute(
                select(AdvisoryPackage.name, AdvisoryPackage.advisory_id,
                       AdvisoryPackage.ecosystem_full, AdvisoryPackage.affected)
                .where(AdvisoryPackage.ecosystem == ecosystem,
                       AdvisoryPackage.name.in_(wanted[start : start + BATCH]))
            )
            for name, advisory_id, ecosystem_full, affected in rows:
                found[(ecosystem, name)].append(_Candidate(advisory_id, ecosystem_full, affected))
    return found


def _live_advisories(session: Session, ids: set[int]) -> dict[int, Advisory]:
    """The matched advisories that are not withdrawn."""
    ordered, loaded = sorted(ids), {}
    for start in range(0, len(ordered), BATCH):
        rows = session.scalars(
            select(Advisory).where(Advisory.id.in_(ordered[start : start + BATCH]), Advisory.withdrawn.is_(False))
        )
        loaded.update((row.id, row) for row in rows)
    return loaded


def _evaluate(probe: _Probe, candidate: _Candidate) -> _Fixed | None:
    """None when the entry does not affect the probe, else the version that fixes it."""
    _, _, advisory_release = candidate.ecosystem_full.partition(":")
    if not releases.same_release(probe.ecosystem, advisory_release, probe.release or ""):
        return None
    matcher = ranges.compile_affected(candidate.ecosystem_full, candidate.affected)
    if not matcher.matches(probe.version):
        return None
    return _Fixed(matcher.fixed_in(probe.version))
