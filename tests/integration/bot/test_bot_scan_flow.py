"""`/patrol scan web1` in a linked workspace, to the end: the scan runs and its
events reach the channel through the account's Slack webhook."""
from __future__ import annotations

import pytest

from patrol import background, demo
from tests.support.receivers import wait_until
from tests.support.slack_api_standin import SlackRequests
from tests.support.slack_steps import SIGNING_SECRET, TEAM, over_http

pytestmark = pytest.mark.extensions("bot")


@pytest.fixture
def app_config(app_config, slack_api):
    return over_http(app_config, slack_api, WEBHOOK_POLL_INTERVAL=0.1)


def test_a_scan_started_from_slack_reports_back_in_the_channel(app, client, db, live_server, receivers, runner,
                                                               make_account, incoming):
    app.config["API_URL"] = live_server.base_url + "/api"
    owner = make_account()
    assert runner.invoke(args=["slack", "link", TEAM, owner.email]).exit_code == 0
    hook = client.post("/api/webhooks", auth=owner.auth,
                       json={"url": incoming.webhook_url(), "kind": "slack"}).json["data"]
    assert hook["kind"] == "slack"
    demo.import_advisories(db)
    server_id = client.post("/api/servers", json={"domain": "web1"}, auth=owner.auth).json["data"]["id"]
    client.post(f"/api/servers/{server_id}/software_bucket/composer", auth=owner.auth,
                json={"software": demo.lockfile_items("composer")})
    background.get(app).start()

    slack = SlackRequests(live_server.base_url, SIGNING_SECRET)
    answer = slack.ask("scan web1", team_id=TEAM, answers=receivers())

    assert answer["text"].startswith(":mag: Scanning *web1* now. Your Slack webhooks will post how it went.")
    (finished,) = wait_until(lambda: _finished(incoming), what="scan_finished in the channel")
    issues = client.get(f"/api/servers/{server_id}/issues", auth=owner.auth).json["meta"]["total"]
    assert issues > 0
    assert f"{issues} open" in finished.payload["text"]
    footer = finished.payload["blocks"][-1]["elements"][0]["text"]
    assert "(from Slack)" in footer
    buttons = [element["action_id"] for block in finished.payload["blocks"] if block["type"] == "actions"
               for element in block["elements"]]
    assert {"patrol_scan_again", "patrol_show_issues"} <= set(buttons)


def _finished(channel):
    return [m for m in channel.received if m.status == 200 and "scan finished" in m.payload["text"]]
