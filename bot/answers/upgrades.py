"""Upgrade groups in the bot's answers: what to upgrade first, a few of them,
the rest counted (`/patrol issues SERVER` lists more than `/patrol status SERVER`)."""
from __future__ import annotations

from collections.abc import Mapping, Sequence

from slack_sdk.models.blocks import Block

from bot.answers import say
from slackkit import blocks
from slackkit.issues import upgrade_facts


def upgrade_section(title: str, groups: Sequence[Mapping], limit: int, more_hint: str | None = None) -> list[Block]:
    """One section: `title`, then the first `limit` groups, one a line; nothing without groups."""
    if not groups:
        return []
    lines = [upgrade_facts(group) for group in groups[:limit]]
    text = say("_bot", "upgrade_lines", title=title, lines=lines, unlisted=len(groups) - len(lines),
               more_hint=more_hint)
    return [blocks.section(text)]
