"""What Slack's Web API answers mean for a channel subscription's delivery."""
from __future__ import annotations

import json
from datetime import datetime, timezone

import pytest

from webhooks import outcomes
from webhooks.channels.answers import classify
from webhooks.models import FAILED, PENDING, SLACK_CHANNEL, SUCCEEDED
from webhooks.slack.answers import Outcome
from webhooks.transport import Result

pytestmark = pytest.mark.extensions("webhooks")

MOMENT = datetime(2026, 12, 2, 12, 0, tzinfo=timezone.utc)


def answered(status, data, retry_after=None):
    headers = {"Retry-After": retry_after} if retry_after else {}
    return Result(status, json.dumps(data), headers, 12, None if data.get("ok") else "slack_error", None)


@pytest.mark.parametrize(("status", "data", "outcome"), [
    (200, {"ok": True, "ts": "1.2"}, Outcome.SUCCESS),
    (200, {"ok": False, "error": "not_in_channel"}, Outcome.DEAD),
    (200, {"ok": False, "error": "token_revoked"}, Outcome.DEAD),
    (200, {"ok": False, "error": "invalid_blocks"}, Outcome.INVALID_PAYLOAD),
    (429, {"ok": False, "error": "ratelimited"}, Outcome.RETRY),
    (200, {"ok": False, "error": "internal_error"}, Outcome.RETRY),
    (503, {}, Outcome.RETRY),
])
def test_each_answer_has_its_outcome(status, data, outcome):
    assert classify(answered(status, data)).outcome == outcome


def test_a_bot_outside_the_channel_disables_the_subscription_and_says_how_to_fix_it():
    decision = outcomes.decide(SLACK_CHANNEL, answered(200, {"ok": False, "error": "not_in_channel"}), 1, [5], MOMENT)

    assert decision.status == FAILED
    assert "not_in_channel" in decision.disable_reason and "/invite @Patrol" in decision.disable_reason


def test_a_rate_limit_holds_the_subscription_for_as_long_as_slack_asks():
    decision = outcomes.decide(SLACK_CHANNEL, answered(429, {"ok": False, "error": "ratelimited"}, "30"), 1, [5],
                               MOMENT)

    assert decision.status == PENDING
    assert (decision.hold_webhook_until - MOMENT).total_seconds() == 30


def test_a_page_that_is_not_slacks_json_is_not_taken_for_success():
    result = Result(200, "<html>proxy</html>", {}, 3, None, None)

    assert classify(result).outcome == Outcome.INVALID_PAYLOAD
    assert outcomes.decide(SLACK_CHANNEL, answered(200, {"ok": True}), 1, [5], MOMENT).status == SUCCEEDED
