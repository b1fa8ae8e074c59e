"""The "Dismiss…" button on new-issue messages: Slack's signed click opens the
modal through the Web API stand-in's `views.open`; Slack's signed submission
dismisses through Patrol's API as the workspace's account, and for no other."""
from __future__ import annotations

import json
from datetime import date, timedelta

import pytest

from bot.dismiss_form import CALLBACK, COMMENT, EXPIRES, REASON, SCOPE, VALUE
from slackkit.blocks import DISMISS_ISSUE
from tests.support.receivers import wait_until
from tests.support.slack_api_standin import Workspace
from tests.support.slack_steps import TEAM, single_workspace, vulnerable_server

pytestmark = pytest.mark.extensions("bot")

BOT = Workspace(team_id=TEAM, bot_token="xoxb-dismiss-token")


@pytest.fixture
def app_config(app_config, slack_api):
    return single_workspace(app_config, slack_api, BOT)


def open_issues(client, caller, server_id, **filters):
    query = "&".join(f"{name}={value}" for name, value in filters.items())
    return client.get(f"/api/servers/{server_id}/issues?per_page=200&{query}", auth=caller.auth).json["data"]


def click_dismiss(slack, slack_api, server_id, issue_id, answers, team_id=TEAM):
    """Click "Dismiss…" and return the modal the bot opened."""
    before = len(slack_api.calls("views.open"))
    acked = slack.click(DISMISS_ISSUE, f"{server_id}:{issue_id}", team_id=team_id,
                        response_url=answers.url("/response"))
    assert acked.status_code == 200 and acked.text == ""
    opened = wait_until(lambda: slack_api.calls("views.open")[before:], what="views.open")
    (call,) = opened
    assert call.answer["ok"] is True, call.answer
    return call.answer["view"]


def chosen(value):
    return {"selected_option": {"text": {"type": "plain_text", "text": value}, "value": value}}


def state(reason="risk_accepted", scope="issue", expires=None, comment=None):
    """The view's state as Slack reports it on submission."""
    values = {SCOPE: {VALUE: {"type": "radio_buttons", **chosen(scope)}},
              EXPIRES: {VALUE: {"type": "datepicker", "selected_date": expires}},
              COMMENT: {VALUE: {"type": "plain_text_input", "value": comment}}}
    values[REASON] = {VALUE: {"type": "static_select", **(chosen(reason) if reason else {"selected_option": None})}}
    return values


def submit(slack, view, values, team_id=TEAM):
    answered = slack.submit(view, values, team_id=team_id)
    assert answered.status_code == 200, answered.text
    return answered.json()


def test_dismiss_opens_a_modal_and_its_submission_dismisses_as_the_linked_account(
    client, db, slack, slack_api, receivers, owner,
):
    server_id = vulnerable_server(client, db, owner, "web1", scanned=True)
    issue = open_issues(client, owner, server_id)[0]
    answers = receivers()

    view = click_dismiss(slack, slack_api, server_id, issue["id"], answers)

    assert view["type"] == "modal" and view["callback_id"] == CALLBACK
    assert issue["advisory"]["id"] in view["blocks"][0]["text"]["text"]
    assert [b.get("block_id") for b in view["blocks"][1:]] == [REASON, SCOPE, EXPIRES, COMMENT]
    (call,) = slack_api.calls("views.open")
    assert call.token == BOT.bot_token and call.args["trigger_id"]
    expires = (date.today() + timedelta(days=30)).isoformat()

    answer = submit(slack, view, state("risk_accepted", "issue", expires, "WAF rule 12 blocks it"))

    assert answer["response_action"] == "update"
    assert answer["view"]["title"]["text"] == "Dismissed"
    assert f"dismissed (Risk accepted) until {expires}" in answer["view"]["blocks"][0]["text"]["text"]
    assert "The alert in the channel is left as it was" in answer["view"]["blocks"][0]["text"]["text"]
    assert issue["id"] not in [i["id"] for i in open_issues(client, owner, server_id)]
    (dismissed,) = [i for i in open_issues(client, owner, server_id, dismissed="true") if i["id"] == issue["id"]]
    decision = dismissed["dismissal"]
    assert (decision["scope"], decision["reason"], decision["comment"]) == ("issue", "risk_accepted",
                                                                            "WAF rule 12 blocks it")
    assert decision["expires_at"].startswith(expires) and decision["by"].startswith("ada (Slack U0CLICKER) via ")
    assert answers.requests == []  # the modal was the answer


