"""Per-key API rate limits: a token bucket for each API key, in each process.

A key may spend `API_BURST` requests at once and earns `API_RATE` more a
second; past that, 429 with `Retry-After` (when the next token arrives).

Per process, on purpose: a shared bucket would be one more database write
on every API call, and on SQLite every write takes the one write lock, so
reads would queue behind each other. In memory the check costs a lock and
some arithmetic (bench/rate_limit.py measures it). The price: with N
processes behind a balancer a key can reach up to N times the rate, so set
PATROL_API_RATE for one process. Buckets are only made for keys that
authenticated, so unknown keys cannot fill the table.
"""
from __future__ import annotations

import math
import threading
import time
from dataclasses import dataclass

from flask import Flask, current_app

from patrol import config
from patrol.errors import TooManyRequests

EXTENSION = "patrol.rate_limit"


@dataclass
class _Bucket:
    tokens: float
    updated: float


class RateLimiter:
    def __init__(self, rate: float, burst: int, clock=time.monotonic) -> None:  # noqa: ANN001 - a clock
        self.rate, self.burst, self.clock = rate, burst, clock
        self._buckets: dict[str, _Bucket] = {}
        self._lock = threading.Lock()

    def take(self, key: str) -> float:
        """Spend one token of `key`'s bucket: 0 when there was one, else seconds until there is."""
        with self._lock:
            moment = self.clock()
            bucket = self._buckets.setdefault(key, _Bucket(self.burst, moment))
            bucket.tokens = min(self.burst, bucket.tokens + (moment - bucket.updated) * self.rate)
            bucket.updated = moment
            if bucket.tokens >= 1:
                bucket.tokens -= 1
                return 0.0
            return (1 - bucket.tokens) / self.rate


def init_app(app: Flask) -> None:
    core = config.of(app, config.Core)
    rate, burst = core.api_rate, core.api_burst
    app.extensions[EXTENSION] = RateLimiter(rate, burst) if rate and burst else None


def check(key: str) -> None:
    """Raise TooManyRequests when `key` has spent its bucket (no limit when switched off)."""
    limiter: RateLimiter | None = current_app.extensions.get(EXTENSION)
    wait = limiter.take(key) if limiter else 0.0
    if wait:
        raise TooManyRequests(f"Too many requests for this API key; try again in {math.ceil(wait)} s.",
                              retry_after=math.ceil(wait))
