"""The feed row names of OSV ecosystems, apart from the sync so that readers
of feed states (server verdicts) need not import the sync."""
from __future__ import annotations

FEED_PREFIX = "osv/"


def feed_name(ecosystem: str) -> str:
    return FEED_PREFIX + ecosystem
