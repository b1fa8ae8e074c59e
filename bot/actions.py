"""The buttons on Patrol's Slack messages and App Home: "Scan again" and "Show
issues" act for the account the workspace is linked to; "Open in Patrol" is
a link, so its click only needs an ack.

A scan asked for from a message leaves its mark on that message ("Scan
requested by @ann"); asked for from App Home, the Home tab is published
again with what happened on top (Home has no `response_url` to answer to).
"""
from __future__ import annotations

from collections.abc import Callable

from slack_bolt import Ack, App, BoltContext, Respond
from slack_sdk import WebClient

from bot import questions
from bot.answers import Message, notes, say
from bot.delivery import deliver
from bot.patrol_api import PatrolApi
from bot.replying import Answerer
from bot.workspace_events import publish_home
from patrol.servers import MAX_ID
from slackkit.blocks import OPEN_SERVER, SCAN_AGAIN, SHOW_ISSUES, context

REFLECTION = "patrol_reflection"  # the block_id of the "Scan requested by" line


def register(bolt: App, answerer: Answerer) -> None:
    def just_ack(ack: Ack) -> None:
        ack()

    def scan_again(body: dict, context: BoltContext, respond: Respond, client: WebClient) -> None:
        asked = []

        def scan(api: PatrolApi, server: dict) -> Message:
            message = questions.scan(api, server)
            asked.append(server)  # reached only when the API took the scan (or had one running)
            return message

        message = about_clicked_server(answerer, body, context.team_id, scan)
        if "view" in body and not body.get("response_url"):
            publish_home(client, answerer, context.team_id, _user(body), note=message.fallback)
            return
        if asked:
            reflect(body, respond, say("actions", "scan_requested", user=_user(body)))
        deliver(message, respond, client)

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
    value = clicked_value(body)
    return int(value) if value.isascii() and value.isdigit() and 0 < int(value) <= MAX_ID else None


def clicked_value(body: dict) -> str:
    """The value of the clicked button ("" when there is none)."""
    actions = body.get("actions") or [{}]
    return str(actions[0].get("value") or "")


def reflect(body: dict, respond: Respond, text: str) -> None:
    """Mark the message the button is on with `text`, replacing an earlier mark."""
    original = body.get("message")
    if not original or not original.get("blocks"):
        return
    kept = [block for block in original["blocks"] if block.get("block_id") != REFLECTION]
    mark = context(text).to_dict() | {"block_id": REFLECTION}
    respond(text=original.get("text") or text, blocks=[*kept, mark], replace_original=True)


def _user(body: dict) -> str:
    return str((body.get("user") or {}).get("id") or "")
