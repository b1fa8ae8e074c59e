"""Steps the Slack app's tests share: Slack's requests to the live app, a
workspace linked to a new account, and a server with known vulnerabilities."""
from __future__ import annotations

from flask import Flask

from patrol import demo
from patrol.scanning import workers
from tests.support.live_server import LiveServer
from tests.support.slack_api_standin import SlackApiStandin, SlackRequests, Workspace


def single_workspace(config: dict, slack_api: SlackApiStandin, signing_secret: str, bot: Workspace,
                     **more: object) -> dict:
    """`config` for the Slack app in one workspace (`bot`'s token), Slack's Web API on the stand-in."""
    slack_api.add_bot(bot)
    config.update(SLACK_SIGNING_SECRET=signing_secret, SLACK_BOT_TOKEN=bot.bot_token,
                  SLACK_API_URL=slack_api.base_url, **more)
    return config


def slack_requests(app: Flask, live: LiveServer, signing_secret: str) -> SlackRequests:
    """Slack calling the live app; the bot calls the API on the same live server."""
    app.config["API_URL"] = live.base_url + "/api"
    return SlackRequests(live.base_url, signing_secret)


def linked_account(runner, make_account, team_id: str):  # pytest's runner and Caller
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
