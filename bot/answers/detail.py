"""`/patrol status SERVER`: one server, its state, the advisories' age and its newest issues."""
from __future__ import annotations

from collections.abc import Mapping, Sequence

from slack_sdk.models.blocks import Block

from bot.answers import Message, button_wording, issue_facts, facts_of_server, packed, say
from bot.answers.upgrades import upgrade_section
from slackkit import blocks, severity

NEWEST = 5
TOP_UPGRADES = 3  # a glance: `/patrol issues SERVER` lists more


def server_detail(server: Mapping, issues: Sequence[Mapping], upgrades: Sequence[Mapping],
                  public_url: str | None) -> Message:
    facts, counts = facts_of_server(server), severity.counts(issues)
    body = [
        blocks.header(say("server", "header", server=facts)),
        blocks.section(say("server", "state", server=facts, open_count=len(issues))),
        *_advisory_age(facts),
        *blocks.fields([say("server", "severity_field", severity=level, count=count)
                        for level, count in counts.items()]),
        *upgrade_section(say("server", "upgrades_title"), upgrades, TOP_UPGRADES,
                         say("server", "upgrades_hint", server=facts["name"])),
        *_newest(issues, facts["name"]),
        *blocks.server_actions(button_wording(), facts["id"], public_url, interactive=True),
    ]
    return Message(say("server", "fallback", server=facts, open_count=len(issues), counts=counts), body)


def _advisory_age(facts: Mapping) -> list[Block]:
    """A clean verdict is only as good as the advisories it was checked against."""
    text = say("server", "advisory_age", server=facts)
    return [blocks.context(text)] if text else []


def _newest(issues: Sequence[Mapping], name: str) -> list[Block]:
    if not issues:
        return []
    newest = sorted(issues, key=lambda issue: issue.get("first_seen_at") or "", reverse=True)[:NEWEST]
    lines = [say("_bot", "issue_line", issue=issue_facts(issue)) for issue in newest]
    body = [blocks.divider(), blocks.section(say("server", "newest_title", count=len(newest))), *packed(lines)]
    if len(issues) > NEWEST:
        body.append(blocks.context(say("server", "more", count=len(issues) - NEWEST, server=name)))
    return body
