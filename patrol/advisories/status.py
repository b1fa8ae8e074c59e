"""How fresh the advisory data is, per ecosystem: for the API, the CLI,
/readyz and the dashboard."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from patrol.advisories import sync
from patrol.advisories.feed_names import FEED_PREFIX
from patrol.advisories.settings import SyncSettings
from patrol.clock import iso, now
from patrol.db import Database
from patrol.feeds import state as feeds


@dataclass(frozen=True)
class EcosystemStatus:
    ecosystem: str
    in_use: bool  # some server's software is in this ecosystem
    records: int
    last_success_at: datetime | None
    last_attempt_at: datetime | None
    last_error: str | None
    stale: bool

    def as_dict(self) -> dict:
        return {
            "ecosystem": self.ecosystem,
            "in_use": self.in_use,
            "records": self.records,
            "last_success_at": iso(self.last_success_at),
            "last_attempt_at": iso(self.last_attempt_at),
            "last_error": self.last_error,
            "stale": self.stale,
        }


def report(db: Database, settings: SyncSettings) -> list[EcosystemStatus]:
    """Every ecosystem that is wanted, used or was ever synced, by name."""
    held = {name.removeprefix(FEED_PREFIX): row for name, row in feeds.states(db, FEED_PREFIX).items()}
    used = set(sync.in_use(db))
    moment = now()
    names = sorted(set(held) | used | set(settings.ecosystems), key=str.lower)
    return [_status(name, held.get(name), name in used, settings.interval, moment) for name in names]


def stale_in_use(statuses: list[EcosystemStatus]) -> list[str]:
    """The ecosystems whose staleness matters: some server uses them."""
    return [s.ecosystem for s in statuses if s.in_use and s.stale]


def _status(name: str, row, in_use: bool, interval: int, moment: datetime) -> EcosystemStatus:  # noqa: ANN001
    return EcosystemStatus(
        ecosystem=name,
        in_use=in_use,
        records=row.records if row else 0,
        last_success_at=row.last_success_at if row else None,
        last_attempt_at=row.last_attempt_at if row else None,
        last_error=row.last_error if row else None,
        stale=feeds.is_stale(row, interval, moment),
    )

