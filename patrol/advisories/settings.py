"""The advisory sync's settings, read once from the app's configuration."""
from __future__ import annotations

from dataclasses import dataclass

from flask import Flask

from patrol import config


@dataclass(frozen=True)
class SyncSettings:
    base_url: str  # an osv.dev-style bucket
    interval: int  # seconds between scheduled syncs; 0: by hand only
    ecosystems: tuple[str, ...]  # empty: every ecosystem some server's software uses
    timeout: float  # seconds without a byte before a request fails
    full_above: int  # more new records than this: all.zip is cheaper than one by one

    @classmethod
    def of(cls, app: Flask) -> SyncSettings:
        core = config.of(app, config.Core)
        return cls(
            base_url=core.advisory_url.rstrip("/"),
            interval=core.advisory_sync_interval,
            ecosystems=tuple(core.advisory_ecosystems),
            timeout=core.advisory_timeout,
            full_above=core.advisory_full_sync_above,
        )
