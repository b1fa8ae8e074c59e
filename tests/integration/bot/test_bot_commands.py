"""`/patrol` over real HTTP: Slack's signed request to the running app, the bot's
calls to Patrol's API on the same live server, and the answer posted to a
`response_url` receiver (or, for help and mistakes, in the ack itself)."""
from __future__ import annotations

import pytest
from sqlalchemy import select

from bot.models import WorkspaceLink
from patrol import credentials, demo
from patrol.feeds import state as feeds
from patrol.models import Account, Scan
from tests.support.receivers import wait_until
from tests.support.slack_api_standin import Workspace
from tests.support.slack_steps import TEAM, single_workspace, vulnerable_server

pytestmark = pytest.mark.extensions("bot")

BOT = Workspace(team_id=TEAM, bot_token="xoxb-single-workspace-token")


@pytest.fixture
def app_config(app_config, slack_api):
    """Single-workspace mode: a signing secret and a bot token, Slack's Web API on loopback."""
    return single_workspace(app_config, slack_api, BOT)


def ask(slack, receivers, text, team_id=TEAM, **options):
    return slack.ask(text, team_id=team_id, answers=receivers(), **options)


def texts(answer):
    """Every text of the answer's blocks, in order."""
    found = []
    for block in answer["blocks"]:
        found += [block[key]["text"] for key in ("text",) if key in block]
        found += [field["text"] for field in block.get("fields", [])]
        found += [element["text"] for element in block.get("elements", []) if element.get("type") == "mrkdwn"]
    return found


def open_issues(client, caller, server_id):
    return client.get(f"/api/servers/{server_id}/issues?per_page=200", auth=caller.auth).json["data"]


def by_severity(issues):
    counts = {}
    for issue in issues:
        counts[issue["advisory"]["severity"]] = counts.get(issue["advisory"]["severity"], 0) + 1
    return counts


def test_status_lists_every_server_worst_first_with_counts_from_the_api(client, db, slack, receivers, owner,
                                                                        make_server, slack_api):
    make_server(owner, "a-clean.example.com")
    vulnerable = vulnerable_server(client, db, owner, "web1.example.com", scanned=True)
    counts = by_severity(open_issues(client, owner, vulnerable))
    assert counts, "the demo lock file should have open issues"

    answer = ask(slack, receivers, "status")

    assert answer["response_type"] == "ephemeral"
    assert answer["text"] == f"2 servers, {sum(counts.values())} open issues."
    listing = next(text for text in texts(answer) if "a-clean" in text).splitlines()
    assert "*web1.example.com*" in listing[0] and "last scan <!date^" in listing[0]
    for severity, count in counts.items():
        assert f"{count} {severity}" in listing[0]
    assert listing[1] == ":warning: *a-clean.example.com* · No software reported · never scanned"
    assert slack_api.calls() == [], "answering needs nothing from Slack's Web API (not even auth.test)"


def test_status_of_one_server_shows_its_state_newest_issues_and_buttons(client, db, slack, receivers, owner):
    server_id = vulnerable_server(client, db, owner, "web1.example.com", scanned=True)
    issues = open_issues(client, owner, server_id)

    answer = ask(slack, receivers, "status web1")

    assert answer["blocks"][0] == {"type": "header", "text": {"type": "plain_text", "text": "web1.example.com",
                                                              "emoji": True}}
    assert f"{len(issues)} open issues" in texts(answer)[1]
    newest = max(issues, key=lambda issue: issue["first_seen_at"])
    assert any(newest["advisory"]["id"] in text for text in texts(answer))
    (buttons,) = [block for block in answer["blocks"] if block["type"] == "actions"]
    assert {(button["action_id"], button.get("value")) for button in buttons["elements"]} == {
        ("patrol_scan_again", str(server_id)), ("patrol_show_issues", str(server_id))}


def test_issues_with_a_severity_shows_only_that_severity_and_worse(client, db, slack, receivers, owner):
    server_id = vulnerable_server(client, db, owner, "web1.example.com", scanned=True)
    issues = open_issues(client, owner, server_id)
    wanted = [issue for issue in issues if issue["advisory"]["severity"] in ("critical", "high")]
    assert 0 < len(wanted) < len(issues), "the demo data should have high and lower issues"

    answer = ask(slack, receivers, "issues web1.example.com --severity high")

    assert answer["blocks"][0]["text"]["text"] == f"{len(wanted)} open issues on web1.example.com (high or worse)"
    listed = "\n".join(texts(answer))
    assert all(issue["advisory"]["id"] in listed for issue in wanted)
    assert not any(issue["advisory"]["id"] in listed for issue in issues if issue not in wanted)


