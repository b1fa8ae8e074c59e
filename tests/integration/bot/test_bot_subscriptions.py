"""`/patrol subscribe` and friends, signed as Slack signs them, then a real scan
delivered to the subscribed channel through the Web API stand-in: one message
per scan, posted then updated in place, with many new issues in its thread."""
from __future__ import annotations

import pytest
from sqlalchemy import select

from patrol import background, demo
from tests.support.receivers import wait_until
from tests.support.slack_api_standin import Workspace
from tests.support.slack_steps import TEAM, single_workspace, vulnerable_server
from tests.support.web_pages import signed_in_as
from webhooks.channels.models import ScanMessage
from webhooks.models import SLACK_CHANNEL, Webhook

pytestmark = pytest.mark.extensions("bot")

BOT = Workspace(team_id=TEAM, bot_token="xoxb-subscriptions-token")


@pytest.fixture
def app_config(app_config, slack_api):
    return single_workspace(app_config, slack_api, BOT, WEBHOOK_POLL_INTERVAL=0.1, SLACK_MIN_INTERVAL=0.05)


def subscriptions(db):
    with db.session() as session:
        return [(h.slack_team_id, h.slack_channel_id, h.server_id, h.events, h.min_severity, h.account_id)
                for h in session.scalars(select(Webhook).where(Webhook.kind == SLACK_CHANNEL))]


def command(slack, text, answers, channel_id="C0ALERTS", team_id=TEAM):
    acked = slack.command(text, team_id=team_id, response_url=answers.url("/response"), channel_id=channel_id)
    assert acked.status_code == 200 and acked.text == "", acked.text
    return acked


def test_a_channel_subscribes_and_a_scan_is_one_living_message(app, client, db, slack, slack_api, receivers,
                                                               owner):
    server_id = vulnerable_server(client, db, owner, "web1")
    answers = receivers()

    command(slack, "subscribe web1 --events scan_started,new_issues,scan_finished", answers)

    (confirmation,) = wait_until(lambda: slack_api.calls("chat.postMessage"), what="the confirmation")
    assert confirmation.args["channel"] == "C0ALERTS" and confirmation.token == BOT.bot_token
    assert "web1" in confirmation.args["text"] and "<@U0ASKER>" in confirmation.args["text"]
    wait_until(lambda: subscriptions(db), what="the subscription")
    assert subscriptions(db) == [(TEAM, "C0ALERTS", server_id, ["webhook.scan_started", "webhook.new_server_issues",
                                                               "webhook.scan_finished"], None, owner.account_id)]
    assert answers.requests == []  # the answer was the public confirmation

    background.get(app).start()
    assert client.post(f"/api/servers/{server_id}/scan", auth=owner.auth).status_code == 202
    wait_until(lambda: _finished(slack_api), what="the card updated to finished")

    (card,) = slack_api.calls("chat.postMessage")[1:]  # one message for the whole scan
    assert "started" in card.args["text"].lower() and "thread_ts" not in card.args
    updates = slack_api.calls("chat.update")
    assert [u.args["ts"] for u in updates] == [card.answer["ts"]] * 2  # new issues, then finished
    issues = client.get(f"/api/servers/{server_id}/issues", auth=owner.auth).json["data"]
    assert 0 < len(issues) <= 5  # a handful: listed in the card itself
    assert f"{len(issues)} new issues" in updates[0].args["text"]
    now_reads = slack_api.message("C0ALERTS", card.answer["ts"])
    assert "finished" in now_reads["text"].lower()
    listed = str(now_reads["blocks"])
    assert all(issue["advisory"]["id"] in listed for issue in issues)
    with db.session() as session:
        (row,) = session.scalars(select(ScanMessage))
        assert row.ts == card.answer["ts"] and row.stage == 2


def _finished(slack_api):
    return [u for u in slack_api.calls("chat.update") if "finished" in u.args["text"].lower()]


