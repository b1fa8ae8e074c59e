"""Filtering and sorting lists of shaped issues: `?severity=`, `?min_severity=`,
`?known_exploited=`, `?dismissed=` and `?sort=severity|published|package`."""
from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from patrol.advisories.records import parse_time
from patrol.advisories.severity import LEVELS, rank
from patrol.errors import Invalid

SORTS = ("id", "severity", "published", "package")
_TRUE, _FALSE = ("1", "true", "yes"), ("0", "false", "no")


@dataclass(frozen=True)
class IssueFilter:
    severities: tuple[str, ...] = ()  # empty: any
    min_severity: str | None = None
    known_exploited: bool | None = None
    dismissed: bool = False  # the dismissed issues instead of the open ones
    sort: str = "id"

    def keep(self, issue: dict) -> bool:
        level = issue["advisory"]["severity"]
        return (
            (not self.severities or level in self.severities)
            and (self.min_severity is None or rank(level) <= rank(self.min_severity))
            and (self.known_exploited is None or issue["known_exploited"] == self.known_exploited)
            and (issue["dismissal"] is not None) == self.dismissed
        )

    def apply(self, issues: list[dict]) -> list[dict]:
        return sorted((issue for issue in issues if self.keep(issue)), key=_SORT_KEYS[self.sort])


def parse(args: Mapping[str, str]) -> IssueFilter:
    """The filter a query string asks for; Invalid names every bad parameter."""
    problems: dict[str, str] = {}
    severities = tuple(part.strip() for part in args.get("severity", "").split(",") if part.strip())
    if any(level not in LEVELS for level in severities):
        problems["severity"] = f"one or more of {', '.join(LEVELS)}, comma-separated"
    minimum = args.get("min_severity") or None
    if minimum is not None and minimum not in LEVELS[:-1]:
        problems["min_severity"] = f"one of {', '.join(LEVELS[:-1])}"
    sort = args.get("sort") or "id"
    if sort not in SORTS:
        problems["sort"] = f"one of {', '.join(SORTS)}"
    exploited, dismissed = _flag(args, "known_exploited", problems), _flag(args, "dismissed", problems)
    if problems:
        raise Invalid("The list's filters are not valid.", fields=problems)
    return IssueFilter(severities, minimum, exploited, bool(dismissed), sort)


def _flag(args: Mapping[str, str], name: str, problems: dict[str, str]) -> bool | None:
    raw = (args.get(name) or "").lower()
    if raw in _TRUE or raw in _FALSE:
        return raw in _TRUE
    if raw:
        problems[name] = "true or false"
    return None


def _by_severity(issue: dict) -> tuple:
    """Worst first; at one severity, known exploited first, then by EPSS score."""
    epss = issue["epss"]["score"] if issue["epss"] else 0.0
    return (rank(issue["advisory"]["severity"]), not issue["known_exploited"], -epss, issue["id"])


def _by_published(issue: dict) -> tuple:
    """Newest advisory first; one without a date last."""
    published = parse_time(issue["advisory"].get("published"))
    return (published is None, -published.timestamp() if published else 0.0, issue["id"])


_SORT_KEYS = {
    "id": lambda issue: issue["id"],
    "severity": _by_severity,
    "published": _by_published,
    "package": lambda issue: (issue["software"]["name"], issue["software"]["location"] or "",
                              rank(issue["advisory"]["severity"]), issue["id"]),
}
