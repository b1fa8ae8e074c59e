"""The buttons on Patrol's Slack messages: "Scan again" and "Show issues" act
for the account the workspace is linked to; "Open in Patrol" is a link, so
its click only needs an ack."""
from __future__ import annotations

from collections.abc import Callable

from slack_bolt import Ack, App, BoltContext, Respond
from slack_sdk import WebClient

from bot import questions
from bot.answers import Message, notes
from bot.delivery import deliver
from bot.patrol_api import PatrolApi
from bot.replying import Answerer
from patrol.servers import MAX_ID
from webhooks.slack.blocks import OPEN_SERVER, SCAN_AGAIN, SHOW_ISSUES


def register(bolt: App, answerer: Answerer) -> None:
    def just_ack(ack: Ack) -> None:
        ack()

    def scan_again(body: dict, context: BoltContext, respond: Respond, client: WebClient) -> None:
        deliver(about_clicked_server(answerer, body, context.team_id, questions.scan), respond, client)

    def show_issues(body: dict, context: BoltContext, respond: Respond, client: WebClient) -> None:
        def issues(api: PatrolApi, server: dict) -> Message:
            return questions.issues(api, server, None, answerer.public_url)

        deliver(about_clicked_server(answerer, body, context.team_id, issues), respond, client)

    bolt.action(OPEN_SERVER)(just_ack)
    bolt.action(SCAN_AGAIN)(ack=just_ack, lazy=[scan_again])
    bolt.action(SHOW_ISSUES)(ack=just_ack, lazy=[show_issues])


def about_clicked_server(answerer: Answerer, body: dict, team_id: str | None,
                         question: Callable[[PatrolApi, dict], Message]) -> Message:
    """Ask `question` about the clicked server, fetched with the workspace's own credential,
    so a server of any other account is simply not found."""
    server_id = clicked_server(body)
    if server_id is None:
        return notes.problem("gone")
    return answerer.answer(team_id, lambda api: question(api, api.server(server_id)))


def clicked_server(body: dict) -> int | None:
    """The server id a button carries, or None when it is not one Patrol could have sent."""
    actions = body.get("actions") or [{}]
    value = str(actions[0].get("value") or "")
    return int(value) if value.isascii() and value.isdigit() and 0 < int(value) <= MAX_ID else None
