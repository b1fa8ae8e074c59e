"""Steps the Slack app's tests share: Slack's requests to the live app, a
workspace linked to a new account, the OAuth install, and a server with known
vulnerabilities. The fixtures built on them live in tests/integration/bot/conftest.py."""
from __future__ import annotations

from urllib.parse import parse_qs, urlsplit

from flask import Flask
from flask.testing import FlaskClient
from werkzeug.test import TestResponse

from bot import oauth

from patrol import demo
from patrol.scanning import workers
from tests.support.live_server import LiveServer
from tests.support.slack_api_standin import SlackApiStandin, SlackRequests, Workspace

SIGNING_SECRET = "b7e151628aed2a6abf7158809cf4f3c7"  # the Slack app's, in every test that talks to it
TEAM = "T0LINKED01"  # the workspace `linked_account` links



def over_http(config: dict, slack_api: SlackApiStandin, **more: object) -> dict:
    """`config` for the Slack app over HTTP (SIGNING_SECRET), Slack's Web API on the stand-in."""
    config.update(SLACK_SIGNING_SECRET=SIGNING_SECRET, SLACK_API_URL=slack_api.base_url, **more)
    return config


def single_workspace(config: dict, slack_api: SlackApiStandin, bot: Workspace, **more: object) -> dict:
    """`config` for the Slack app over HTTP in one workspace (`bot`'s token)."""
    slack_api.add_bot(bot)
    return over_http(config, slack_api, SLACK_BOT_TOKEN=bot.bot_token, **more)


def oauth_distribution(config: dict, slack_api: SlackApiStandin, **more: object) -> dict:
    """`config` for the Slack app over HTTP, installed into workspaces through OAuth."""
    return over_http(config, slack_api, SLACK_CLIENT_ID=slack_api.client_id,
                     SLACK_CLIENT_SECRET=slack_api.client_secret, **more)


def slack_requests(app: Flask, live: LiveServer) -> SlackRequests:
    """Slack calling the live app; the bot calls the API on the same live server."""
    app.config["API_URL"] = live.base_url + "/api"
    return SlackRequests(live.base_url, SIGNING_SECRET)


def start_install(client: FlaskClient) -> str:
    """/slack/install: off to Slack's consent page; the state it carries."""
    started = client.get(oauth.INSTALL_PATH)
    assert started.status_code == 302
    consent = urlsplit(started.headers["Location"])
    assert (consent.scheme, consent.netloc, consent.path) == ("https", "slack.com", "/oauth/v2/authorize")
    query = parse_qs(consent.query)
    assert query["scope"] == [",".join(oauth.SCOPES)]
    return query["state"][0]


def finish_install(client: FlaskClient, slack_api: SlackApiStandin, workspace: Workspace, state: str) -> TestResponse:
    """Slack sends the browser back with a code for `workspace`."""
    code = slack_api.install(workspace)
    return client.get(f"{oauth.REDIRECT_PATH}?code={code}&state={state}")


def linked_account(runner, make_account, team_id: str = TEAM):
    """A new account that Slack workspace `team_id` acts for."""
    caller = make_account()
    linked = runner.invoke(args=["slack", "link", team_id, caller.email])
    assert linked.exit_code == 0, linked.output
    return caller


def vulnerable_server(client, db, owner, name: str, *, scanned: bool = False) -> int:
    """A server whose composer.lock has known advisories; scanned once when `scanned`."""
    demo.import_advisories(db)
    server_id = client.post("/api/servers", json={"domain": name}, auth=owner.auth).json["data"]["id"]
    pushed = client.post(f"/api/servers/{server_id}/software_bucket/composer", auth=owner.auth,
                         json={"software": demo.lockfile_items("composer")})
    assert pushed.status_code == 200
    if scanned:
        assert client.post(f"/api/servers/{server_id}/scan", auth=owner.auth).status_code == 202
        assert workers.run_one(db)
    return server_id
