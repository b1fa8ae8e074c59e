"""The per-webhook in-flight limit: grows on fast answers, halves on trouble (a pure function)."""
import pytest

from webhooks.adaptive import Limits, next_limit
from webhooks.results import Result

pytestmark = pytest.mark.extensions("webhooks")


def answer(status=200, ms=20, kind=None):
    return Result(status, "", {}, ms, kind, None)


def test_a_fast_answer_earns_one_more_slot():
    assert next_limit(2, answer(), ceiling=64) == 3


def test_the_limit_never_passes_the_ceiling():
    assert next_limit(64, answer(), ceiling=64) == 64


def test_a_slow_success_keeps_the_limit():
    assert next_limit(8, answer(ms=3000), ceiling=64) == 8


@pytest.mark.parametrize("trouble", [
    answer(None, 15000, "timeout"), answer(None, 3, "connection"), answer(500, kind="http_status"),
    answer(503, kind="http_status"), answer(429, kind="http_status"),
])
def test_trouble_halves_the_limit(trouble):
    assert next_limit(9, trouble, ceiling=64) == 4


def test_the_limit_never_drops_below_one():
    assert next_limit(1, answer(None, 15000, "timeout"), ceiling=64) == 1


def test_a_refusal_that_is_not_overload_keeps_the_limit():
    assert next_limit(5, answer(404, kind="http_status"), ceiling=64) == 5


def test_limits_start_at_the_configured_slots_and_adapt_per_webhook():
    limits = Limits(start=2, ceiling=4)
    for _ in range(5):
        limits.observe("wh_fast", answer())
    limits.observe("wh_hanging", answer(None, 15000, "timeout"))
    assert limits.snapshot() == {"wh_fast": 4, "wh_hanging": 1}
