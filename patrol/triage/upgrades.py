"""Upgrade groups: per (package, location), the smallest version that fixes
all of its open, undismissed issues.

Candidates are the `fixed` events of the advisories' entries for the package,
above the installed version, in the ecosystem's own order; the first that no
entry still affects wins. Issues without any fixed version are named apart.
"""
from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass, field

from sqlalchemy import Row, select
from sqlalchemy.orm import Session

from patrol.advisories import ranges, releases, versioning
from patrol.advisories.severity import LEVELS, rank
from patrol.inventory.buckets import live_software
from patrol.models import AdvisoryPackage, Issue, Server
from patrol.scanning.matcher import probe_of
from patrol.triage import dismissals

ISSUE_COLUMNS = (Issue.id, Issue.advisory_id, Issue.severity, Issue.software_name, Issue.software_location,
                 Issue.software_version, Issue.ecosystem, Issue.fixed_in)


@dataclass
class Upgrade:
    package: str
    location: str | None
    ecosystem: str | None
    installed: str | None
    to: str | None = None
    fixed: list[Row] = field(default_factory=list)  # open issues, as ISSUE_COLUMNS
    unfixed: list[Row] = field(default_factory=list)

    def as_dict(self) -> dict:
        severities = Counter(issue.severity for issue in self.fixed)
        return {
            "package": self.package, "location": self.location, "ecosystem": self.ecosystem,
            "from": self.installed, "to": self.to,
            "fixes": len(self.fixed) if self.to else 0,
            "by_severity": {level: severities[level] for level in LEVELS if severities[level]} if self.to else {},
            "issues": [issue.id for issue in self.fixed] if self.to else [],
            "unfixed": [issue.id for issue in self.unfixed + ([] if self.to else self.fixed)],
            "summary": self.summary(),
        }

    def summary(self) -> str:
        if self.to is None:
            return f"{self.package} {self.installed or ''}: no fixed version for {len(self.fixed) + len(self.unfixed)}"
        counts = Counter(issue.severity for issue in self.fixed)
        worst = [f"{counts[level]} {level}" for level in LEVELS[:2] if counts[level]]
        return (f"upgrade {self.package} from {self.installed} to {self.to}: fixes {len(self.fixed)}"
                + (f" ({', '.join(worst)})" if worst else ""))

    def order(self) -> tuple:
        worst = min((rank(issue.severity) for issue in self.fixed + self.unfixed), default=len(LEVELS))
        return (self.to is None, worst, -len(self.fixed), self.package, self.location or "")


def for_server(session: Session, server: Server) -> list[Upgrade]:
    """The server's upgrade groups, the most useful first."""
    groups: dict[tuple[str, str], list[Row]] = defaultdict(list)
    for row in _undismissed(session, server):
        groups[(row.software_name, row.software_location)].append(row)
    installed = {(item.name, item.location or ""): item for item in live_software(session, server.id)}
    upgrades = [_group(session, issues, installed.get(key)) for key, issues in groups.items()]
    return sorted(upgrades, key=Upgrade.order)


def _undismissed(session: Session, server: Server) -> list[Row]:
    """The open issues no dismissal covers, as the columns grouping needs: a server with
    thousands of issues is not read as thousands of ORM objects (each with its advisory)."""
    query = select(*ISSUE_COLUMNS).where(
        Issue.server_id == server.id, Issue.resolved_at.is_(None),
        ~dismissals.covered(session, server.account_id, server.id))
    return list(session.execute(query.order_by(Issue.id)))


def _group(session: Session, issues: list[Row], item) -> Upgrade:  # noqa: ANN001 - the Software row or None
    first = issues[0]
    probe = probe_of(item) if item is not None else None
    upgrade = Upgrade(first.software_name, first.software_location or None, first.ecosystem,
                      item.version if item is not None else first.software_version)
    upgrade.fixed = [issue for issue in issues if issue.fixed_in]
    upgrade.unfixed = [issue for issue in issues if not issue.fixed_in]
    if probe is not None and upgrade.fixed:
        upgrade.to = _smallest_fix(session, probe, {issue.advisory_id for issue in upgrade.fixed})
    elif upgrade.fixed:  # the package is no longer installed as scanned: the highest single fix
        upgrade.to = _highest(first.ecosystem, [issue.fixed_in for issue in upgrade.fixed if issue.fixed_in])
    return upgrade


def _smallest_fix(session: Session, probe, advisory_ids: set[int]) -> str | None:  # noqa: ANN001 - a matcher probe
    entries = _entries(session, probe, advisory_ids)
    matchers = [ranges.compile_affected(full, affected) for full, affected in entries]
    affecting = [matcher for matcher in matchers if matcher.matches(probe.version)]
    key = versioning.key_function(probe.ecosystem)
    for candidate in _candidates(key, probe.version, [affected for _, affected in entries]):
        if not any(matcher.matches(candidate) for matcher in affecting):
            return candidate
    return None


def _entries(session: Session, probe, advisory_ids: set[int]) -> list[tuple[str, dict]]:  # noqa: ANN001
    rows = session.execute(
        select(AdvisoryPackage.ecosystem_full, AdvisoryPackage.affected)
        .where(AdvisoryPackage.advisory_id.in_(advisory_ids), AdvisoryPackage.ecosystem == probe.ecosystem,
               AdvisoryPackage.name == probe.name)
    ).all()
    return [(full, affected) for full, affected in rows
            if releases.same_release(probe.ecosystem, full.partition(":")[2], probe.release or "")]


def _candidates(key, installed: str, entries: list[dict]) -> list[str]:  # noqa: ANN001 - a sort key function
    """Every `fixed` version above the installed one, lowest first."""
    current = _key_or_none(key, installed)
    found = {}
    for affected in entries:
        for one_range in affected.get("ranges") or ():
            for event in one_range.get("events") or ():
                text = event.get("fixed")
                fixed_key = _key_or_none(key, text) if isinstance(text, str) else None
                if fixed_key is not None and (current is None or fixed_key > current):
                    found[text] = fixed_key
    return sorted(found, key=found.__getitem__)


def _highest(ecosystem: str | None, versions: list[str]) -> str | None:
    try:
        key = versioning.key_function(ecosystem or "")
    except versioning.UnsupportedEcosystem:
        return None
    readable = [(k, v) for v in versions if (k := _key_or_none(key, v)) is not None]
    return max(readable, key=lambda pair: pair[0])[1] if readable else None


def _key_or_none(key, text: str):  # noqa: ANN001, ANN202
    try:
        return key(text)
    except versioning.InvalidVersion:
        return None
