"""Which advisories affect which software items.

Candidates come from the (ecosystem, name) index in batches, never a pass
over the advisory table; each `affected` entry is then evaluated with the
ecosystem's own version order.
"""
from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

from sqlalchemy import select, tuple_
from sqlalchemy.orm import Session, contains_eager

from patrol.advisories import ranges
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
    probes = [probe for item in items if (probe := _probe(item)) is not None]
    candidates = _candidates(session, {(p.ecosystem, p.name) for p in probes})
    findings: list[Finding] = []
    for probe in probes:
        matched = [f for p in candidates.get((probe.ecosystem, probe.name), ()) if (f := _evaluate(probe, p))]
        findings.extend(_distinct(matched))
    return findings


def _distinct(findings: list[Finding]) -> list[Finding]:
    """One finding per vulnerability: advisories that alias each other
    (PYSEC-… and GHSA-… for one CVE) would otherwise report it twice.
    The advisory with a known severity and a GHSA id is kept."""
    kept: list[Finding] = []
    seen: set[str] = set()
    for finding in sorted(findings, key=_preference):
        names = {finding.advisory.osv_id, *(finding.advisory.aliases or [])}
        if names & seen:
            continue
        seen |= names
        kept.append(finding)
    return kept


def _preference(finding: Finding) -> tuple:
    advisory = finding.advisory
    return (advisory.severity == "unknown", not advisory.osv_id.startswith("GHSA-"), advisory.osv_id)


def _probe(item: Software) -> _Probe | None:
    if not item.ecosystem:
        return None
    base, _, release = item.ecosystem.partition(":")
    name, version = item.name, item.version
    if base == "Debian" and item.source_name:
        name, version = item.source_name, item.source_version or item.version
    if not version:
        return None
    return _Probe(item, base, release or None, ecosystems.package_name(name, base), version)


def _candidates(
    session: Session, keys: set[tuple[str, str]]
) -> dict[tuple[str, str], list[AdvisoryPackage]]:
    found: dict[tuple[str, str], list[AdvisoryPackage]] = defaultdict(list)
    ordered = sorted(keys)
    for start in range(0, len(ordered), BATCH):
        batch = ordered[start : start + BATCH]
        rows = session.scalars(
            select(AdvisoryPackage)
            .join(Advisory)
            .options(contains_eager(AdvisoryPackage.advisory))
            .where(
                tuple_(AdvisoryPackage.ecosystem, AdvisoryPackage.name).in_(batch),
                Advisory.withdrawn.is_(False),
            )
        )
        for row in rows:
            found[(row.ecosystem, row.name)].append(row)
    return found


def _evaluate(probe: _Probe, package: AdvisoryPackage) -> Finding | None:
    _, _, advisory_release = package.ecosystem_full.partition(":")
    if probe.release and advisory_release and advisory_release != probe.release:
        return None
    matcher = ranges.compile_affected(package.ecosystem_full, package.affected)
    if not matcher.matches(probe.version):
        return None
    return Finding(probe.software, package.advisory, matcher.fixed_in(probe.version))
