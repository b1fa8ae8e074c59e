"""The Web API stand-in's `views.open` answers as Slack documents it, so the
bot's modal is judged by rules written apart from the bot."""
from __future__ import annotations

import pytest
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from bot.dismiss_form import Target, view
from tests.support.slack_api_standin import Workspace, slack_api  # noqa: F401 - a fixture

BOT = Workspace(team_id="T0VIEWS01", bot_token="xoxb-views-token")
ISSUE = {"software": {"name": "lodash", "version": "4.17.15"}, "advisory": {"id": "GHSA-1", "severity": "high"}}


@pytest.fixture
def client(slack_api):
    slack_api.add_bot(BOT)
    return WebClient(token=BOT.bot_token, base_url=slack_api.base_url)


def error_of(call) -> str:
    with pytest.raises(SlackApiError) as raised:
        call()
    return raised.value.response["error"]


def test_the_dismiss_modal_opens_once_per_trigger(client):
    modal = view(Target(1, "web1", 2, "GHSA-1"), ISSUE)

    opened = client.views_open(trigger_id="12.34.ab", view=modal)

    assert opened["view"]["id"].startswith("V") and opened["view"]["callback_id"] == modal["callback_id"]
    assert opened["view"]["private_metadata"] == modal["private_metadata"]
    assert error_of(lambda: client.views_open(trigger_id="12.34.ab", view=modal)) == "exchanged_trigger_id"


@pytest.mark.parametrize("change", [
    {"title": {"type": "plain_text", "text": "A title longer than twenty-four"}},
    {"submit": None},
    {"type": "home"},
])
def test_a_modal_slack_would_refuse_is_invalid_arguments(client, change):
    modal = {**view(Target(1, "web1", 2, "GHSA-1"), ISSUE), **change}
    modal = {name: value for name, value in modal.items() if value is not None}

    assert error_of(lambda: client.views_open(trigger_id="56.78.cd", view=modal)) == "invalid_arguments"


def test_views_open_needs_a_bot_token_and_a_trigger(slack_api, client):
    modal = view(Target(1, "web1", 2, "GHSA-1"), ISSUE)
    stranger = WebClient(token="xoxb-unknown", base_url=slack_api.base_url)

    assert error_of(lambda: stranger.views_open(trigger_id="1.2.3", view=modal)) == "invalid_auth"
    assert error_of(lambda: client.views_open(trigger_id="", view=modal)) == "invalid_arguments"
