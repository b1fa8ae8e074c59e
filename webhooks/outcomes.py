"""What one attempt's result means for its delivery: a pure decision."""
from __future__ import annotations

import random
from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import datetime, timedelta

from webhooks import retry
from webhooks.models import FAILED, PENDING, SUCCEEDED
from webhooks.slack import answers
from webhooks.results import Result


@dataclass(frozen=True)
class Decision:
    status: str
    next_attempt_at: datetime | None = None
    disable_reason: str | None = None
    note: str | None = None  # added to the attempt's error in the log
    # Slack's Retry-After holds the whole webhook, not just the refused message.
    hold_webhook_until: datetime | None = None


def decide(
    kind: str,
    result: Result,
    attempt: int,
    schedule: Sequence[float],
    moment: datetime,
    *,
    manual: bool = False,
    rng: retry.Uniform = random,
) -> Decision:
    """Success, a retry at a time, a final failure, or a dead webhook to disable."""
    if kind == "slack" and result.status is not None:
        return _slack(result, attempt, schedule, moment, manual, rng)
    verdict = retry.classify(result)
    if verdict == "success":
        return Decision(SUCCEEDED)
    if verdict == "gone":
        return Decision(FAILED, disable_reason="The receiver answered 410 Gone.")
    return _retry_or_fail(result, attempt, schedule, moment, manual, rng)


def _slack(result: Result, attempt: int, schedule, moment, manual, rng) -> Decision:  # noqa: ANN001
    answer = answers.classify(result.status, result.body, result.headers.get("Retry-After"))
    if answer.outcome == answers.Outcome.SUCCESS:
        return Decision(SUCCEEDED)
    if answer.outcome == answers.Outcome.DEAD:
        return Decision(FAILED, disable_reason=f"Slack answered {result.status} {answer.reason}.")
    if answer.outcome == answers.Outcome.INVALID_PAYLOAD:
        return Decision(FAILED, note=f"Slack refused the message ({answer.reason}); not retried.")
    decision = _retry_or_fail(result, attempt, schedule, moment, manual, rng)
    if answer.retry_after is None:
        return decision
    held = moment + timedelta(seconds=min(answer.retry_after, retry.MAX_DELAY))
    return replace(decision, hold_webhook_until=held)


def _retry_or_fail(result: Result, attempt: int, schedule, moment, manual, rng) -> Decision:  # noqa: ANN001
    if manual:
        return Decision(FAILED)
    delay = retry.next_delay(attempt, result.status, result.headers.get("Retry-After"), schedule, rng=rng)
    if delay is None:
        return Decision(FAILED, note=f"Gave up after {attempt} attempts.")
    return Decision(PENDING, next_attempt_at=moment + timedelta(seconds=delay))