def test_scan_starts_a_scan_triggered_from_slack(app, db, slack, receivers, owner, make_server):
    server_id = make_server(owner, "web1.example.com")

    answer = ask(slack, receivers, "scan web1")

    assert "Scanning *web1.example.com* now." in answer["text"]
    assert "no Slack webhook" in answer["text"]
    with db.session() as session:
        scan = session.scalar(select(Scan).where(Scan.server_id == server_id))
    assert (scan.trigger, scan.status) == ("slack", "running")


@pytest.mark.parametrize("trigger", ["scheduled", "manual", ["slack"]])
def test_a_client_may_say_api_or_slack_started_a_scan_and_nothing_else(client, owner, make_server, trigger):
    server_id = make_server(owner, "web1.example.com")

    refused = client.post(f"/api/servers/{server_id}/scan", json={"trigger": trigger}, auth=owner.auth)

    assert refused.status_code == 422
    assert refused.json["error"]["fields"] == {"trigger": "api or slack"}


def test_scan_of_a_server_being_scanned_says_so(client, slack, receivers, owner, make_server):
    server_id = make_server(owner, "web1.example.com")
    assert client.post(f"/api/servers/{server_id}/scan", auth=owner.auth).status_code == 202

    answer = ask(slack, receivers, "scan web1.example.com")

    assert "is being scanned already" in answer["text"]


def test_help_is_answered_in_the_ack(slack, owner):
    acked = slack.command("help", team_id=TEAM, response_url="http://127.0.0.1:9/never")

    assert acked.status_code == 200
    body = acked.json()
    assert body["response_type"] == "ephemeral"
    assert body["text"].startswith("Patrol commands:")
    assert "`/patrol scan SERVER`" in body["blocks"][1]["text"]["text"]


@pytest.mark.parametrize(("text", "expected"), [
    ("frobnicate", "I don't know `frobnicate`."),
    ("scan", "Which server?"),
    ("issues web1 --severity dire", "I don't understand `dire`."),
    ("status web1 web2", "I did not expect `web2` there."),
])
def test_words_that_are_not_a_command_get_a_helpful_answer_in_the_ack(slack, owner, text, expected):
    acked = slack.command(text, team_id=TEAM, response_url="http://127.0.0.1:9/never")

    assert acked.status_code == 200
    assert acked.json()["text"].startswith(expected)


def test_an_unknown_server_gets_suggestions(slack, receivers, owner, make_server):
    make_server(owner, "web1.example.com")
    make_server(owner, "web2.example.com")

    answer = ask(slack, receivers, "status web")

    assert answer["text"] == ("You have no server called *web*. "
                              "Did you mean `web1.example.com`, `web2.example.com`?")


def test_a_name_that_fits_two_servers_is_asked_back(slack, receivers, owner, make_server):
    make_server(owner, "web1.example.com")
    make_server(owner, "web1.example.org")

    answer = ask(slack, receivers, "scan web1")

    assert answer["text"].startswith("*web1* could be `web1.example.com`, `web1.example.org`")


def test_an_unlinked_workspace_is_told_how_to_link(slack, receivers, owner):
    answer = ask(slack, receivers, "status", team_id="T0NOTLINKED")

    assert answer["text"].startswith("This Slack workspace is not linked to a Patrol account yet.")
    assert "`patrol slack link T0NOTLINKED EMAIL`" in answer["text"]


def test_a_revoked_workspace_key_asks_for_a_new_link(db, slack, receivers, owner):
    with db.session() as session:
        key = session.scalar(select(WorkspaceLink.credential_key))
        credentials.revoke(session, session.get(Account, owner.account_id), key)

    answer = ask(slack, receivers, "status")

    assert answer["text"].startswith("This workspace's link to Patrol no longer works")


def test_an_unreachable_api_gets_a_try_again_answer(app, slack, receivers, owner):
    app.config["API_URL"] = "http://127.0.0.1:9/api"  # discard port: nothing listens

    answer = ask(slack, receivers, "status")

    assert answer["text"] == "Patrol could not be reached just now. Please try again in a minute."


