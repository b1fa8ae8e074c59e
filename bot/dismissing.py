"""The "Dismiss…" button on new-issue messages in subscribed channels.

A click opens the modal (`views.open`, with the click's trigger id) for the
account the workspace is linked to; an unlinked workspace, or an issue that
is not open in that account, gets a private answer instead. The submission
is answered in the request itself, as Slack wants for modals: the form's
problems beside its fields (`response_action: errors`), or the modal turned
into what happened (`response_action: update`). Patrol's API does the
dismissing, with the workspace's own credential, so only that account's
issues can be set aside.
"""
from __future__ import annotations

import logging
from collections.abc import Mapping

from slack_bolt import Ack, App, BoltContext, Respond
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from bot import dismiss_form as form
from bot.actions import clicked_value
from bot.answers import Message, notes, say
from bot.delivery import deliver
from bot.patrol_api import PatrolApi, PatrolApiError
from bot.replying import Answerer
from patrol.servers import MAX_ID
from slackkit.blocks import DISMISS_ISSUE

log = logging.getLogger(__name__)


def register(bolt: App, answerer: Answerer) -> None:
    def just_ack(ack: Ack) -> None:
        ack()

    def open_form(body: dict, context: BoltContext, respond: Respond, client: WebClient) -> None:
        clicked = clicked_issue(body)
        if clicked is None:
            message: Message | None = notes.problem("gone")
        else:
            message = answerer.answer_as(context.team_id,
                                         lambda api, _account: _open(api, client, body["trigger_id"], *clicked))
        if message is not None:
            deliver(message, respond, client)

    def submit(ack: Ack, body: dict, context: BoltContext) -> None:
        ack(**submitted(answerer, body, context.team_id))

    bolt.action(DISMISS_ISSUE)(ack=just_ack, lazy=[open_form])
    bolt.view(form.CALLBACK)(submit)


def clicked_issue(body: dict) -> tuple[int, int] | None:
    """(server id, issue id) from the button's "SERVER:ISSUE", or None when Patrol could not have sent it."""
    server, _, issue = clicked_value(body).partition(":")
    ids = [int(part) for part in (server, issue) if part.isascii() and part.isdigit() and 0 < int(part) <= MAX_ID]
    return (ids[0], ids[1]) if len(ids) == 2 else None


def _open(api: PatrolApi, client: WebClient, trigger_id: str, server_id: int, issue_id: int) -> Message | None:
    server = api.server(server_id)
    issue = next((found for found in api.open_issues(server_id) if found.get("id") == issue_id), None)
    if issue is None:
        return notes.problem("issue_closed")
    target = form.Target(server_id, str(server.get("name") or server_id), issue_id,
                         str((issue.get("advisory") or {}).get("id") or ""))
    try:
        client.views_open(trigger_id=trigger_id, view=form.view(target, issue))
    except SlackApiError as exc:
        error = str(exc.response.get("error"))
        log.info("Slack would not open the dismiss form: %s", error)
        return notes.problem("cannot_open", error=error)
    return None


def submitted(answerer: Answerer, body: dict, team_id: str | None) -> dict:
    """The answer to a submitted form: its problems, or the modal telling what happened."""
    view = body.get("view") or {}
    target = form.target_of(view.get("private_metadata"))
    if target is None:
        return _result(notes.problem("gone").fallback, done=False)
    read = form.read((view.get("state") or {}).get("values") or {}, _who(body.get("user") or {}))
    if isinstance(read, dict):
        return {"response_action": "errors", "errors": read}
    problems: dict[str, str] = {}
    done: list[str] = []

    def dismiss(api: PatrolApi, _account: int) -> None:
        try:
            api.dismiss(read.scope, target.server_id, target.issue_id, target.advisory, read.decision)
        except PatrolApiError as exc:
            if exc.status != 422 or not exc.fields:
                raise
            problems.update(form.problems_of(exc.fields))
            return
        done.append(say("dismiss", "done", scope=read.scope, advisory=target.advisory, server=target.server,
                        reason_name=read.decision["reason"], expires=read.decision["expires_at"]))

    refused = answerer.answer_as(team_id, dismiss)  # None unless the workspace or the API said no
    if problems:
        return {"response_action": "errors", "errors": problems}
    # dismiss() either dismissed, found problems (answered above) or was refused
    return _result(done[0] if done or refused is None else refused.fallback, done=bool(done))


def _result(text: str, *, done: bool) -> dict:
    return {"response_action": "update", "view": form.result(text, done=done)}


def _who(user: Mapping) -> str:
    """Who dismissed, as the dismissal records it beside the workspace's API key."""
    name, user_id = user.get("username") or user.get("name"), user.get("id") or "?"
    return f"{name} (Slack {user_id})" if name else f"Slack user {user_id}"
