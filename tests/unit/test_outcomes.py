"""What one attempt's result means for its delivery (webhooks.outcomes.decide)."""
from datetime import datetime, timedelta, timezone

import pytest
from hypothesis import given
from hypothesis import strategies as st

from webhooks.models import FAILED, PENDING, SUCCEEDED
from webhooks.outcomes import decide
from webhooks.transport import Result

pytestmark = pytest.mark.extensions("webhooks")

MOMENT = datetime(2026, 11, 29, 20, 10, tzinfo=timezone.utc)
SCHEDULE = (5.0, 300.0, 1800.0)


class Low:
    """A random source that always picks the low end: delays are exact schedule steps less jitter."""

    def uniform(self, a: float, b: float) -> float:
        return a


class High:
    def uniform(self, a: float, b: float) -> float:
        return b


def answer(status, body="", headers=None, error_kind="derive"):
    if error_kind == "derive":
        error_kind = None if 200 <= status < 300 else ("redirect" if 300 <= status < 400 else "http_status")
    return Result(status, body, headers or {}, 12, error_kind, None if error_kind is None else "failed")


def no_answer(error_kind):
    return Result(None, "", {}, 5000, error_kind, f"{error_kind} happened")


def generic(result, attempt=1, **options):
    return decide("generic", result, attempt, SCHEDULE, MOMENT, **options)


def slack(result, attempt=1, **options):
    return decide("slack", result, attempt, SCHEDULE, MOMENT, **options)


@pytest.mark.parametrize("status", [200, 201, 202, 204, 299])
def test_a_2xx_in_time_succeeds(status):
    decision = generic(answer(status))
    assert (decision.status, decision.next_attempt_at, decision.disable_reason) == (SUCCEEDED, None, None)


def test_a_2xx_whose_body_broke_off_is_retried():
    decision = generic(answer(200, error_kind="timeout"), rng=Low())
    assert decision.status == PENDING


@pytest.mark.parametrize("result", [
    answer(500), answer(404), answer(400), answer(301), answer(302), answer(308),
    no_answer("timeout"), no_answer("connection"), no_answer("tls"), no_answer("refused_address"),
])
def test_anything_else_is_retried_on_the_schedule(result):
    low, high = generic(result, rng=Low()), generic(result, rng=High())
    assert low.status == high.status == PENDING
    assert low.next_attempt_at == MOMENT + timedelta(seconds=4)  # 5 s less 20 % jitter
    assert high.next_attempt_at == MOMENT + timedelta(seconds=6)


def test_each_attempt_waits_its_own_step():
    waits = [generic(answer(500), attempt, rng=Low()).next_attempt_at - MOMENT for attempt in (1, 2, 3)]
    assert waits == [timedelta(seconds=step * 0.8) for step in SCHEDULE]


def test_after_the_last_step_the_delivery_fails_and_says_so():
    decision = generic(answer(500), attempt=len(SCHEDULE) + 1)
    assert (decision.status, decision.next_attempt_at) == (FAILED, None)
    assert decision.note == "Gave up after 4 attempts."
    assert decision.disable_reason is None


def test_410_fails_at_once_and_disables_the_webhook():
    decision = generic(answer(410))
    assert (decision.status, decision.next_attempt_at) == (FAILED, None)
    assert "410" in decision.disable_reason


@pytest.mark.parametrize("status", [429, 503])
def test_retry_after_is_waited_for_when_it_is_longer_than_the_step(status):
    decision = generic(answer(status, headers={"Retry-After": "120"}), rng=Low())
    assert decision.next_attempt_at == MOMENT + timedelta(seconds=120)


def test_retry_after_cannot_make_the_schedule_faster():
    decision = generic(answer(429, headers={"Retry-After": "1"}), attempt=2, rng=Low())
    assert decision.next_attempt_at == MOMENT + timedelta(seconds=300)


def test_retry_after_on_a_plain_error_is_ignored():
    decision = generic(answer(500, headers={"Retry-After": "120"}), rng=Low())
    assert decision.next_attempt_at == MOMENT + timedelta(seconds=4)


def test_a_manual_attempt_that_fails_is_not_retried():
    decision = generic(answer(500), attempt=2, manual=True)
    assert (decision.status, decision.next_attempt_at) == (FAILED, None)


def test_a_manual_attempt_can_succeed_or_disable():
    assert generic(answer(200), manual=True).status == SUCCEEDED
    assert generic(answer(410), manual=True).disable_reason is not None


def test_slack_ok_succeeds():
    assert slack(answer(200, "ok")).status == SUCCEEDED


@pytest.mark.parametrize(("status", "body"), [
    (404, "channel_not_found"), (410, "channel_is_archived"), (403, "action_prohibited"), (404, "no_service"),
])
def test_slack_saying_the_webhook_is_dead_disables_it(status, body):
    decision = slack(answer(status, body))
    assert decision.status == FAILED
    assert decision.disable_reason == f"Slack answered {status} {body}."


def test_slack_refusing_the_message_fails_without_retrying_or_disabling():
    decision = slack(answer(400, "invalid_payload"))
    assert (decision.status, decision.next_attempt_at, decision.disable_reason) == (FAILED, None, None)
    assert "invalid_payload" in decision.note


def test_slack_rate_limits_and_troubles_are_retried():
    limited = slack(answer(429, "rate_limited", {"Retry-After": "30"}), rng=Low())
    assert (limited.status, limited.next_attempt_at) == (PENDING, MOMENT + timedelta(seconds=30))
    assert slack(answer(500, "rollup_error"), rng=Low()).status == PENDING


def test_slack_out_of_reach_is_retried_like_any_receiver():
    decision = slack(no_answer("connection"), rng=Low())
    assert (decision.status, decision.next_attempt_at) == (PENDING, MOMENT + timedelta(seconds=4))


results = st.one_of(
    st.builds(answer, st.integers(100, 599), st.sampled_from(["", "ok", "no_text", "channel_not_found"]),
              st.sampled_from([{}, {"Retry-After": "7"}, {"Retry-After": "soon"}])),
    st.builds(no_answer, st.sampled_from(["timeout", "connection", "tls", "refused_address", "invalid_url"])),
)


@given(kind=st.sampled_from(["generic", "slack"]), result=results, attempt=st.integers(1, 6),
       manual=st.booleans())
def test_every_decision_is_coherent(kind, result, attempt, manual):
    decision = decide(kind, result, attempt, SCHEDULE, MOMENT, manual=manual)
    assert decision.status in (SUCCEEDED, PENDING, FAILED)
    assert (decision.status == PENDING) == (decision.next_attempt_at is not None)
    if decision.next_attempt_at is not None:
        assert MOMENT < decision.next_attempt_at <= MOMENT + timedelta(days=1)
    if decision.disable_reason is not None:
        assert decision.status == FAILED
    if manual or attempt > len(SCHEDULE):
        assert decision.status != PENDING
