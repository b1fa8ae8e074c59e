"""`/patrol issues SERVER [--severity LEVEL]` and the "Show issues" button."""
from __future__ import annotations

from collections.abc import Mapping, Sequence

from bot.answers import Message, button_wording, issue_facts, facts_of_server, packed, say
from bot.answers.upgrades import upgrade_section
from slackkit import blocks, severity
from slackkit.issues import upgrades_of

# Thirty one-line issues stay readable; the rest are counted and linked.
MAX_LISTED = 30
MAX_UPGRADES = 10


def issue_list(server: Mapping, issues: Sequence[Mapping], upgrades: Sequence[Mapping], minimum: str | None,
               public_url: str | None) -> Message:
    """The server's open issues rated `minimum` or worse (all when None): first the
    upgrades that fix them, then the issues worst first."""
    facts = facts_of_server(server)
    name = facts["name"]
    shown = severity.worst_first([issue for issue in issues if at_least(issue, minimum)])
    if not shown:
        text = say("issues", "nothing", server=facts, severity=minimum)
        return Message(text, [blocks.section(text)])
    lines = [say("_bot", "issue_line", issue=issue_facts(issue)) for issue in shown[:MAX_LISTED]]
    fixes = upgrade_section(say("issues", "upgrades_title"), upgrades_of(shown, upgrades), MAX_UPGRADES,
                            blocks.server_url(public_url, server.get("id")))
    body = [blocks.header(say("issues", "header", server=name, count=len(shown), severity=minimum)),
            *fixes, *([blocks.divider()] if fixes else []), *packed(lines)]
    if len(shown) > MAX_LISTED:
        url = blocks.server_url(public_url, server.get("id"))
        body.append(blocks.context(say("issues", "more", count=len(shown) - MAX_LISTED, url=url)))
    body += blocks.server_actions(button_wording(), server.get("id"), public_url, interactive=True)
    counts = severity.counts(shown)
    return Message(say("issues", "fallback", server=name, count=len(shown), counts=counts), body)


def at_least(issue: Mapping, minimum: str | None) -> bool:
    if minimum is None:
        return True
    return severity.ORDER.index(severity.of(issue)) <= severity.ORDER.index(minimum)
