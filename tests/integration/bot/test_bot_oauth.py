"""Distribution through OAuth, end to end: a signed-in person starts the install
on Patrol, Slack (the stand-in's `oauth.v2.access`) answers the callback, and
the workspace ends up linked to that person's account with its Slack webhook."""
from __future__ import annotations

import pytest
from sqlalchemy import select, text

from bot import oauth
from bot.models import WorkspaceLink
from patrol import background
from tests.support.receivers import wait_until
from tests.support.slack_api_standin import SlackRequests, Workspace
from tests.support.slack_steps import SIGNING_SECRET, finish_install, oauth_distribution, start_install
from tests.support.web_pages import signed_in_as
from webhooks.models import Webhook

pytestmark = pytest.mark.extensions("bot")


@pytest.fixture
def app_config(app_config, slack_api):
    return oauth_distribution(app_config, slack_api, WEBHOOK_POLL_INTERVAL=0.1)


def test_installing_from_the_web_page_links_the_workspace_and_adds_its_slack_webhook(
        app, client, db, slack_api, workspace, incoming, make_account):
    owner = make_account()
    signed_in_as(client, db, owner.account_id)

    done = finish_install(client, slack_api, workspace, start_install(client))

    assert done.status_code == 302 and done.headers["Location"] == "/api-settings"
    (exchange,) = slack_api.calls("oauth.v2.access")
    assert exchange.client == (slack_api.client_id, slack_api.client_secret)
    with db.session() as session:
        link = session.scalar(select(WorkspaceLink))
        hooks = list(session.scalars(select(Webhook)))
    assert (link.team_id, link.account_id) == ("T0OAUTH01", owner.account_id)
    assert [(hook.account_id, hook.kind, hook.url) for hook in hooks] == [
        (owner.account_id, "slack", workspace.incoming_webhook_url)]
    assert hooks[0].description == "Slack #alerts Acme"

    background.get(app).start()
    sent = client.post(f"/api/webhooks/{hooks[0].id}/test", auth=owner.auth)
    assert sent.status_code in (200, 201, 202)
    (message,) = wait_until(lambda: incoming.received, what="the test message in the channel")
    assert message.status == 200 and owner.email in message.payload["text"]


def test_an_installed_workspace_answers_slash_commands_for_the_linked_account(
        app, client, db, slack_api, workspace, make_account, make_server, live_server, receivers):
    owner = make_account()
    make_server(owner, "db1.example.com")
    signed_in_as(client, db, owner.account_id)
    finish_install(client, slack_api, workspace, start_install(client))
    app.config["API_URL"] = live_server.base_url + "/api"
    answers = receivers()

    slack = SlackRequests(live_server.base_url, SIGNING_SECRET)
    acked = slack.command("status", team_id=workspace.team_id, response_url=answers.url("/r"))

    assert acked.status_code == 200
    (answer,) = answers.wait_for(1)
    assert answer.json()["text"] == "1 server, 0 open issues."


def test_bot_tokens_are_sealed_in_the_database(client, db, slack_api, workspace, make_account, app):
    signed_in_as(client, db, make_account().account_id)
    finish_install(client, slack_api, workspace, start_install(client))

    with db.engine.connect() as connection:
        stored = connection.execute(text("SELECT bot_token FROM slack_installations")).scalar_one()
        bot_stored = connection.execute(text("SELECT bot_token FROM slack_bots")).scalar_one()
    assert workspace.bot_token not in stored and workspace.bot_token not in bot_stored
    store = app.extensions["bot.bolt"].installation_store
    found = store.find_installation(enterprise_id=None, team_id=workspace.team_id)
    assert found.bot_token == workspace.bot_token
    assert store.find_bot(enterprise_id=None, team_id=workspace.team_id).bot_token == workspace.bot_token


def test_install_needs_a_signed_in_account(client):
    started = client.get(oauth.INSTALL_PATH)

    assert started.status_code == 302
    assert started.headers["Location"] == "/signin?next=%2Fslack%2Finstall"


def test_a_state_changed_to_name_another_account_links_nothing(client, db, slack_api, workspace, make_account):
    attacker, victim = make_account(), make_account()
    signed_in_as(client, db, attacker.account_id)
    state = start_install(client)
    forged = state.rpartition(".")[0] + f".{victim.account_id}"

    done = finish_install(client, slack_api, workspace, forged)

    assert done.status_code == 400  # Bolt's failure page: the browser's state cookie does not match
    assert slack_api.calls("oauth.v2.access") == []
    with db.session() as session:
        assert session.scalar(select(WorkspaceLink)) is None


def test_a_state_can_be_used_once(client, db, slack_api, workspace, make_account):
    signed_in_as(client, db, make_account().account_id)
    state = start_install(client)
    assert finish_install(client, slack_api, workspace, state).status_code == 302
    client.set_cookie("slack-app-oauth-state", state)  # even with the cookie put back

    again = finish_install(client, slack_api, Workspace(team_id="T0OTHER01"), state)

    assert again.status_code == 401
    with db.session() as session:
        assert [row.team_id for row in session.scalars(select(WorkspaceLink))] == ["T0OAUTH01"]


def test_a_cancelled_install_links_nothing(client, db, slack_api, make_account):
    signed_in_as(client, db, make_account().account_id)
    state = start_install(client)

    cancelled = client.get(f"{oauth.REDIRECT_PATH}?error=access_denied&state={state}")

    assert cancelled.status_code == 200 and b"access_denied" in cancelled.data
    with db.session() as session:
        assert session.scalar(select(WorkspaceLink)) is None


def test_a_code_slack_does_not_accept_links_nothing(client, db, slack_api, make_account):
    signed_in_as(client, db, make_account().account_id)
    state = start_install(client)

    refused = client.get(f"{oauth.REDIRECT_PATH}?code=made-up&state={state}")

    assert refused.status_code == 401 and b"invalid_code" in refused.data
    assert [call.method for call in slack_api.calls()] == ["oauth.v2.access"]
    with db.session() as session:
        assert session.scalar(select(WorkspaceLink)) is None


@pytest.mark.parametrize("method, path", [
    ("GET", "/slack/oauth_redirect?code=junk&state=junk"),
    ("GET", "/slack/oauth_redirect?error=access_denied&state=%ff%fe"),
    ("GET", "/slack/oauth_redirect?code=%00&state=%00"),
    ("POST", "/slack/oauth_redirect"),
    ("POST", "/slack/install"),
    ("GET", "/slack/install?x=%00"),
])
def test_junk_to_the_other_slack_routes_is_never_a_500(client, caplog, method, path):
    answer = client.open(path, method=method, data=b"\xff{junk")

    assert answer.status_code < 500
    assert not [r for r in caplog.records if r.exc_info]
