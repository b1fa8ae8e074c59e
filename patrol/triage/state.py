"""A server's state: the one verdict every surface shows, never falsely green.

- `empty`: no live software was ever reported (or all of it expired);
- `stale`: the last push is older than `PATROL_STALE_AFTER`;
- `never_scanned`: software, but no scan has finished yet;
- `vulnerable`: open issues that are not dismissed;
- `ok`: scanned, fresh, and nothing open.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta

from patrol.advisories.severity import LEVELS

STATES = ("ok", "vulnerable", "empty", "stale", "never_scanned")
DEFAULT_STALE_AFTER = 3 * 86400  # PATROL_STALE_AFTER


@dataclass(frozen=True)
class Facts:
    """What the verdict is made of, for one server."""

    live_items: int
    last_push_at: datetime | None
    scanned: bool  # a scan has finished
    open_by_severity: dict[str, int] = field(default_factory=dict)  # undismissed only
    dismissed: int = 0

    @property
    def open_issues(self) -> int:
        return sum(self.open_by_severity.values())


def state_of(facts: Facts, moment: datetime, stale_after: int) -> str:
    if facts.live_items == 0:
        return "empty"
    if facts.last_push_at is None or facts.last_push_at < moment - timedelta(seconds=stale_after):
        return "stale"
    if not facts.scanned:
        return "never_scanned"
    return "vulnerable" if facts.open_issues else "ok"


def risk_key(open_by_severity: dict[str, int], state: str, name: str) -> tuple:
    """Critical first, then stale, then the other vulnerable ones (worst first),
    then those with no verdict, then the green ones."""
    if open_by_severity.get("critical"):
        group = 0
    else:
        group = {"stale": 1, "vulnerable": 2, "empty": 3, "never_scanned": 3}.get(state, 4)
    worst = tuple(-open_by_severity.get(level, 0) for level in LEVELS)
    return (group, worst, name)
