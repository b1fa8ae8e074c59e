"""The retry policy (webhooks.retry): schedule, jitter, Retry-After and outcome classes."""

import random
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from email.utils import format_datetime

import pytest
from hypothesis import given
from hypothesis import strategies as st

from webhooks import retry

pytestmark = pytest.mark.extensions("webhooks")

NOW = datetime(2026, 11, 29, 20, 10, tzinfo=timezone.utc)


@dataclass
class Attempt:
    status: int | None
    error_kind: str | None = None


def test_default_schedule_is_the_documented_one():
    assert retry.DEFAULT_SCHEDULE == (5, 300, 1800, 7200, 18000, 36000, 36000)


@pytest.mark.parametrize("attempt", range(1, 8))
def test_without_jitter_each_attempt_waits_its_step(attempt):
    expected = retry.DEFAULT_SCHEDULE[attempt - 1]
    assert retry.next_delay(attempt, 500, None, jitter=0) == expected


@pytest.mark.parametrize("attempt", [0, 8, 9, 100])
def test_outside_the_schedule_means_give_up(attempt):
    assert retry.next_delay(attempt, 500, None) is None


def test_a_custom_schedule_is_followed():
    assert retry.next_delay(2, None, None, schedule=[1, 2, 3], jitter=0) == 2
    assert retry.next_delay(4, None, None, schedule=[1, 2, 3]) is None


def test_jitter_stays_within_bounds_and_spreads():
    rng = random.Random(1234)
    delays = [retry.next_delay(2, 500, None, jitter=0.2, rng=rng) for _ in range(2000)]
    assert all(240 <= delay <= 360 for delay in delays)
    assert min(delays) < 250 and max(delays) > 350
    assert len(set(delays)) > 1900


def test_jitter_is_reproducible_with_a_seeded_rng():
    first = [retry.next_delay(3, 500, None, rng=random.Random(7)) for _ in range(3)]
    again = [retry.next_delay(3, 500, None, rng=random.Random(7)) for _ in range(3)]
    assert first == again


@given(attempt=st.integers(1, 7), jitter=st.floats(0, 0.9), seed=st.integers(0, 2**32))
def test_every_scheduled_delay_is_within_its_jitter(attempt, jitter, seed):
    step = retry.DEFAULT_SCHEDULE[attempt - 1]
    delay = retry.next_delay(attempt, 500, None, jitter=jitter, rng=random.Random(seed))
    assert step * (1 - jitter) <= delay <= step * (1 + jitter)


@pytest.mark.parametrize("status", [429, 503])
def test_retry_after_seconds_is_honoured(status):
    assert retry.next_delay(1, status, "120", jitter=0) == 120


def test_retry_after_cannot_shorten_the_step():
    assert retry.next_delay(3, 429, "10", jitter=0) == 1800


def test_retry_after_is_capped_at_a_day():
    assert retry.next_delay(1, 503, "999999", jitter=0) == retry.MAX_DELAY


def test_retry_after_jitter_only_lengthens_and_never_passes_a_day():
    rng = random.Random(99)
    delays = [retry.next_delay(1, 429, "1000", jitter=0.2, rng=rng) for _ in range(500)]
    assert all(1000 <= delay <= 1200 for delay in delays)
    capped = [retry.next_delay(1, 429, "86000", jitter=0.2, rng=rng) for _ in range(500)]
    assert all(86000 <= delay <= retry.MAX_DELAY for delay in capped)


def test_retry_after_as_http_date():
    later = format_datetime(NOW + timedelta(hours=2), usegmt=True)
    assert retry.next_delay(1, 429, later, jitter=0, now=NOW.timestamp()) == 7200


def test_retry_after_date_in_the_past_falls_back_to_the_step():
    earlier = format_datetime(NOW - timedelta(hours=2), usegmt=True)
    assert retry.next_delay(2, 503, earlier, jitter=0, now=NOW.timestamp()) == 300


@pytest.mark.parametrize("status", [500, 502, 404, 410, None])
def test_retry_after_is_ignored_unless_throttled(status):
    assert retry.next_delay(1, status, "3600", jitter=0) == 5


@pytest.mark.parametrize("value", ["soon", "", "-5", "1.5", "Someday, 99 Foo 2026"])
def test_unreadable_retry_after_falls_back_to_the_step(value):
    assert retry.next_delay(2, 429, value, jitter=0) == 300


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("0", 0.0),
        (" 42 ", 42.0),
        ("Sun, 29 Nov 2026 20:11:40 GMT", 100.0),
        ("Sun, 29 Nov 2026 20:11:40 -0000", 100.0),
        ("Sun, 29 Nov 2026 21:11:40 +0100", 100.0),
        (None, None),
        ("tomorrow", None),
    ],
)
def test_parse_retry_after(value, expected):
    assert retry.parse_retry_after(value, now=NOW.timestamp()) == expected


@pytest.mark.parametrize(
    ("attempt", "expected"),
    [
        (Attempt(200), "success"),
        (Attempt(204), "success"),
        (Attempt(299), "success"),
        (Attempt(410, "http_status"), "gone"),
        (Attempt(301, "redirect"), "retry"),
        (Attempt(404, "http_status"), "retry"),
        (Attempt(429, "http_status"), "retry"),
        (Attempt(500, "http_status"), "retry"),
        (Attempt(None, "timeout"), "retry"),
        (Attempt(None, "refused_address"), "retry"),
        (Attempt(200, "timeout"), "retry"),
    ],
)
def test_classify(attempt, expected):
    assert retry.classify(attempt) == expected
