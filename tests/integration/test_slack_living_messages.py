"""One living message per scan, driven event by event against the Web API stand-in:
many new issues go into the card's thread, and an event that arrives late never
turns the card back."""
from __future__ import annotations

import pytest

from patrol.models import Scan
from tests.support.slack_api_standin import Workspace, slack_api  # noqa: F401 - a fixture
from webhooks.channels import targets
from webhooks.channels.living import HANDFUL, LivingMessages, Messages
from webhooks.channels.webapi import WebApi

pytestmark = pytest.mark.extensions("webhooks")

TEAM = "T0LIVING1"
BOT = Workspace(team_id=TEAM, bot_token="xoxb-living-token")
CHANNEL = targets.Channel(TEAM, "C0ALERTS", "#alerts")


@pytest.fixture
def scene(db, slack_api, make_account, make_server):
    """A subscription and a running scan; `send(identifier, issues=...)` delivers one event."""
    slack_api.add_bot(BOT)
    owner = make_account()
    server_id = make_server(owner, "web1")
    with db.session() as session:
        hook = targets.subscribe(session, owner.account_id, CHANNEL, targets.Wanted(None, None, None, None))
        scan = Scan(server_id=server_id, trigger="api")
        session.add(scan)
        session.flush()
        hook_id, scan_id = hook.id, scan.id
    living, api = LivingMessages(db), WebApi(slack_api.base_url, BOT.bot_token, 5)

    def send(identifier, issues=None):
        event = {"identifier": f"webhook.{identifier}", "scan": {"id": scan_id}, "issues": issues}
        messages = Messages(_message(identifier), started=_message("scan_started"))
        return living.deliver(api, hook_id, CHANNEL.channel_id, event, messages)

    return send


def test_more_than_a_handful_of_new_issues_go_into_a_thread_under_the_card(scene, slack_api):
    issues = [_issue(n) for n in range(HANDFUL + 2)]

    assert scene("new_server_issues", issues).ok
    assert scene("scan_finished").ok

    card, listing = slack_api.calls("chat.postMessage")
    assert card.args["text"] == "scan_started" and "thread_ts" not in card.args  # a card to thread under
    assert listing.args["text"] == "new_server_issues" and listing.args["thread_ts"] == card.answer["ts"]
    (update,) = slack_api.calls("chat.update")
    assert update.args["ts"] == card.answer["ts"] and update.args["text"] == "scan_finished"
    assert "GHSA-0000" not in str(update.args["blocks"])  # they are in the thread, not the card


def test_a_late_scan_started_does_not_turn_a_finished_card_back(scene, slack_api):
    scene("scan_finished")
    late = scene("scan_started")

    assert late.ok
    card, reply = slack_api.calls("chat.postMessage")
    assert reply.args["thread_ts"] == card.answer["ts"]
    assert slack_api.calls("chat.update") == []
    assert slack_api.message("C0ALERTS", card.answer["ts"])["text"] == "scan_finished"


def test_a_few_issues_stay_listed_when_the_card_finishes(scene, slack_api):
    scene("scan_started")
    scene("new_server_issues", [_issue(1), _issue(2)])
    scene("scan_finished")

    (card,) = slack_api.calls("chat.postMessage")
    reads = slack_api.message("C0ALERTS", card.answer["ts"])
    assert reads["text"] == "scan_finished"
    blocks = str(reads["blocks"])
    assert "GHSA-0001" in blocks and "GHSA-0002" in blocks


def test_a_channel_the_bot_left_is_an_answer_not_an_exception(scene, slack_api):
    BOT.member_of.discard("C0ALERTS")
    try:
        answer = scene("scan_started")
    finally:
        BOT.member_of.add("C0ALERTS")

    assert not answer.ok
    assert answer.result.status == 200 and answer.result.error_kind == "slack_error"
    assert "not_in_channel" in answer.result.error


def _message(identifier):
    text = identifier
    return {"text": text, "blocks": [{"type": "section", "text": {"type": "mrkdwn", "text": text}},
                                     {"type": "actions", "elements": [
                                         {"type": "button", "action_id": "x", "text": {"type": "plain_text",
                                                                                        "text": "Go"}}]}]}


def _issue(number):
    return {"software": {"name": f"pkg{number}", "version": "1.0"}, "fixed_in": "1.1",
            "advisory": {"id": f"GHSA-{number:04d}", "severity": "high", "summary": "bad", "url": None}}
