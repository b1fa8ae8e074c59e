"""What one attempt's result means for its delivery: a pure decision."""
from __future__ import annotations

import random
from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import datetime, timedelta

from webhooks import retry
from webhooks.channels import answers as channel_answers
from webhooks.models import FAILED, PENDING, SLACK, SLACK_CHANNEL, SUCCEEDED
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
    if kind in (SLACK, SLACK_CHANNEL) and result.status is not None:
        return _slack(_slack_answer(kind, result, result.status), result, attempt, schedule, moment, manual, rng)
    verdict = retry.classify(result)
    if verdict == "success":
        return Decision(SUCCEEDED)
    if verdict == "gone":
        return Decision(FAILED, disable_reason="The receiver answered 410 Gone.")
    return _retry_or_fail(result, attempt, schedule, moment, manual, rng)


def _slack(answer: answers.SlackAnswer, result: Result, attempt, schedule, moment, manual, rng) -> Decision:  # noqa: ANN001
    """Incoming Webhook and Web API answers alike: Slack's own word on retrying and on dead targets."""
    if answer.outcome == answers.Outcome.SUCCESS:
        return Decision(SUCCEEDED)
    if answer.outcome == answers.Outcome.DEAD:
        return Decision(FAILED, disable_reason=answer.reason)
    if answer.outcome == answers.Outcome.INVALID_PAYLOAD:
        return Decision(FAILED, note=f"Slack refused the message ({answer.reason}); not retried.")
    decision = _retry_or_fail(result, attempt, schedule, moment, manual, rng)
    if answer.retry_after is None:
        return decision
    held = moment + timedelta(seconds=min(answer.retry_after, retry.MAX_DELAY))
    return replace(decision, hold_webhook_until=held)


def _slack_answer(kind: str, result: Result, status: int) -> answers.SlackAnswer:
    """An Incoming Webhook's plain answer, or the Web API's JSON one for a subscribed channel;
    a dead target's reason is the sentence the webhook is disabled with."""
    if kind == SLACK_CHANNEL:
        return channel_answers.classify(result)
    answer = answers.classify(status, result.body, result.headers.get("Retry-After"))
    if answer.outcome == answers.Outcome.DEAD:
        return replace(answer, reason=f"Slack answered {result.status} {answer.reason}.")
    return answer


def _retry_or_fail(result: Result, attempt: int, schedule, moment, manual, rng) -> Decision:  # noqa: ANN001
    if manual:
        return Decision(FAILED)
    delay = retry.next_delay(attempt, result.status, result.headers.get("Retry-After"), schedule, rng=rng)
    if delay is None:
        return Decision(FAILED, note=f"Gave up after {attempt} attempts.")
    return Decision(PENDING, next_attempt_at=moment + timedelta(seconds=delay))
