"""Fixtures every Slack app test shares: the stand-ins for Slack's Web API and
Incoming Webhooks, the live app Slack calls, and a workspace linked to an account.

Each module still says how its Slack app is configured (its `app_config`,
built with the steps in tests/support/slack_steps.py).
"""
from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.support.live_server import live_server  # noqa: F401 - a fixture
from tests.support.receivers import receivers  # noqa: F401 - a fixture
from tests.support.slack_api_standin import SlackRequests, Workspace, slack_api  # noqa: F401 - a fixture
from tests.support.slack_standin import SlackStandin
from tests.support.slack_steps import linked_account, slack_requests


@pytest.fixture
def slack(app, live_server) -> SlackRequests:
    return slack_requests(app, live_server)


@pytest.fixture
def owner(make_account, runner):
    """A new account that the workspace TEAM acts for."""
    return linked_account(runner, make_account)


@pytest.fixture
def incoming() -> Iterator[SlackStandin]:
    """Slack's Incoming Webhooks, on loopback."""
    with SlackStandin() as standin:
        yield standin


@pytest.fixture
def workspace(incoming: SlackStandin) -> Workspace:
    """A workspace that installs the app through OAuth, with an incoming webhook for #alerts."""
    return Workspace(team_id="T0OAUTH01", team_name="Acme", channel="#alerts",
                     incoming_webhook_url=incoming.webhook_url("T0OAUTH01", "B0HOOK1", "Secret1"))
