"""The App Home tab: the linked account's servers riskiest first, the advisory
database's age, this workspace's channel subscriptions, and buttons to scan
or open the worst servers. A workspace that is not linked is told how to link.

Servers and the advisory data's freshness come from the API with the
workspace's credential, as every answer does; the subscriptions are the
workspace's own `slack_channel` webhooks.
"""
from __future__ import annotations

from collections.abc import Mapping, Sequence

from slack_sdk.models.blocks import ActionsBlock, Block, ButtonElement, PlainTextObject

from bot import questions
from bot.answers import Message, say
from bot.answers.listing import rank, status_list
from bot.patrol_api import PatrolApi
from bot.replying import Answerer
from bot.subscription_words import EVENT_NAMES
from patrol.db import get_db
from slackkit import blocks
from slackkit.messages import moment
from webhooks import subscriptions
from webhooks.channels import targets

WITH_BUTTONS = 5  # the worst servers get Scan and Open buttons; the list itself names them all
_LABELS = {event: name for name, event in EVENT_NAMES.items()}


def view(answerer: Answerer, team_id: str | None, note: str | None = None) -> dict:
    """The Home view for a user of `team_id`, with `note` (what a button just did) on top."""
    message = answerer.answer(team_id, lambda api: _home(answerer, api, team_id))
    top = [blocks.context(say("home", "note", text=note))] if note else []
    return {"type": "home", "blocks": [block.to_dict() for block in top + message.blocks]}


def _home(answerer: Answerer, api: PatrolApi, team_id: str | None) -> Message:
    servers = api.servers()
    pairs = sorted(((server, questions.counts(server)) for server in servers), key=rank)
    listing = status_list(pairs)
    body = [blocks.header(say("home", "header")), blocks.section(say("home", "intro")),
            *listing.blocks, *_buttons([server for server, _ in pairs[:WITH_BUTTONS]], answerer.public_url),
            blocks.divider(), blocks.section(_advisories(api.advisory_status())),
            blocks.divider(), *_subscriptions(answerer, team_id, {s["id"]: s["name"] for s in servers})]
    return Message(listing.fallback, body)


def _buttons(servers: Sequence[Mapping], public_url: str | None) -> list[Block]:
    rows: list[Block] = []
    for server in servers:
        elements = [ButtonElement(text=PlainTextObject(text=say("home", "scan_button", server=server["name"])),
                                  action_id=blocks.SCAN_AGAIN, value=str(server["id"]))]
        url = blocks.server_url(public_url, server["id"])
        if url:
            elements.append(ButtonElement(text=PlainTextObject(text=say("home", "open_button", server=server["name"])),
                                          action_id=blocks.OPEN_SERVER, url=url))
        rows.append(ActionsBlock(elements=elements))
    return rows


def _advisories(statuses: Sequence[Mapping]) -> str:
    """The advisory data is as old as its stalest ecosystem that some server uses."""
    relevant = [s for s in statuses if s.get("in_use")] or list(statuses)
    synced = sorted(s["last_success_at"] for s in relevant if s.get("last_success_at"))
    stale = [s["ecosystem"] for s in relevant if s.get("stale")]
    return say("home", "advisories", moment=moment(synced[0]) if synced else None,
               ecosystems=len(relevant), stale=stale)


def _subscriptions(answerer: Answerer, team_id: str | None, names: dict[int, str]) -> list[Block]:
    with get_db(answerer.app).session() as session:
        hooks = targets.in_team(session, team_id) if team_id else []
        lines = [say("home", "subscription", channel=hook.slack_channel_id,
                     server=None if hook.server_id is None else names.get(hook.server_id, f"#{hook.server_id}"),
                     events=[_LABELS[e] for e in subscriptions.effective_events(hook) if e in _LABELS],
                     enabled=hook.enabled)
                 for hook in hooks]
    title = blocks.section(say("home", "subscriptions_title", count=len(lines)))
    return [title, blocks.section("\n".join(lines) if lines else say("home", "no_subscriptions"))]