def test_the_advisory_can_be_dismissed_on_every_server_of_the_account(client, db, slack, slack_api, receivers,
                                                                        owner):
    server_id = vulnerable_server(client, db, owner, "web1", scanned=True)
    issue = open_issues(client, owner, server_id)[0]
    view = click_dismiss(slack, slack_api, server_id, issue["id"], receivers())

    answer = submit(slack, view, state("not_affected", "account"))

    assert answer["response_action"] == "update"
    (row,) = client.get("/api/dismissals", auth=owner.auth).json["data"]
    assert (row["scope"], row["advisory"], row["server_id"]) == ("account", issue["advisory"]["id"], None)


@pytest.mark.parametrize(("values", "block"), [
    (state(reason=None), REASON),
    (state(expires="2001-01-01"), EXPIRES),
    (state(scope="galaxy"), SCOPE),
])
def test_a_form_that_is_not_valid_is_answered_with_errors_beside_its_fields(
    client, db, slack, slack_api, receivers, owner, values, block,
):
    server_id = vulnerable_server(client, db, owner, "web1", scanned=True)
    issue = open_issues(client, owner, server_id)[0]
    view = click_dismiss(slack, slack_api, server_id, issue["id"], receivers())

    answer = submit(slack, view, values)

    assert answer["response_action"] == "errors" and list(answer["errors"]) == [block]
    assert answer["errors"][block]
    assert client.get("/api/dismissals", auth=owner.auth).json["data"] == []


def test_another_accounts_issue_cannot_be_dismissed_by_click_or_by_a_forged_form(
    client, db, slack, slack_api, receivers, owner, make_account,
):
    stranger = make_account()
    theirs = vulnerable_server(client, db, stranger, "secret", scanned=True)
    their_issue = open_issues(client, stranger, theirs)[0]
    mine = vulnerable_server(client, db, owner, "web1", scanned=True)
    view = click_dismiss(slack, slack_api, mine, open_issues(client, owner, mine)[0]["id"], receivers())

    answers = receivers()
    acked = slack.click(DISMISS_ISSUE, f"{theirs}:{their_issue['id']}", team_id=TEAM,
                        response_url=answers.url("/response"))
    (answer,) = answers.wait_for(1)
    forged_metadata = json.dumps({**json.loads(view["private_metadata"]), "server_id": theirs,
                                  "issue_id": their_issue["id"], "advisory": their_issue["advisory"]["id"]})
    forged = submit(slack, {**view, "private_metadata": forged_metadata}, state("risk_accepted", "issue"))

    assert acked.status_code == 200
    assert answer.json()["text"] == "That server is no longer in your Patrol account."
    assert answer.json()["response_type"] == "ephemeral"
    assert len(slack_api.calls("views.open")) == 1  # only the owner's own form
    assert forged["response_action"] == "update" and forged["view"]["title"]["text"] == "Not dismissed"
    assert their_issue["id"] in [i["id"] for i in open_issues(client, stranger, theirs)]
    assert client.get("/api/dismissals", auth=stranger.auth).json["data"] == []


def test_an_unlinked_workspace_is_told_privately_and_no_modal_opens(client, db, slack, slack_api, receivers,
                                                                     owner):
    server_id = vulnerable_server(client, db, owner, "web1", scanned=True)
    issue = open_issues(client, owner, server_id)[0]
    answers = receivers()

    slack.click(DISMISS_ISSUE, f"{server_id}:{issue['id']}", team_id="T0NOTLINKED",
                response_url=answers.url("/response"))

    (answer,) = answers.wait_for(1)
    assert answer.json()["text"].startswith("This Slack workspace is not linked to a Patrol account yet.")
    assert answer.json()["response_type"] == "ephemeral"
    assert slack_api.calls("views.open") == []


def test_a_dismissed_issue_cannot_be_dismissed_from_an_old_message_again(client, db, slack, slack_api, receivers,
                                                                        owner):
    server_id = vulnerable_server(client, db, owner, "web1", scanned=True)
    issue = open_issues(client, owner, server_id)[0]
    view = click_dismiss(slack, slack_api, server_id, issue["id"], receivers())
    submit(slack, view, state())
    answers = receivers()

    slack.click(DISMISS_ISSUE, f"{server_id}:{issue['id']}", team_id=TEAM, response_url=answers.url("/response"))

    (answer,) = answers.wait_for(1)
    assert answer.json()["text"] == "That issue is no longer open on this server, or it is already dismissed."
    assert len(slack_api.calls("views.open")) == 1