def test_the_subscription_shares_the_delivery_log_with_webhooks(app, client, db, slack, slack_api, receivers, owner):
    server_id = vulnerable_server(client, db, owner, "web1")
    command(slack, "subscribe all", receivers())
    wait_until(lambda: subscriptions(db), what="the subscription")
    background.get(app).start()

    client.post(f"/api/servers/{server_id}/scan", auth=owner.auth)
    wait_until(lambda: _finished(slack_api), what="the finished card")

    (hook,) = client.get("/api/webhooks", auth=owner.auth).json["data"]
    assert hook["kind"] == "slack_channel" and hook["url"] == f"slack://channel?team={TEAM}&id=C0ALERTS"
    assert hook["events"] == ["webhook.new_server_issues", "webhook.scan_finished", "webhook.test"]
    log = wait_until(lambda: _all_done(client, owner, hook["id"], 2), what="both deliveries logged")
    assert {d["identifier"] for d in log} == {"webhook.new_server_issues", "webhook.scan_finished"}
    assert all(d["status"] == "succeeded" and d["log"][0]["status_code"] == 200 for d in log)
    signed_in_as(client, db, owner.account_id)
    page = client.get("/api-settings").get_data(as_text=True)
    assert "Slack channel (subscribed from Slack)" in page and f"/api-settings/webhooks/{hook['id']}/deliveries" in page
    shown = client.get(f"/api-settings/webhooks/{hook['id']}/deliveries").get_data(as_text=True)
    assert "Scan finished" in shown and "Slack channel (subscribed from Slack)" in shown


def test_slack_rate_limits_are_retried_after_the_pause_slack_asks_for(app, client, db, slack, slack_api, receivers,
                                                                      owner):
    command(slack, "subscribe all", receivers())
    (hook_id,) = wait_until(lambda: [h["id"] for h in client.get("/api/webhooks", auth=owner.auth).json["data"]],
                            what="the subscription")
    slack_api.rate_limit("chat.postMessage", times=1)
    background.get(app).start()

    assert client.post(f"/api/webhooks/{hook_id}/test", auth=owner.auth).status_code == 202

    (delivery,) = wait_until(lambda: _all_done(client, owner, hook_id, 1), what="the test delivered")
    assert delivery["status"] == "succeeded" and delivery["attempts"] == 2
    refused, sent = reversed(delivery["log"])
    assert refused["status_code"] == 429 and "ratelimited" in refused["error"]
    assert sent["status_code"] == 200


def test_a_channel_the_bot_is_not_in_is_told_how_to_invite_it(db, slack, slack_api, receivers, owner):
    answers = receivers()

    command(slack, "subscribe all", answers, channel_id="C0ELSEWHERE")

    (answer,) = answers.wait_for(1)
    assert "/invite @Patrol" in answer.json()["text"]
    assert answer.json()["response_type"] == "ephemeral"
    assert subscriptions(db) == []


def test_subscriptions_lists_and_unsubscribe_all_ends_them(client, db, slack, slack_api, receivers, owner):
    server_id = vulnerable_server(client, db, owner, "web1")
    command(slack, "subscribe web1 --min-severity high", receivers())
    command(slack, "subscribe all --events scan_finished", receivers())
    wait_until(lambda: len(subscriptions(db)) == 2, what="two subscriptions")

    listing = slack.ask("subscriptions", team_id=TEAM, answers=receivers())
    assert "(2)" in listing["text"] and "*web1*" in listing["text"] and "high or worse" in listing["text"]
    assert "all your servers: `scan_finished`" in listing["text"]

    gone = slack.ask("unsubscribe web1", team_id=TEAM, answers=receivers())
    assert "no longer gets" in gone["text"]
    assert [row[2] for row in subscriptions(db)] == [None]
    slack.ask("unsubscribe all", team_id=TEAM, answers=receivers())
    assert subscriptions(db) == []
    assert server_id


def test_an_unlinked_workspace_cannot_subscribe(db, slack, receivers, owner):
    answer = slack.ask("subscribe all", team_id="T0NOTLINKED", answers=receivers())

    assert answer["text"].startswith("This Slack workspace is not linked to a Patrol account yet.")
    assert subscriptions(db) == []


