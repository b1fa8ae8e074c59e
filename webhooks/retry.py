"""When to try a delivery again: a pure policy, so the queue only stores its answer.

The schedule spreads eight attempts over about a day and a half, long enough
to ride out a receiver's deploy or outage. Jitter keeps the deliveries that
failed together during an outage from all coming back at the same second.
"""
from __future__ import annotations

import random
import time
from collections.abc import Sequence
from datetime import timezone
from email.utils import parsedate_to_datetime
from typing import Protocol

DEFAULT_SCHEDULE: tuple[float, ...] = (5, 300, 1800, 7200, 18000, 36000, 36000)
MAX_DELAY = 86400.0
THROTTLING_STATUSES = frozenset({429, 503})
GONE = 410


class Uniform(Protocol):
    """A source of random floats: the `random` module, or a seeded `random.Random` in tests."""

    def uniform(self, a: float, b: float) -> float: ...


class Outcome(Protocol):
    """What `classify` reads from a delivery attempt (`webhooks.results.Result`)."""

    @property
    def status(self) -> int | None: ...

    @property
    def error_kind(self) -> str | None: ...


def classify(result: Outcome) -> str:
    """`success` for a 2xx answered in time, `gone` for 410 (the receiver asks to
    be left alone, so the webhook is disabled), `retry` for anything else."""
    if result.status == GONE:
        return "gone"
    if result.error_kind is None and result.status is not None and 200 <= result.status < 300:
        return "success"
    return "retry"


def next_delay(
    attempt: int,
    result_status: int | None,
    retry_after: str | None,
    schedule: Sequence[float] = DEFAULT_SCHEDULE,
    jitter: float = 0.2,
    rng: Uniform = random,
    now: float | None = None,
) -> float | None:
    """Seconds to wait after attempt number `attempt` (1 for the first), or None to give up.

    The schedule step is spread by ±`jitter`. A 429 or 503 with Retry-After waits
    as asked, but at least the step (a receiver cannot speed up the schedule) and
    at most a day; jitter only lengthens that wait.
    """
    if attempt < 1 or attempt > len(schedule):
        return None
    step = float(schedule[attempt - 1])
    asked = parse_retry_after(retry_after, now) if result_status in THROTTLING_STATUSES else None
    if asked is None:
        return step * rng.uniform(1 - jitter, 1 + jitter)
    bounded = min(max(asked, step), MAX_DELAY)
    return min(bounded * rng.uniform(1, 1 + jitter), MAX_DELAY)


def parse_retry_after(value: str | None, now: float | None = None) -> float | None:
    """Retry-After as seconds from `now`: either delay-seconds or an HTTP-date
    (RFC 9110 10.2.3). None when absent or unreadable."""
    if value is None:
        return None
    text = value.strip()
    if text.isascii() and text.isdigit():
        return float(text)
    try:
        moment = parsedate_to_datetime(text)
    except (TypeError, ValueError):
        return None
    if moment.tzinfo is None:  # "-0000": RFC 5322 for "UTC, origin unknown"
        moment = moment.replace(tzinfo=timezone.utc)
    return max(0.0, moment.timestamp() - (time.time() if now is None else now))
