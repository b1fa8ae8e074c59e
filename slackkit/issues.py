"""The Slack message for new server issues: a severity summary, then the issues
worst first, cut to a readable number with the rest counted, never dropped."""
from __future__ import annotations

from collections.abc import Mapping

from slack_sdk.models.blocks import Block

from slackkit import blocks, severity
from slackkit.context import MessageContext
from slackkit.messages import Message, one_line, scan_footer, server_id, server_name
from slackkit.wording import Wording

# One section per issue. Ten keep the message readable and far below
# Slack's 50 blocks; the rest are counted on a closing line.
MAX_LISTED = 10
TEMPLATE = "new_server_issues"


def new_server_issues(event: Mapping, ctx: MessageContext, say: Wording) -> Message:
    issues = severity.worst_first(event.get("issues") or [])
    server, by_severity = server_name(event), severity.counts(issues)
    body = [
        blocks.header(say(TEMPLATE, "header", server=server, count=len(issues))),
        blocks.section(say(TEMPLATE, "intro", server=server)),
        *blocks.fields([say(TEMPLATE, "severity_field", severity=name, count=count)
                        for name, count in by_severity.items()]),
        blocks.divider(),
        *_listing(say, issues, blocks.server_url(ctx.public_url, server_id(event))),
        blocks.divider(),
        *blocks.server_actions(say, server_id(event), ctx.public_url, interactive=True),
        *scan_footer(say, TEMPLATE, event.get("scan") or {}, "finished_at"),
    ]
    fallback = say(TEMPLATE, "fallback", server=server, count=len(issues), counts=by_severity)
    return Message(one_line(fallback), body)


def _listing(say: Wording, issues: list[Mapping], server_url: str | None) -> list[Block]:
    rows: list[Block] = [blocks.section(say(TEMPLATE, "issue", **issue_facts(issue)))
                         for issue in issues[:MAX_LISTED]]
    unlisted = len(issues) - MAX_LISTED
    if unlisted > 0:
        rows.append(blocks.context(say(TEMPLATE, "more", count=unlisted, url=server_url)))
    return rows


def issue_facts(issue: Mapping) -> dict:
    """An issue's fields as the Slack wording uses them (the bot's answers too)."""
    software = issue.get("software") or {}
    advisory = issue.get("advisory") or {}
    return {
        "severity": severity.of(issue),
        "package": software.get("name") or "",
        "version": software.get("version"),
        "advisory_id": advisory.get("id") or "",
        "url": advisory.get("url"),
        "aliases": advisory.get("aliases") or [],
        "summary": advisory.get("summary"),
        "fixed_in": issue.get("fixed_in"),
    }