@pytest.mark.parametrize("text, problem", [
    ("subscribe", "Which server?"),
    ("subscribe all --events everything", "`everything`"),
    ("subscribe all --min-severity extreme", "`extreme`"),
    ("subscriptions please", "`please`"),
])
def test_a_subscribe_command_that_does_not_read_is_answered_in_the_ack(slack, receivers, owner, text, problem):
    acked = slack.command(text, team_id=TEAM, response_url=receivers().url("/response"))

    assert acked.status_code == 200
    assert problem in acked.json()["text"]


def _all_done(client, owner, hook_id, count):
    data = client.get(f"/api/webhooks/{hook_id}/deliveries", auth=owner.auth).json["data"]
    done = [d for d in data if d["status"] in ("succeeded", "failed")]
    return done if len(done) >= count and len(done) == len(data) else None


def test_a_subscription_keeps_its_channel_when_changed_through_the_api(client, db, slack, receivers, owner):
    command(slack, "subscribe all", receivers())
    (hook_id,) = wait_until(lambda: [h["id"] for h in client.get("/api/webhooks", auth=owner.auth).json["data"]],
                            what="the subscription")

    moved = client.patch(f"/api/webhooks/{hook_id}", auth=owner.auth, json={"url": "https://example.com/hook"})
    paused = client.patch(f"/api/webhooks/{hook_id}", auth=owner.auth, json={"enabled": False})

    assert moved.status_code == 422 and "url" in moved.json["error"]["fields"]
    assert paused.status_code == 200 and paused.json["data"]["enabled"] is False
    assert client.post("/api/webhooks", auth=owner.auth,
                       json={"url": "https://example.com/x", "kind": "slack_channel"}).status_code == 422


def test_known_exploited_subscription_posts_only_those_with_dismiss_buttons_and_their_upgrade(
    app, client, db, slack, slack_api, receivers, owner,
):
    demo.import_exploit_samples(db)  # lists minimist's CVE as known exploited
    server_id = vulnerable_server(client, db, owner, "web1")
    pushed = client.post(f"/api/servers/{server_id}/software_bucket/npm", auth=owner.auth,
                         json={"software": demo.lockfile_items("npm")})
    assert pushed.status_code == 200
    command(slack, "subscribe web1 --known-exploited --events new_issues,scan_finished", receivers())
    wait_until(lambda: subscriptions(db), what="the subscription")
    (confirmation,) = slack_api.calls("chat.postMessage")
    assert "(known exploited new issues only)" in confirmation.args["text"]
    listing = slack.ask("subscriptions", team_id=TEAM, answers=receivers())
    assert "known exploited new issues only" in listing["text"]

    background.get(app).start()
    assert client.post(f"/api/servers/{server_id}/scan", auth=owner.auth).status_code == 202
    wait_until(lambda: _finished(slack_api), what="the finished card")

    issues = client.get(f"/api/servers/{server_id}/issues", auth=owner.auth).json["data"]
    exploited = {i["id"] for i in issues if i["known_exploited"]}
    others = [i["advisory"]["id"] for i in issues if not i["known_exploited"]]
    assert exploited and others
    (card,) = slack_api.calls("chat.postMessage")[1:]  # a handful of wanted issues: in the card, no thread
    assert card.args["text"].startswith(f"web1: {len(exploited)} new issue")
    dismissable = [b for b in card.args["blocks"] if (b.get("accessory") or {}).get("action_id")]
    assert {b["accessory"]["value"] for b in dismissable} == {f"{server_id}:{i}" for i in exploited}
    assert all(b["accessory"]["text"]["text"] == "Dismiss…" for b in dismissable)
    assert all("*Known exploited*" in b["text"]["text"] for b in dismissable)
    assert not [osv for osv in others if osv in str(card.args["blocks"])]
    upgrades = [g for g in client.get(f"/api/servers/{server_id}/upgrades", auth=owner.auth).json["data"]
                if exploited & set(g["issues"])]
    assert upgrades and all(f"Upgrade *{g['package']}* from `{g['from']}` to `{g['to']}`" in str(card.args["blocks"])
                            for g in upgrades)
    finished = str(slack_api.message("C0ALERTS", card.answer["ts"])["blocks"])
    assert all(f"{server_id}:{i}" in finished for i in exploited)  # the finished card keeps the buttons
