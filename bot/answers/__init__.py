"""The bot's answers as Block Kit, built from the API's objects.

Every word is in templates/bot (buttons reuse templates/slack, so a button
reads the same in an alert and in an answer); `payload` checks each answer
against Slack's limits before it leaves.
"""
from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime, timezone
from functools import cache

from slack_sdk.models.blocks import Block

from patrol import resources
from slackkit import blocks, limits
from slackkit.issues import issue_facts
from slackkit.messages import Message, moment, one_line
from slackkit.wording import Wording

__all__ = ["Message", "button_wording", "issue_facts", "facts_of_server", "packed", "payload", "say"]


@cache
def _wording() -> Wording:
    return Wording(resources.templates())


@cache
def button_wording() -> Wording:
    return Wording()


def say(template: str, piece: str, **values: object) -> str:
    """A piece of templates/bot/`template`.j2."""
    return _wording()(f"bot/{template}", piece, **values)


def payload(message: Message) -> dict:
    """`{"text", "blocks"}` for Slack, within its limits (SlackLimitError would be a bug here)."""
    body = {"text": one_line(message.fallback), "blocks": [block.to_dict() for block in message.blocks]}
    limits.assert_within_limits(body)
    return body


def packed(lines: list[str]) -> list[Block]:
    """Lines joined into as few sections as Slack's 3,000 characters per section allow."""
    texts: list[str] = []
    for line in lines:
        if texts and len(texts[-1]) + 1 + len(line) <= limits.MAX_SECTION_TEXT:
            texts[-1] += "\n" + line
        else:
            texts.append(line)
    return [blocks.section(text) for text in texts]


def facts_of_server(server: Mapping) -> dict:
    """What the templates show of a server object, with times ready for `<!date>`;
    `state` is the API's verdict, which no answer may paint greener."""
    last = server.get("last_scan") or None
    return {
        "id": server.get("id"),
        "name": str(server.get("name") or server.get("id")),
        "state": server.get("state"),
        "push_days": days_since(server.get("last_push_at")),
        "software_count": server.get("software_count") or 0,
        "dismissed": server.get("dismissed_issue_count") or 0,
        "advisories_as_of": moment(server.get("advisories_as_of")),
        "scanning": bool(server.get("scanning")),
        "last_scan": last and {
            "status": last.get("status"),
            "trigger": last.get("trigger"),
            "moment": moment(last.get("finished_at") or last.get("started_at")),
        },
    }


def days_since(iso: str | None) -> int | None:
    """Whole days from `iso` to now, as the web counts a stale server's silence."""
    at = moment(iso)
    if at is None:
        return None
    return max(0, int(datetime.now(timezone.utc).timestamp() - at["ts"]) // 86400)
