"""Severities in the order a reader should see them: worst first."""
from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping

ORDER = ("critical", "high", "medium", "low", "unknown")


def of(issue: Mapping) -> str:
    """The issue's severity, with anything outside the contract as `unknown`."""
    severity = ((issue.get("advisory") or {}).get("severity") or "").lower()
    return severity if severity in ORDER else "unknown"


def worst_first(issues: Iterable[Mapping]) -> list[Mapping]:
    """Issues sorted worst first; the event's order is kept within a severity."""
    return sorted(issues, key=lambda issue: ORDER.index(of(issue)))


def counts(issues: Iterable[Mapping]) -> dict[str, int]:
    """Issues per severity, worst first, leaving out severities with none."""
    return ordered(Counter(of(issue) for issue in issues))


def ordered(by_severity: Mapping[str, int]) -> dict[str, int]:
    """`by_severity` worst first, without zeros; unknown names count as `unknown`."""
    totals: Counter[str] = Counter()
    for severity, count in by_severity.items():
        totals[severity if severity in ORDER else "unknown"] += count
    return {severity: totals[severity] for severity in ORDER if totals[severity] > 0}
