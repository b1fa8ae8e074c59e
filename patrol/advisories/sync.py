"""Keeping the advisory database current from an osv.dev-style bucket.

Layout, per ecosystem: `{base}/{ECOSYSTEM}/all.zip` (every record),
`{base}/{ECOSYSTEM}/modified_id.csv` (`modified-time,id` lines, newest
first) and `{base}/{ECOSYSTEM}/{id}.json`. The first sync imports all.zip;
later ones read modified_id.csv down to the newest `modified` already held
and fetch just the newer records (or all.zip again when that is cheaper).
Everything is downloaded before anything is imported, so a failed download
changes nothing. The scheduler (`schedule.py`) and `patrol advisories sync`
both come here.
"""
from __future__ import annotations

import logging
import tempfile
import zipfile
import zlib
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from urllib.parse import quote

from sqlalchemy import distinct, func, select, text

from patrol.advisories import importer, rescans, sources
from patrol.advisories.feed_names import FEED_PREFIX, feed_name  # noqa: F401 - FEED_PREFIX: read as sync.FEED_PREFIX
from patrol.advisories.records import parse_time
from patrol.advisories.settings import SyncSettings
from patrol.db import Database
from patrol.feeds import state as feeds
from patrol.feeds.fetch import Fetcher, FetchError
from patrol.models import AdvisoryPackage, FeedState

log = logging.getLogger(__name__)


class SyncError(RuntimeError):
    """A sync that failed and changed nothing; says which file and why."""


@dataclass
class Outcome:
    """What one ecosystem's sync did."""

    ecosystem: str
    mode: str = "busy"  # full, incremental, unchanged; busy: another process holds it
    report: importer.Report = field(default_factory=importer.Report)
    rescans: int = 0
    error: str | None = None


def url_of(base: str, ecosystem: str, file: str) -> str:
    """`Rocky Linux` and `Alpine:v3.19` are quoted as one path segment each."""
    return f"{base}/{quote(ecosystem, safe='')}/{quote(file, safe='')}"


def sync_due(db: Database, settings: SyncSettings) -> list[Outcome]:
    """The scheduler's tick: sync each wanted ecosystem that is due and held by no one."""
    outcomes = [sync_ecosystem(db, settings, ecosystem) for ecosystem in wanted(db, settings)]
    return [outcome for outcome in outcomes if outcome.mode != "busy"]


def sync_ecosystem(db: Database, settings: SyncSettings, ecosystem: str, force: bool = False) -> Outcome:
    """Sync one ecosystem if this process can claim it; never raises for a failed download."""
    claimed = feeds.claim(db, feed_name(ecosystem), force)
    if claimed is None:
        return Outcome(ecosystem)
    try:
        outcome, held = _pull(db, settings, ecosystem, claimed)
    except (SyncError, FetchError, sources.SourceError) as exc:
        return _failed(db, settings, ecosystem, str(exc))
    except Exception as exc:
        _failed(db, settings, ecosystem, f"{type(exc).__name__}: {exc}")
        raise
    feeds.succeeded(db, feed_name(ecosystem), settings.interval, records=_count(db, ecosystem), **held)
    outcome.rescans = rescans.rescan(db, outcome.report.changed)
    return outcome


def wanted(db: Database, settings: SyncSettings) -> list[str]:
    """The configured ecosystems, or else every one some server's software uses."""
    return list(settings.ecosystems) or in_use(db)


def in_use(db: Database) -> list[str]:
    """Distinct software ecosystems, read by hopping along the index (a loose index
    scan): a handful of probes however many software rows there are."""
    hop = text(
        "WITH RECURSIVE hops(e) AS ("
        " SELECT MIN(osv_ecosystem) FROM software"
        " UNION ALL SELECT (SELECT MIN(osv_ecosystem) FROM software WHERE osv_ecosystem > hops.e)"
        " FROM hops WHERE hops.e IS NOT NULL)"
        " SELECT e FROM hops WHERE e IS NOT NULL"
    )
    with db.reader() as session:
        return list(session.scalars(hop))


def _failed(db: Database, settings: SyncSettings, ecosystem: str, error: str) -> Outcome:
    delay = feeds.failed(db, feed_name(ecosystem), settings.interval, error)
    log.warning("advisory sync of %s failed, next try in %d s: %s", ecosystem, delay, error)
    return Outcome(ecosystem, mode="failed", error=error)


