"""A server's software as its page lists it: one row per package a person
would upgrade, searchable, with the vulnerable ones marked.

dpkg and apk items carry their source package (`source_name`): the binaries
built from one source (libssl3, openssl, libssl-dev) are upgraded together
and share its advisories, so they are one row, named for the source.
"""
from __future__ import annotations

from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass, field

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from patrol.models import Bucket, Issue, Server, Software
from patrol.scanning.readable import version_problem
from patrol.triage import dismissals

MAX_QUERY = 100


@dataclass
class Row:
    name: str
    version: str | None
    ecosystem: str | None
    location: str | None
    bucket: str
    binaries: list[str] = field(default_factory=list)
    version_error: str | None = None
    open_issues: int = 0

    def matches(self, query: str) -> bool:
        return any(query in name.casefold() for name in (self.name, *self.binaries))


@dataclass(frozen=True)
class Search:
    """What the search form asked: words in a package's name, and vulnerable ones only."""

    query: str = ""
    vulnerable_only: bool = False

    @classmethod
    def from_args(cls, args: Mapping[str, str]) -> Search:
        return cls(args.get("q", "").strip()[:MAX_QUERY], args.get("vulnerable") == "1")

    @property
    def active(self) -> bool:
        return bool(self.query or self.vulnerable_only)

    def keeps(self, row: Row) -> bool:
        return row.matches(self.query.casefold()) and (row.open_issues > 0 or not self.vulnerable_only)


def open_issue_counts(session: Session, server: Server) -> Counter:
    """Open, undismissed issues per (package name, location), the identity a scan gives an issue."""
    undismissed = ~dismissals.covered(session, server.account_id, server.id)
    rows = session.execute(
        select(Issue.software_name, Issue.software_location, func.count())
        .where(Issue.server_id == server.id, Issue.resolved_at.is_(None), undismissed)
        .group_by(Issue.software_name, Issue.software_location)
    )
    return Counter({(name, location or ""): count for name, location, count in rows})


def rows(session: Session, server: Server, search: Search) -> list[Row]:
    """The server's software by bucket, then as pushed, a source package's binaries
    folded into one row; only the rows the search keeps."""
    issues, shown = open_issue_counts(session, server), {}
    items = session.execute(
        select(Software, Bucket.key).join(Bucket, Software.bucket_id == Bucket.id)
        .where(Software.server_id == server.id).order_by(Bucket.key, Software.id)
    )
    for item, bucket in items:
        key = (bucket, *_group_key(item))
        if key not in shown:
            shown[key] = _row(item, bucket)
        _add(shown[key], item, issues)
    return [row for row in shown.values() if search.keeps(_finished(row))]


def _add(row: Row, item: Software, issues: Counter) -> None:
    if item.source_name:
        row.binaries.append(item.name)
    row.version_error = row.version_error or version_problem(item)
    row.open_issues += issues.get((item.name, item.location or ""), 0)


def _finished(row: Row) -> Row:
    """A source package built into binaries of its own name only needs no list of them."""
    row.binaries = sorted(set(row.binaries)) if set(row.binaries) != {row.name} else []
    return row


def _group_key(item: Software) -> tuple:
    if item.source_name:
        return ("source", item.ecosystem, item.source_name, item.source_version or item.version, item.location)
    return ("item", item.id)


def _row(item: Software, bucket: str) -> Row:
    if item.source_name:
        return Row(item.source_name, item.source_version or item.version, item.ecosystem, item.location, bucket)
    return Row(item.name, item.version, item.ecosystem, item.location, bucket)

