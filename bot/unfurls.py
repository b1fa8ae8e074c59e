"""Links to Patrol server pages, pasted in a channel of a linked workspace,
unfurl into a one-line status card (`link_shared` → `chat.unfurl`).

Each server is fetched with the workspace's own credential, so a link to
another account's server unfurls into nothing at all.
"""
from __future__ import annotations

import re
from collections.abc import Iterable

from bot import questions
from bot.answers import Message, facts_of_server, say
from bot.answers.listing import worst
from bot.patrol_api import PatrolApi, PatrolApiError
from bot.replying import Answerer
from patrol.servers import MAX_ID
from slackkit import blocks

MAX_LINKS = 5  # Slack sends at most a few links per message; more would be a flood


def server_ids(links: Iterable[dict], public_url: str | None) -> dict[str, int]:
    """Each link that is a Patrol server page, with its server id."""
    if not public_url:
        return {}
    page = re.compile(re.escape(public_url.rstrip("/")) + r"/servers/([0-9]{1,12})/?(?:[?#].*)?")
    found = {}
    for link in list(links)[:MAX_LINKS]:
        match = page.fullmatch(str(link.get("url") or ""))
        if match and 0 < int(match.group(1)) <= MAX_ID:
            found[link["url"]] = int(match.group(1))
    return found


def cards(answerer: Answerer, team_id: str | None, wanted: dict[str, int]) -> dict[str, dict]:
    """`chat.unfurl`'s `unfurls`: a card per link whose server the workspace's account can see."""
    made: dict[str, dict] = {}

    def ask(api: PatrolApi) -> Message:
        for url, server_id in wanted.items():
            try:
                server = api.server(server_id)
            except PatrolApiError:
                continue  # not this account's server (or gone): no card
            made[url] = {"blocks": [block.to_dict() for block in _card(server)]}
        return Message("", [])  # the cards are what was asked for; this answer is never shown

    if wanted:
        answerer.answer(team_id, ask)
    return made


def _card(server: dict) -> list:
    counts = questions.counts(server)
    line = say("status", "line", server=facts_of_server(server), counts=counts,
               worst=worst(counts))
    return [blocks.section(line), blocks.context(say("unfurl", "footer"))]
