"""Slack webhooks through the API: the kind is detected from the URL, can be
set by hand, and a Slack URL (its own credential) is never shown whole.
(tests/integration/test_webhook_api.py covers the shapes and validation of
every webhook; this file covers what is Slack's own.)

No background service runs here and nothing is sent: these URLs point at
hooks.slack.com, and a test must never reach it.
"""
from __future__ import annotations

import pytest

from tests.support.receivers import loopback_only
from webhooks.subscriptions import SLACK_DEFAULT, SUBSCRIBABLE

pytestmark = pytest.mark.extensions("webhooks")

SECRET = "Zq8SlackSecretW3x"  # the last path segment: Slack's credential


@pytest.fixture(autouse=True)
def on_loopback_only():
    with loopback_only():
        yield


@pytest.fixture
def owner(make_account):
    return make_account()


def create(client, caller, **fields):
    answer = client.post("/api/webhooks", json=fields, auth=caller.auth)
    assert answer.status_code == 201, answer.json
    return answer.json["data"]


def change(client, caller, hook, **fields):
    answer = client.patch(f"/api/webhooks/{hook['id']}", json=fields, auth=caller.auth)
    assert answer.status_code == 200, answer.json
    return answer.json["data"]


def every_answer_about(client, caller, hook_id) -> list[str]:
    """The raw JSON of each answer that shows the webhook."""
    return [client.get(path, auth=caller.auth).get_data(as_text=True)
            for path in (f"/api/webhooks/{hook_id}", "/api/webhooks")]


@pytest.mark.parametrize("host", ["hooks.slack.com", "hooks.slack-gov.com", "Hooks.Slack.com"])
def test_a_slack_url_makes_a_slack_webhook_that_is_shown_masked(client, owner, host):
    answer = client.post("/api/webhooks", json={"url": f"https://{host}/services/T0/B0/{SECRET}"}, auth=owner.auth)

    assert answer.status_code == 201, answer.json
    hook = answer.json["data"]
    assert hook["kind"] == "slack"
    assert hook["url"].startswith(f"https://{host}/services/T0/B0/")
    assert hook["events"] == list(SLACK_DEFAULT) and "webhook.scan_started" not in hook["events"]
    for raw in [answer.get_data(as_text=True), *every_answer_about(client, owner, hook["id"])]:
        assert hook["id"] in raw and SECRET not in raw


@pytest.mark.parametrize("url", [
    "https://not-hooks.slack.com/services/T0/B0/Secret1",
    "https://hooks.slack.com/api/chat.postMessage",
    "http://127.0.0.1:9/services/T0/B0/Secret1",
])
def test_other_urls_make_generic_webhooks(client, owner, url):
    hook = create(client, owner, url=url)

    assert hook["kind"] == "generic"
    assert hook["events"] == list(SUBSCRIBABLE)


def test_the_kind_can_be_set_by_hand_for_a_proxy_or_a_stand_in(client, owner):
    hook = create(client, owner, url="http://127.0.0.1:9/services/T0/B0/Secret1", kind="slack")

    assert hook["kind"] == "slack"
    assert hook["events"] == list(SLACK_DEFAULT)
    assert change(client, owner, hook, description="Slack through the office proxy")["kind"] == "slack"
    assert change(client, owner, hook, kind="generic")["kind"] == "generic"


def test_changing_the_url_detects_the_kind_again(client, owner):
    hook = create(client, owner, url="http://127.0.0.1:9/hook")
    slack_url = f"https://hooks.slack.com/services/T0/B0/{SECRET}"

    to_slack = change(client, owner, hook, url=slack_url)
    back = change(client, owner, hook, url="http://127.0.0.1:9/other")
    by_hand = change(client, owner, hook, url="http://127.0.0.1:9/proxy/slack", kind="slack")

    assert to_slack["kind"] == "slack" and SECRET not in to_slack["url"]
    assert (back["kind"], back["url"]) == ("generic", "http://127.0.0.1:9/other")
    assert by_hand["kind"] == "slack"


def test_a_slack_url_is_masked_whatever_kind_it_was_given(client, owner):
    hook = create(client, owner, url=f"https://hooks.slack.com/services/T0/B0/{SECRET}", kind="generic")

    assert hook["kind"] == "generic"
    for raw in every_answer_about(client, owner, hook["id"]):
        assert SECRET not in raw
