"""The buttons on Patrol's Slack messages, clicked in a linked workspace:
they act for the account the workspace is linked to, and for no other."""
from __future__ import annotations

import pytest
from sqlalchemy import select

from patrol.models import Scan
from slackkit.blocks import OPEN_SERVER, SCAN_AGAIN, SHOW_ISSUES
from tests.support.slack_steps import TEAM, over_http

pytestmark = pytest.mark.extensions("bot")


@pytest.fixture
def app_config(app_config, slack_api):
    return over_http(app_config, slack_api)


def scans_of(db, server_id):
    with db.session() as session:
        found = session.scalars(select(Scan).where(Scan.server_id == server_id))
        return [(scan.trigger, scan.status) for scan in found]


def test_scan_again_starts_a_scan_and_answers_only_the_clicker(db, slack, receivers, owner, make_server):
    server_id = make_server(owner, "web1.example.com")

    answer = slack.press(SCAN_AGAIN, str(server_id), team_id=TEAM, answers=receivers())

    assert scans_of(db, server_id) == [("slack", "running")]
    assert answer["response_type"] == "ephemeral" and answer["replace_original"] is False
    assert answer["text"].startswith(":mag: Scanning *web1.example.com* now.")


def test_show_issues_lists_the_servers_open_issues(slack, receivers, owner, make_server):
    server_id = make_server(owner, "web1.example.com")

    answer = slack.press(SHOW_ISSUES, str(server_id), team_id=TEAM, answers=receivers())

    assert answer["text"] == (":warning: *web1.example.com*: No software reported, "
                              "so no open issues is no all-clear.")
    assert answer["replace_original"] is False


def test_open_in_patrol_is_only_acknowledged(slack, receivers, owner, make_server):
    answers = receivers()
    server_id = make_server(owner, "web1.example.com")

    clicked = slack.click(OPEN_SERVER, str(server_id), team_id=TEAM, response_url=answers.url("/response"))

    assert clicked.status_code == 200 and clicked.text == ""
    assert answers.requests == []


@pytest.mark.parametrize("action_id", [SCAN_AGAIN, SHOW_ISSUES])
def test_a_button_for_another_accounts_server_does_nothing_to_it(db, slack, receivers, owner, make_account,
                                                                 make_server, action_id):
    stranger = make_account()
    theirs = make_server(stranger, "secret.example.com")

    answer = slack.press(action_id, str(theirs), team_id=TEAM, answers=receivers())

    assert answer["text"] == "That server is no longer in your Patrol account."
    assert "secret.example.com" not in str(answer)
    assert scans_of(db, theirs) == []


@pytest.mark.parametrize("value", ["../webhooks", "0", "99999999999", ""])
def test_a_button_value_patrol_never_sends_is_refused(slack, receivers, owner, value):
    answer = slack.press(SCAN_AGAIN, value, team_id=TEAM, answers=receivers())

    assert answer["text"] == "That server is no longer in your Patrol account."


def test_a_button_in_an_unlinked_workspace_is_told_to_link(db, slack, receivers, owner, make_server):
    server_id = make_server(owner, "web1.example.com")

    answer = slack.press(SCAN_AGAIN, str(server_id), team_id="T0ELSEWHERE", answers=receivers())

    assert answer["text"].startswith("This Slack workspace is not linked to a Patrol account yet.")
    assert scans_of(db, server_id) == []
