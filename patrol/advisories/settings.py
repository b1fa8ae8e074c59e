"""The advisory sync's settings, read once from the app's configuration."""
from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class SyncSettings:
    base_url: str  # an osv.dev-style bucket
    interval: int  # seconds between scheduled syncs; 0: by hand only
    ecosystems: tuple[str, ...]  # empty: every ecosystem some server's software uses
    timeout: float  # seconds without a byte before a request fails
    full_above: int  # more new records than this: all.zip is cheaper than one by one

    @classmethod
    def from_config(cls, config: Mapping[str, Any]) -> SyncSettings:
        return cls(
            base_url=config["ADVISORY_SOURCE_URL"].rstrip("/"),
            interval=config["ADVISORY_SYNC_INTERVAL"],
            ecosystems=tuple(config["ADVISORY_ECOSYSTEMS"]),
            timeout=config["ADVISORY_TIMEOUT"],
            full_above=config["ADVISORY_FULL_SYNC_ABOVE"],
        )
