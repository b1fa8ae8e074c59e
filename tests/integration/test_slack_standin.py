"""The Slack Incoming Webhooks stand-in, over real loopback HTTP, and Patrol's
rendered messages as it receives them."""
from __future__ import annotations

import http.client
import json
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from slackkit.render import MessageContext, render
from tests.support.slack_standin import FAILURES, SlackStandin
from webhooks.slack.answers import Outcome, classify

pytestmark = pytest.mark.extensions("webhooks")

INPUTS = Path(__file__).parents[1] / "unit" / "golden" / "slack" / "inputs"


class FakeClock:
    """The stand-in's clock, moved by the test, so rate limits need no waiting."""

    def __init__(self) -> None:
        self.now = 1_000.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


@pytest.fixture
def slack(clock):
    with SlackStandin(clock=clock) as standin:
        yield standin


def post(url: str, body: bytes | dict) -> tuple[int, str, dict[str, str]]:
    """POST over plain http.client: no proxy settings can send it off the machine."""
    parts = urlsplit(url)
    assert parts.hostname == "127.0.0.1"
    data = body if isinstance(body, bytes) else json.dumps(body).encode()
    connection = http.client.HTTPConnection(parts.hostname, parts.port, timeout=10)
    try:
        connection.request("POST", parts.path, body=data, headers={"Content-Type": "application/json"})
        response = connection.getresponse()
        return response.status, response.read().decode(), dict(response.getheaders())
    finally:
        connection.close()


def blocks_payload(*blocks: dict) -> dict:
    return {"text": "fallback", "blocks": list(blocks)}


HELLO = {"text": "hello", "blocks": [{"type": "section", "text": {"type": "mrkdwn", "text": "*hello*"}}]}


def test_a_valid_message_is_accepted_and_recorded(slack, clock):
    status, body, _ = post(slack.webhook_url(), HELLO)
    assert (status, body) == (200, "ok")
    [seen] = slack.received
    assert seen.path == "/services/T0001/B0001/Secret0001"
    assert seen.headers["content-type"] == "application/json"
    assert seen.payload == HELLO
    assert seen.received_at == clock.now
    assert (seen.status, seen.answer, seen.problems) == (200, "ok", ())


def test_a_message_without_content_is_no_text(slack):
    assert post(slack.webhook_url(), {"username": "patrol"})[:2] == (400, "no_text")


@pytest.mark.parametrize("payload", [
    blocks_payload(*[{"type": "divider"}] * 51),
    blocks_payload({"type": "header", "text": {"type": "plain_text", "text": "h" * 151}}),
    blocks_payload({"type": "header", "text": {"type": "mrkdwn", "text": "*bold*"}}),
    blocks_payload({"type": "section", "text": {"type": "mrkdwn", "text": "s" * 3_001}}),
    blocks_payload({"type": "section", "fields": [{"type": "mrkdwn", "text": "f"}] * 11}),
    blocks_payload({"type": "section", "fields": [{"type": "mrkdwn", "text": "f" * 2_001}]}),
    blocks_payload({"type": "section"}),
    blocks_payload({"type": "context", "elements": [{"type": "mrkdwn", "text": "c"}] * 11}),
    blocks_payload({"type": "actions", "elements": [
        {"type": "button", "text": {"type": "plain_text", "text": "b" * 76}, "action_id": "a"}]}),
    blocks_payload({"type": "actions", "elements": [
        {"type": "button", "text": {"type": "plain_text", "text": "b"}, "action_id": "a" * 256}]}),
    blocks_payload({"type": "actions", "elements": [
        {"type": "button", "text": {"type": "plain_text", "text": "b"}, "url": "https://x/" + "u" * 3_000}]}),
    blocks_payload({"type": "actions", "elements": [
        {"type": "button", "text": {"type": "plain_text", "text": "b"}, "action_id": "same"},
        {"type": "button", "text": {"type": "plain_text", "text": "c"}, "action_id": "same"}]}),
    blocks_payload({"type": "banner", "text": "not a block type"}),
    {"text": "t" * 40_001},
])
def test_a_payload_slack_would_refuse_is_invalid(slack, payload):
    assert post(slack.webhook_url(), payload)[:2] == (400, "invalid_payload")
    [seen] = slack.received
    assert seen.problems


def test_a_body_that_is_not_json_has_no_text(slack):
    assert post(slack.webhook_url(), b"payload=%7B%7D")[:2] == (400, "no_text")
    assert slack.received[0].payload is None


def test_an_unknown_webhook_path_is_no_service(slack):
    assert post(f"{slack.base_url}/services/not-a-webhook", HELLO)[:2] == (404, "no_service")


@pytest.mark.parametrize("code", sorted(FAILURES))
def test_a_failing_webhook_answers_as_slack_does(slack, code):
    failing, healthy = slack.webhook_url(secret="Failing"), slack.webhook_url(secret="Healthy")
    slack.fail(failing, code)
    status, body, _ = post(failing, HELLO)
    assert (status, body) == (FAILURES[code], code)
    assert classify(status, body).outcome == (Outcome.RETRY if status >= 500 else Outcome.DEAD)
    assert post(healthy, HELLO)[:2] == (200, "ok")


def test_rate_limit_answers_429_with_retry_after_until_a_second_passes(slack, clock):
    limited, other = slack.webhook_url(secret="Limited"), slack.webhook_url(secret="Other")
    slack.rate_limit(limited, per_second=2, retry_after=3)
    assert [post(limited, HELLO)[0] for _ in range(2)] == [200, 200]
    status, body, headers = post(limited, HELLO)
    assert (status, body, headers["Retry-After"]) == (429, "rate_limited", "3")
    assert classify(status, body, headers["Retry-After"]).retry_after == 3.0
    assert post(other, HELLO)[0] == 200
    clock.now += 1.0
    assert post(limited, HELLO)[0] == 200
    assert [seen.status for seen in slack.received] == [200, 200, 429, 200, 200]


@pytest.mark.parametrize("name", sorted(path.stem for path in INPUTS.glob("*.json")))
def test_patrols_rendered_messages_are_accepted(slack, name):
    case = json.loads((INPUTS / f"{name}.json").read_text(encoding="utf-8"))
    status, body, _ = post(slack.webhook_url(), render(case["event"], MessageContext(**case["context"])))
    assert classify(status, body).outcome == Outcome.SUCCESS, slack.received[-1].problems


def test_a_message_of_three_hundred_issues_is_accepted(slack):
    case = json.loads((INPUTS / "new_server_issues.json").read_text(encoding="utf-8"))
    event = case["event"]
    event["issues"] = [dict(issue, id=number) for number in range(60) for issue in event["issues"]]
    payload = render(event, MessageContext(**case["context"]))
    assert post(slack.webhook_url(), payload)[:2] == (200, "ok")
    assert "300 new issues" in slack.received[0].payload["text"]
