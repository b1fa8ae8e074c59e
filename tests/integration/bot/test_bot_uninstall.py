"""An OAuth-installed workspace removes the app: its installation and bot tokens
leave the store at once, its channel subscriptions go, and the web page shows
it as disconnected. Until then its subscriptions post with the install's token."""
from __future__ import annotations

import pytest
from sqlalchemy import select, text

from patrol import background
from tests.support.receivers import wait_until
from tests.support.slack_api_standin import SlackRequests
from tests.support.slack_steps import SIGNING_SECRET, finish_install, oauth_distribution, start_install
from tests.support.web_pages import signed_in_as
from webhooks.models import SLACK_CHANNEL, Webhook

pytestmark = pytest.mark.extensions("bot")


@pytest.fixture
def app_config(app_config, slack_api):
    return oauth_distribution(app_config, slack_api, WEBHOOK_POLL_INTERVAL=0.1, SLACK_MIN_INTERVAL=0.05)


@pytest.fixture
def installed(app, client, db, slack_api, workspace, make_account, live_server):
    owner = make_account()
    signed_in_as(client, db, owner.account_id)
    assert finish_install(client, slack_api, workspace, start_install(client)).status_code == 302
    app.config["API_URL"] = live_server.base_url + "/api"
    return owner


def stored_tokens(db, team_id):
    with db.session() as session:
        return [session.scalar(text(f"SELECT count(*) FROM {table} WHERE team_id = :team"), {"team": team_id})
                for table in ("slack_installations", "slack_bots")]


def test_uninstalling_removes_tokens_and_subscriptions_and_the_page_says_disconnected(
        app, client, db, slack_api, workspace, installed, live_server, receivers):
    slack = SlackRequests(live_server.base_url, SIGNING_SECRET)
    slack.command("subscribe all", team_id=workspace.team_id, response_url=receivers().url("/response"))
    (hook_id,) = wait_until(lambda: _subscriptions(db), what="the subscription")
    background.get(app).start()
    client.post(f"/api/webhooks/{hook_id}/test", auth=installed.auth)
    posted = wait_until(lambda: slack_api.calls("chat.postMessage")[1:], what="the test message")
    assert posted[0].token == workspace.bot_token  # the install's own token, from the sealed store
    assert stored_tokens(db, workspace.team_id) == [1, 1]

    assert slack.event({"type": "app_uninstalled"}, team_id=workspace.team_id).status_code == 200

    wait_until(lambda: stored_tokens(db, workspace.team_id) == [0, 0], what="the tokens gone")
    wait_until(lambda: not _subscriptions(db), what="the subscriptions gone")
    page = client.get("/api-settings").get_data(as_text=True)
    assert "Disconnected" in page and workspace.team_id in page
    assert "its channel subscriptions went with it" in page


def _subscriptions(db):
    with db.session() as session:
        return list(session.scalars(select(Webhook.id).where(Webhook.kind == SLACK_CHANNEL)))
