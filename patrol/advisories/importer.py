"""Loading OSV records into the database, idempotently.

A record whose id and `modified` are already stored is left alone, so a
daily sync of a whole ecosystem only writes what changed.
"""
from __future__ import annotations

import logging
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from patrol.advisories import records
from patrol.db import Database
from patrol.models import Advisory, AdvisoryPackage

log = logging.getLogger(__name__)
BATCH = 500


@dataclass
class Report:
    added: int = 0
    updated: int = 0
    unchanged: int = 0
    invalid: list[str] = field(default_factory=list)
    # The (ecosystem, name) pairs that added or changed records name, before
    # and after the change: the servers holding one of them need a rescan.
    changed: set[tuple[str, str]] = field(default_factory=set)
    latest: datetime | None = None  # the newest `modified` seen

    def saw(self, record: records.Record) -> None:
        if record.modified and (self.latest is None or record.modified > self.latest):
            self.latest = record.modified

    def __str__(self) -> str:
        return (
            f"{self.added} added, {self.updated} updated, {self.unchanged} unchanged, "
            f"{len(self.invalid)} invalid"
        )


def import_records(
    db: Database,
    items: Iterable[tuple[str, object]],
    progress: Callable[[int], object] | None = None,
) -> Report:
    """Store (where, OSV JSON) pairs; commits every BATCH records."""
    report = Report()
    batch: list[tuple[str, object]] = []
    for item in items:
        batch.append(item)
        if len(batch) >= BATCH:
            _store_batch(db, batch, report)
            _advance(progress, len(batch))
            batch = []
    if batch:
        _store_batch(db, batch, report)
        _advance(progress, len(batch))
    return report


def _advance(progress: Callable[[int], object] | None, n: int) -> None:
    if progress is not None:
        progress(n)


def _store_batch(db: Database, batch: list[tuple[str, object]], report: Report) -> None:
    parsed = []
    for where, data in batch:
        try:
            parsed.append(records.parse(data))
        except records.InvalidRecord as exc:
            report.invalid.append(f"{where}: {exc}")
        else:
            report.saw(parsed[-1])
    with db.session() as session:
        existing = _existing(session, [r.osv_id for r in parsed])
        for record in parsed:
            # Remembered at once: the same id may come again in this batch
            # (one advisory in two of the paths given).
            existing[record.osv_id] = _store(session, record, existing.get(record.osv_id), report)


def _existing(session: Session, ids: list[str]) -> dict[str, Advisory]:
    rows = session.scalars(select(Advisory).where(Advisory.osv_id.in_(ids)))
    return {row.osv_id: row for row in rows}


def _store(session: Session, record: records.Record, row: Advisory | None, report: Report) -> Advisory:
    """Add or replace one advisory; rows are flushed once per batch, not per record."""
    if row is not None and row.modified == record.modified:
        report.unchanged += 1
        return row
    if row is None:
        row = Advisory(osv_id=record.osv_id)
        session.add(row)
        report.added += 1
    else:
        report.updated += 1
        report.changed.update((p.ecosystem, p.name) for p in row.packages)
    report.changed.update((p.ecosystem, p.name) for p in record.packages)
    row.modified, row.withdrawn, row.summary = record.modified, record.withdrawn, record.summary
    row.published = record.published
    row.severity, row.aliases, row.url = record.severity, record.aliases, record.url
    row.details = record.details
    row.packages = [  # the relationship's delete-orphan cascade drops the old entries
        AdvisoryPackage(ecosystem=p.ecosystem, ecosystem_full=p.ecosystem_full, name=p.name, affected=p.affected)
        for p in record.packages
    ]
    return row
