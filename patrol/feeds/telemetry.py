"""The age of each synced feed (OSV ecosystems, exploitation feeds), for /metrics.

Read from the feed states when scraped, so every process reports the same
value: aggregate with max(). A feed that never synced reports no age and a
`patrol_feed_synced` of 0, so an alert can tell "old" from "never".
"""
from __future__ import annotations

from collections.abc import Iterator

from prometheus_client.core import GaugeMetricFamily
from prometheus_client.registry import Collector

from patrol.clock import now
from patrol.db import Database
from patrol.feeds import state


class FeedAgeCollector(Collector):
    def __init__(self, db: Database) -> None:
        self.db = db

    def collect(self) -> Iterator[GaugeMetricFamily]:
        moment = now()
        held = state.states(self.db, "")
        age = GaugeMetricFamily("patrol_feed_age_seconds",
                                "Seconds since the feed last synced successfully.", labels=["feed"])
        synced = GaugeMetricFamily("patrol_feed_synced", "1 once the feed has synced at least once.",
                                   labels=["feed"])
        for name, row in sorted(held.items()):
            synced.add_metric([name], 0 if row.last_success_at is None else 1)
            if row.last_success_at is not None:
                age.add_metric([name], (moment - row.last_success_at).total_seconds())
        yield age
        yield synced

    def describe(self) -> list:
        return []  # collected only when scraped: registering must not query the database