@dataclass(frozen=True)
class _Pull:
    """One claimed ecosystem's download and import."""

    db: Database
    settings: SyncSettings
    fetcher: Fetcher
    ecosystem: str
    claimed: FeedState

    def url(self, file: str) -> str:
        return url_of(self.settings.base_url, self.ecosystem, file)

    def validators(self) -> dict:
        return dict(self.claimed.validators or {})


def _pull(db: Database, settings: SyncSettings, ecosystem: str, claimed: FeedState) -> tuple[Outcome, dict]:
    """The sync's outcome, and what the feed row holds after it."""
    pull = _Pull(db, settings, Fetcher(settings.timeout), ecosystem, claimed)
    try:
        return _full(pull) if claimed.watermark is None else _incremental(pull, claimed.watermark)
    finally:
        pull.fetcher.close()


def _full(pull: _Pull) -> tuple[Outcome, dict]:
    url, validators = pull.url("all.zip"), pull.validators()
    with tempfile.TemporaryDirectory(prefix="patrol-osv-") as folder:
        archive = Path(folder) / "all.zip"
        fetched = pull.fetcher.file(url, archive, validators.get(url))
        if fetched is None:
            return Outcome(pull.ecosystem, "unchanged"), {}
        _check_zip(url, archive)
        report = importer.import_records(pull.db, sources.read([archive]))
    validators[url] = fetched.validators
    watermark = max(filter(None, (report.latest, pull.claimed.watermark)), default=None)
    return Outcome(pull.ecosystem, "full", report), {"validators": validators, "watermark": watermark}


def _check_zip(url: str, path: Path) -> None:
    """The whole archive must be sound before a record of it is imported."""
    try:
        with zipfile.ZipFile(path) as archive:
            damaged = archive.testzip()
    except (zipfile.BadZipFile, zlib.error, OSError, EOFError) as exc:
        raise SyncError(f"{url}: not a readable zip file ({exc})") from exc
    if damaged is not None:
        raise SyncError(f"{url}: damaged member {damaged}")


def _incremental(pull: _Pull, since: datetime) -> tuple[Outcome, dict]:
    url, validators = pull.url("modified_id.csv"), pull.validators()
    fetched = pull.fetcher.bytes(url, validators.get(url))
    if fetched is None:
        return Outcome(pull.ecosystem, "unchanged"), {}
    newer = newer_than(fetched.body, since, url)
    if len(newer) > pull.settings.full_above:
        return _full(pull)
    report = importer.import_records(pull.db, [_record(pull, osv_id) for _, osv_id in newer])
    validators[url] = fetched.validators
    watermark = max([since, *(moment for moment, _ in newer)])
    mode = "incremental" if newer else "unchanged"
    return Outcome(pull.ecosystem, mode, report), {"validators": validators, "watermark": watermark}


def newer_than(csv: bytes, watermark: datetime, url: str = "modified_id.csv") -> list[tuple[datetime, str]]:
    """The (modified, id) lines newer than `watermark`; the file is newest first."""
    newer = []
    for number, line in enumerate(csv.decode("utf-8", "replace").splitlines(), 1):
        if not line.strip():
            continue
        raw_time, _, osv_id = line.partition(",")
        moment = parse_time(raw_time.strip())
        if moment is None or not osv_id.strip():
            raise SyncError(f"{url}: line {number} is not `modified-time,id`")
        if moment <= watermark:
            break
        newer.append((moment, osv_id.strip()))
    return newer


def _record(pull: _Pull, osv_id: str) -> tuple[str, object]:
    """One record as (where, parsed JSON); a record gone from the bucket reads as invalid."""
    url = pull.url(f"{osv_id}.json")
    fetched = pull.fetcher.bytes(url, missing_ok=True)
    return url, sources.parse_json(fetched.body if fetched else b"")


def _count(db: Database, ecosystem: str) -> int:
    with db.reader() as session:
        held = select(func.count(distinct(AdvisoryPackage.advisory_id))).where(AdvisoryPackage.ecosystem == ecosystem)
        return session.scalar(held) or 0
