"""The token bucket behind the API rate limit, on a clock the test moves."""
from __future__ import annotations

import pytest

from patrol.api.rate_limit import RateLimiter


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def test_a_burst_then_one_token_per_interval():
    clock = Clock()
    limiter = RateLimiter(rate=2.0, burst=3, clock=clock)

    assert [limiter.take("k") for _ in range(3)] == [0.0, 0.0, 0.0]
    assert limiter.take("k") == pytest.approx(0.5)
    clock.now += 0.5
    assert limiter.take("k") == 0.0
    assert limiter.take("other") == 0.0  # every key has its own bucket


def test_an_idle_key_refills_only_up_to_its_burst():
    clock = Clock()
    limiter = RateLimiter(rate=1.0, burst=2, clock=clock)
    limiter.take("k")
    clock.now += 3600

    assert [limiter.take("k") for _ in range(3)] == [0.0, 0.0, pytest.approx(1.0)]
