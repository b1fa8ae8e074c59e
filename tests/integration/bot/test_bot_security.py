"""Who may talk to the bot, and as whom: Slack's signature and its 5-minute
window, no unverified mode, one account per workspace, sealed secrets."""
from __future__ import annotations

import time

import pytest
from sqlalchemy import select

from bot.models import WorkspaceLink
from patrol import create_app
from patrol.db import get_db
from patrol.models import Credential, Scan
from tests.support.live_server import LiveServer
from tests.support.slack_api_standin import SlackRequests
from tests.support.slack_steps import TEAM, linked_account, over_http

pytestmark = pytest.mark.extensions("bot")

OTHER_TEAM = "T0SECURE02"


@pytest.fixture
def app_config(app_config, slack_api):
    return over_http(app_config, slack_api)


def scans(db):
    with db.session() as session:
        return list(session.scalars(select(Scan)))


def test_a_request_signed_with_another_secret_is_refused(db, slack, receivers, make_account, runner, make_server):
    make_server(linked_account(runner, make_account, TEAM), "web1.example.com")
    forger = SlackRequests(slack.base_url, "not-the-signing-secret")
    answers = receivers()

    refused = forger.command("scan web1", team_id=TEAM, response_url=answers.url("/response"))

    assert refused.status_code == 401
    assert scans(db) == [] and answers.requests == []


def test_a_request_with_a_stale_timestamp_is_refused_even_when_signed(db, slack, receivers, make_account, runner,
                                                                    make_server):
    make_server(linked_account(runner, make_account, TEAM), "web1.example.com")
    answers = receivers()
    six_minutes_ago = int(time.time()) - 6 * 60

    refused = slack.command("scan web1", team_id=TEAM, response_url=answers.url("/response"),
                            timestamp=six_minutes_ago)

    assert refused.status_code == 401
    assert scans(db) == [] and answers.requests == []


def test_a_changed_body_breaks_the_signature(slack):
    body = "command=%2Fpatrol&text=status&team_id=T0SECURE01"
    stamp = int(time.time())
    signature = slack.verifier.generate_signature(timestamp=str(stamp), body=body)

    refused = slack.post(body.replace("status", "scan+web1"), timestamp=stamp, signature=signature)

    assert refused.status_code == 401


def test_without_a_signing_secret_there_are_no_slack_routes(app_config):
    app_config.update(SLACK_SIGNING_SECRET=None, SLACK_CLIENT_ID="1.2", SLACK_CLIENT_SECRET="s")
    unverified = create_app(app_config)
    try:
        paths = {rule.rule for rule in unverified.url_map.iter_rules()}
        assert not {path for path in paths if path.startswith("/slack")}
        with LiveServer(unverified) as live:
            posted = SlackRequests(live.base_url, "anything").command("status", team_id=TEAM,
                                                                      response_url="http://127.0.0.1:9/")
        assert posted.status_code == 404
    finally:
        get_db(unverified).dispose()


def test_each_workspace_sees_only_the_account_it_is_linked_to(slack, receivers, make_account, runner, make_server):
    first, second = linked_account(runner, make_account, TEAM), linked_account(runner, make_account, OTHER_TEAM)
    make_server(first, "web1.example.com")
    make_server(second, "db9.example.com")

    seen_by_first = slack.ask("status", team_id=TEAM, answers=receivers())
    asked_for_other = slack.ask("scan db9", team_id=TEAM, answers=receivers())

    assert "web1.example.com" in str(seen_by_first["blocks"]) and "db9" not in str(seen_by_first)
    assert asked_for_other["text"] == "You have no server called *db9*. `/patrol status` lists your servers."


def test_the_workspace_secret_is_sealed_at_rest_and_useless_under_another_key(app, db, slack, receivers,
                                                                             make_account, runner):
    linked_account(runner, make_account, TEAM)
    with db.session() as session:
        link = session.scalar(select(WorkspaceLink))
        credential = session.scalar(select(Credential).where(Credential.key == link.credential_key))
    assert link.sealed_secret.startswith("gAAAAA")  # a Fernet token, not 64 hex characters
    assert credential.label == f"Slack workspace {TEAM}"

    app.config["SECRET_KEY"] = "a-different-secret-key"
    answer = slack.ask("status", team_id=TEAM, answers=receivers())

    assert answer["text"].startswith("This workspace's link to Patrol no longer works")


JUNK = [
    ("application/json", b"{not json at all"),
    ("application/x-www-form-urlencoded", b"payload=%7Bbroken"),
    ("application/x-www-form-urlencoded", b"\xff\xfe\x00junk"),
    ("text/plain", b""),
]


@pytest.mark.parametrize("content_type, junk", JUNK)
def test_unsigned_junk_is_refused_before_it_is_read(slack, caplog, content_type, junk):
    refused = slack.http.post(slack.base_url + "/slack/events", data=junk,
                              headers={"Content-Type": content_type}, timeout=10)

    assert refused.status_code == 401
    assert not [r for r in caplog.records if r.exc_info or r.levelname in ("ERROR", "CRITICAL")]


def test_junk_with_a_valid_signature_is_not_a_500(slack, caplog):
    body = "payload=%7Bbroken"

    answered = slack.post(body)

    assert answered.status_code < 500
    assert not [r for r in caplog.records if r.exc_info]


def test_a_replayed_signed_request_is_refused(db, slack, receivers, make_account, runner, make_server):
    make_server(linked_account(runner, make_account, TEAM), "web1.example.com")
    answers = receivers()
    body = ("command=%2Fpatrol&text=scan+web1&team_id=" + TEAM + "&user_id=U0ASKER&channel_id=C0ALERTS"
            "&response_url=" + answers.url("/response").replace(":", "%3A").replace("/", "%2F"))
    stamp = int(time.time())
    signature = slack.verifier.generate_signature(timestamp=str(stamp), body=body)

    first = slack.post(body, timestamp=stamp, signature=signature)
    answers.wait_for(1)
    replayed = slack.post(body, timestamp=stamp, signature=signature)

    assert first.status_code == 200
    assert replayed.status_code == 401
    assert len(scans(db)) == 1


def test_a_signed_command_with_a_nul_is_refused_after_its_signature(db, slack, make_account, runner, make_server):
    make_server(linked_account(runner, make_account, TEAM), "web1.example.com")

    refused = slack.post(f"command=%2Fpatrol&text=scan+web1%00&team_id={TEAM}")

    assert refused.status_code == 422, refused.text
    assert refused.json()["error"]["fields"] == {"text": "may not contain NUL bytes or unpaired surrogates"}
    assert scans(db) == []