def test_public_answers_are_posted_in_the_channel_with_the_bot_token(slack_api, slack, receivers, owner):
    answers = receivers()

    acked = slack.command("status --public", team_id=TEAM, response_url=answers.url("/response"))

    assert acked.status_code == 200
    (posted,) = wait_until(lambda: slack_api.calls("chat.postMessage"), what="a chat.postMessage call")
    assert posted.token == BOT.bot_token and posted.args["channel"] == "C0ALERTS"
    assert posted.args["text"].startswith("You have no servers in Patrol yet.")
    assert posted.args["blocks"][0]["type"] == "section"
    assert answers.requests == []


def test_a_public_answer_in_a_channel_without_the_bot_comes_back_privately(slack_api, slack, receivers, owner):
    answer = ask(slack, receivers, "status --public", channel_id="C0ELSEWHERE")

    assert [call.args["channel"] for call in slack_api.calls("chat.postMessage")] == ["C0ELSEWHERE"]
    assert answer["response_type"] == "ephemeral"
    assert answer["text"].startswith("I could not post in this channel: invite Patrol to it")
    assert "You have no servers in Patrol yet." in answer["text"]


def upgrade_lines(text):
    return [line for line in text.splitlines()[1:] if not line.startswith("…")]


def test_issues_shows_the_upgrades_first_then_the_issues_marked_when_exploited(client, db, slack, receivers, owner):
    demo.import_exploit_samples(db)
    server_id = vulnerable_server(client, db, owner, "web1.example.com", scanned=True)
    issues = open_issues(client, owner, server_id)
    upgrades = client.get(f"/api/servers/{server_id}/upgrades", auth=owner.auth).json["data"]
    assert upgrades and any(issue["known_exploited"] for issue in issues)

    answer = ask(slack, receivers, "issues web1.example.com")

    first, *rest = texts(answer)[1:]
    assert first.startswith("*Upgrade first*\n")
    lines = upgrade_lines(first)
    assert len(lines) == min(len(upgrades), 10)
    for line, group in zip(lines, upgrades):
        if group["to"]:
            assert line.startswith(f"Upgrade *{group['package']}* from `{group['from']}` to `{group['to']}`: "
                                   f"fixes {group['fixes']}")
        else:
            assert line.startswith(f"*{group['package']}*") and "no fixed version yet" in line
    listed = "\n".join(rest).splitlines()
    for issue in issues:
        (line,) = [line for line in listed if issue["advisory"]["id"] in line]
        assert (":warning: *Known exploited*" in line) is issue["known_exploited"]


def test_status_of_one_server_names_its_top_upgrades(client, db, slack, receivers, owner):
    server_id = vulnerable_server(client, db, owner, "web1.example.com", scanned=True)
    upgrades = client.get(f"/api/servers/{server_id}/upgrades", auth=owner.auth).json["data"]
    assert len(upgrades) > 3, "the demo lock file should need more than three upgrades"

    answer = ask(slack, receivers, "status web1")

    (top,) = [text for text in texts(answer) if text.startswith("*Top upgrades*")]
    assert [line.split("*")[1] for line in upgrade_lines(top)] == [group["package"] for group in upgrades[:3]]
    more = len(upgrades) - 3
    assert top.splitlines()[-1] == (f"…and {more} more upgrade{'' if more == 1 else 's'}: "
                                    "`/patrol issues web1.example.com` shows them all")


def test_status_of_an_empty_server_says_no_software_was_reported_not_no_issues(client, db, slack, receivers, owner,
                                                                              make_server):
    make_server(owner, "a-clean.example.com")

    answer = ask(slack, receivers, "status a-clean")

    said = "\n".join(texts(answer))
    assert ":warning: No software reported." in said
    assert "No open issues" not in said and ":tada:" not in said
    assert "Advisories" not in said, "no software, so no advisories to date"


def test_status_of_one_server_dates_the_advisories_beside_its_verdict(client, db, slack, receivers, owner):
    server_id = vulnerable_server(client, db, owner, "web1.example.com", scanned=True)
    assert feeds.claim(db, "osv/Packagist") is not None
    feeds.succeeded(db, "osv/Packagist", 3600)
    as_of = client.get(f"/api/servers/{server_id}", auth=owner.auth).json["data"]["advisories_as_of"]
    assert as_of, "the composer.lock's ecosystem was synced"

    answer = ask(slack, receivers, "status web1")

    (age,) = [block for block in answer["blocks"] if block["type"] == "context"
              and block["elements"][0]["text"].startswith("Advisories as of")]
    assert f"|{as_of}>" in age["elements"][0]["text"]
