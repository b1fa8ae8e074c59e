"""The Events API, signed as Slack signs it: App Home, link unfurls, and a
workspace removing the app; and a button that marks the message it is on."""
from __future__ import annotations

import json
from urllib.parse import urlencode

import pytest
from sqlalchemy import select

from bot.models import WorkspaceLink
from patrol.advisories import sync
from patrol.feeds import state as feeds
from patrol.models import Credential
from slackkit.blocks import SCAN_AGAIN
from tests.support.receivers import wait_until
from tests.support.slack_api_standin import Workspace
from tests.support.slack_steps import TEAM, single_workspace, vulnerable_server
from webhooks.models import SLACK_CHANNEL, Webhook

pytestmark = pytest.mark.extensions("bot")

BOT = Workspace(team_id=TEAM, bot_token="xoxb-events-token")
PUBLIC_URL = "https://patrol.acme.test"


@pytest.fixture
def app_config(app_config, slack_api):
    return single_workspace(app_config, slack_api, BOT, PUBLIC_URL=PUBLIC_URL)


def texts(blocks):
    return "\n".join(str(block) for block in blocks)


def home_opened(slack, team_id=TEAM, user="U0ANN"):
    sent = slack.event({"type": "app_home_opened", "user": user, "channel": "D0HOME", "tab": "home"},
                       team_id=team_id)
    assert sent.status_code == 200


def test_app_home_shows_the_linked_accounts_servers_worst_first(app, client, db, slack, slack_api, owner,
                                                                 make_server):
    clean = make_server(owner, "aaa-clean.example.com")
    worst = vulnerable_server(client, db, owner, "zzz-vulnerable.example.com", scanned=True)
    feed = sync.FEED_PREFIX + "Packagist"
    feeds.claim(db, feed, force=True)
    feeds.succeeded(db, feed, 86400, records=12)

    home_opened(slack)

    (published,) = wait_until(lambda: slack_api.calls("views.publish"), what="the Home view")
    assert published.args["user_id"] == "U0ANN" and published.token == BOT.bot_token
    view = published.answer["view"]
    shown = texts(view["blocks"])
    assert shown.index("zzz-vulnerable") < shown.index("aaa-clean")  # worst first, not by name
    assert "*Advisory database:* synced <!date^" in shown and "the oldest of 1 ecosystem" in shown
    scan_buttons = [element["value"] for block in view["blocks"] if block["type"] == "actions"
                    for element in block["elements"] if element["action_id"] == SCAN_AGAIN]
    assert scan_buttons == [str(worst), str(clean)]
    assert f"{PUBLIC_URL}/servers/{worst}" in shown
    assert "No channel gets Patrol's news yet" in shown


def test_app_home_in_an_unlinked_workspace_says_how_to_link(slack, slack_api, owner):
    home_opened(slack, team_id="T0UNLINKED")

    (published,) = wait_until(lambda: slack_api.calls("views.publish"), what="the Home view")
    assert "is not linked to a Patrol account yet" in texts(published.answer["view"]["blocks"])


def test_app_home_says_when_advisories_were_never_synced(slack, slack_api, owner):
    home_opened(slack)

    (published,) = wait_until(lambda: slack_api.calls("views.publish"), what="the Home view")
    assert "not synced yet" in texts(published.answer["view"]["blocks"])


def test_a_link_to_a_server_page_unfurls_into_its_status_card(client, db, slack, slack_api, owner, make_account,
                                                               make_server):
    mine = vulnerable_server(client, db, owner, "web1.example.com", scanned=True)
    theirs = make_server(make_account(), "secret.example.com")
    links = [{"domain": "patrol.acme.test", "url": f"{PUBLIC_URL}/servers/{mine}"},
             {"domain": "patrol.acme.test", "url": f"{PUBLIC_URL}/servers/{theirs}"},
             {"domain": "patrol.acme.test", "url": f"{PUBLIC_URL}/api-settings"}]

    slack.event({"type": "link_shared", "channel": "C0ALERTS", "user": "U0ANN", "message_ts": "1700000000.000100",
                 "links": links}, team_id=TEAM)

    (unfurl,) = wait_until(lambda: slack_api.calls("chat.unfurl"), what="the unfurl")
    assert unfurl.answer == {"ok": True}
    assert unfurl.args["channel"] == "C0ALERTS" and unfurl.args["ts"] == "1700000000.000100"
    assert list(unfurl.args["unfurls"]) == [f"{PUBLIC_URL}/servers/{mine}"]  # not another account's server
    card = texts(unfurl.args["unfurls"][f"{PUBLIC_URL}/servers/{mine}"]["blocks"])
    assert "web1.example.com" in card and "high" in card and "secret" not in card


