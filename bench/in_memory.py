"""The scan benchmark's baseline: the same matching with everything in memory.

Every `affected` entry of the generated records is compiled once, up front,
into a dict keyed by (ecosystem, name); a run then probes the server's items
against it with Patrol's own version orders and alias grouping. No database
is read or written, so its time is the floor of what a scan can cost in
Python: Patrol's scan is reported as a ratio of it.
"""
from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

from patrol.advisories import ranges, releases
from patrol.inventory.ecosystems import package_name
from patrol.scanning.matcher import alias_groups, probe_of


@dataclass(frozen=True)
class _Entry:
    names: frozenset[str]  # the record's id and aliases
    release: str
    matcher: ranges.Matcher


class InMemoryMatcher:
    """Every affected entry of `records`, compiled and indexed by package."""

    def __init__(self, records: Iterable[dict]) -> None:
        self._index: dict[tuple[str, str], list[_Entry]] = defaultdict(list)
        for record in records:
            names = frozenset((record["id"], *record.get("aliases", ())))
            for affected in record["affected"]:
                base, _, release = affected["package"]["ecosystem"].partition(":")
                key = (base, package_name(affected["package"]["name"], base))
                compiled = ranges.compile_affected(affected["package"]["ecosystem"], affected)
                self._index[key].append(_Entry(names, release, compiled))

    def count_findings(self, items: Iterable) -> int:
        """Findings over `items` (anything with the Software columns): one per
        vulnerability (alias group) and (name, location), as Patrol opens issues."""
        found = set()
        for probe in filter(None, map(probe_of, items)):
            matched = [
                entry.names for entry in self._index.get((probe.ecosystem, probe.name), ())
                if releases.same_release(probe.ecosystem, entry.release, probe.release or "")
                and entry.matcher.matches(probe.version)
            ]
            vulnerabilities: dict[int, set[str]] = defaultdict(set)
            for names, group in zip(matched, alias_groups(matched)):
                vulnerabilities[group] |= names
            where = (probe.software.name, probe.software.location or "")
            found.update((*where, frozenset(names)) for names in vulnerabilities.values())
        return len(found)
