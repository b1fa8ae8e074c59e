"""The scheduled advisory sync, as a background loop beside the scan scheduler.

Every process runs the loop; the feed rows' compare-and-set (feeds.state)
makes each ecosystem sync once per interval across the cluster.
"""
from __future__ import annotations

from flask import Flask

from patrol import background, config
from patrol.advisories import sync
from patrol.advisories.settings import SyncSettings
from patrol.db import Database, get_db


def init_app(app: Flask) -> None:
    """Register the sync loop (it starts with `patrol serve`); an interval of 0 turns it off."""
    settings = SyncSettings.of(app)
    if settings.interval <= 0:
        return
    db = get_db(app)
    loop = background.Loop("advisory-sync", lambda: _tick(db, settings), config.of(app, config.Core).scheduler_tick)
    background.get(app).add(loop)


def _tick(db: Database, settings: SyncSettings) -> bool:
    sync.sync_due(db, settings)
    return False  # not "busy": whatever is due was synced; look again next tick