def test_links_in_an_unlinked_workspace_do_not_unfurl(client, db, slack, slack_api, owner):
    mine = vulnerable_server(client, db, owner, "web1.example.com", scanned=True)
    shared = {"type": "link_shared", "channel": "C0ALERTS", "user": "U0ANN", "message_ts": "1.2",
              "links": [{"domain": "patrol.acme.test", "url": f"{PUBLIC_URL}/servers/{mine}"}]}

    slack.event({**shared, "message_ts": "1.1"}, team_id="T0UNLINKED")
    slack.event(shared, team_id=TEAM)  # a linked one after it, so the first has surely been handled

    (unfurl,) = wait_until(lambda: slack_api.calls("chat.unfurl"), what="the linked unfurl")
    assert unfurl.args["ts"] == "1.2"
    assert len(slack_api.calls("chat.unfurl")) == 1


def test_scan_again_marks_the_message_it_is_on(db, slack, receivers, owner, make_server):
    server_id = make_server(owner, "web1.example.com")
    answers = receivers()
    message = {"type": "message", "ts": "1.5", "text": "web1: scan finished",
               "blocks": [{"type": "section", "block_id": "b0", "text": {"type": "mrkdwn", "text": "finished"}}]}

    slack.click(SCAN_AGAIN, str(server_id), team_id=TEAM, response_url=answers.url("/response"),
                message=message, user_id="U0ANN")

    replaced, answer = (r.json() for r in answers.wait_for(2))
    assert replaced["replace_original"] is True
    assert replaced["blocks"][0]["text"]["text"] == "finished"
    assert replaced["blocks"][-1]["elements"][0]["text"] == ":mag: Scan requested by <@U0ANN>"
    assert answer["response_type"] == "ephemeral" and answer["text"].startswith(":mag: Scanning")


@pytest.mark.parametrize("event", [
    {"type": "app_uninstalled"},
    {"type": "tokens_revoked", "tokens": {"oauth": [], "bot": ["U0PATROL"]}},
])
def test_losing_the_workspace_removes_its_subscriptions_and_disconnects_it(client, db, slack, slack_api, receivers,
                                                                          owner, event):
    acked = slack.command("subscribe all", team_id=TEAM, response_url=receivers().url("/response"))
    assert acked.status_code == 200
    wait_until(lambda: _subscriptions(db), what="the subscription")

    assert slack.event(event, team_id=TEAM).status_code == 200

    link = wait_until(lambda: _disconnected(db), what="the workspace disconnected")
    assert _subscriptions(db) == []
    with db.session() as session:
        credential = session.scalar(select(Credential).where(Credential.key == link.credential_key))
        assert credential.revoked_at is not None
    answer = slack.ask("status", team_id=TEAM, answers=receivers())
    assert answer["text"].startswith("This Slack workspace is not linked to a Patrol account yet.")


def _subscriptions(db):
    with db.session() as session:
        return list(session.scalars(select(Webhook.id).where(Webhook.kind == SLACK_CHANNEL)))


def _disconnected(db):
    with db.session() as session:
        link = session.scalar(select(WorkspaceLink).where(WorkspaceLink.team_id == TEAM))
        if link is not None and link.disconnected_at is not None:
            session.expunge(link)
            return link
        return None


def test_scan_from_app_home_publishes_home_again_with_what_happened(db, slack, slack_api, owner, make_server):
    server_id = make_server(owner, "web1.example.com")
    payload = {"type": "block_actions", "api_app_id": "A0PATROL", "team": {"id": TEAM}, "trigger_id": "1.2.3",
               "user": {"id": "U0ANN", "team_id": TEAM}, "container": {"type": "view", "view_id": "V0HOME"},
               "view": {"id": "V0HOME", "type": "home"},
               "actions": [{"type": "button", "action_id": SCAN_AGAIN, "block_id": "b1", "value": str(server_id),
                            "action_ts": "1.1"}]}

    assert slack.post(urlencode({"payload": json.dumps(payload)})).status_code == 200

    (published,) = wait_until(lambda: slack_api.calls("views.publish"), what="the Home view again")
    note = published.answer["view"]["blocks"][0]
    assert note["type"] == "context" and note["elements"][0]["text"].startswith(":mag: Scanning *web1.example.com*")
