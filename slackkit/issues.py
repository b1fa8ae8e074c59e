"""The Slack message for new server issues: a severity summary, then the issues
worst first, cut to a readable number with the rest counted, never dropped,
then the upgrades that fix them."""
from __future__ import annotations

from collections.abc import Mapping, Sequence

from slack_sdk.models.blocks import Block

from slackkit import blocks, severity
from slackkit.context import MessageContext
from slackkit.messages import Message, one_line, scan_footer, server_id, server_name
from slackkit.wording import Wording

# One section per issue. Ten keep the message readable and far below
# Slack's 50 blocks; the rest are counted on a closing line.
MAX_LISTED = 10
MAX_UPGRADES = 5  # the most useful upgrades; the rest are counted
TEMPLATE = "new_server_issues"


def new_server_issues(event: Mapping, ctx: MessageContext, say: Wording) -> Message:
    issues = severity.worst_first(event.get("issues") or [])
    server, by_severity = server_name(event), severity.counts(issues)
    returned = (event.get("counts") or {}).get("returned") or 0  # back from a dismissal, not new
    body = [
        blocks.header(say(TEMPLATE, "header", server=server, count=len(issues), returned=returned)),
        blocks.section(say(TEMPLATE, "intro", server=server, count=len(issues), returned=returned)),
        *blocks.fields([say(TEMPLATE, "severity_field", severity=name, count=count)
                        for name, count in by_severity.items()]),
        blocks.divider(),
        *_listing(say, issues, ctx, server_id(event)),
        *_upgrades(say, issues, ctx.upgrades or []),
        blocks.divider(),
        *blocks.server_actions(say, server_id(event), ctx.public_url, interactive=True),
        *scan_footer(say, TEMPLATE, event.get("scan") or {}, "finished_at"),
    ]
    fallback = say(TEMPLATE, "fallback", server=server, count=len(issues), counts=by_severity, returned=returned)
    return Message(one_line(fallback), body)


def _listing(say: Wording, issues: list[Mapping], ctx: MessageContext, server: object) -> list[Block]:
    rows = [issue_row(say, issue, server if ctx.dismissable else None) for issue in issues[:MAX_LISTED]]
    unlisted = len(issues) - MAX_LISTED
    if unlisted > 0:
        url = blocks.server_url(ctx.public_url, server)
        rows.append(blocks.context(say(TEMPLATE, "more", count=unlisted, url=url)))
    return rows


def issue_row(say: Wording, issue: Mapping, dismiss_on: object) -> Block:
    """The issue's section; with a "Dismiss…" button when `dismiss_on` names its server."""
    text = say(TEMPLATE, "issue", **issue_facts(issue))
    if dismiss_on is None or issue.get("id") is None:
        return blocks.section(text)
    return blocks.dismissable_section(say, text, dismiss_on, issue["id"])


def _upgrades(say: Wording, issues: list[Mapping], upgrades: Sequence[Mapping]) -> list[Block]:
    """The upgrade groups that fix the listed issues, in the API's order (most useful first)."""
    mine = upgrades_of(issues, upgrades)
    if not mine:
        return []
    lines = [upgrade_facts(group) for group in mine[:MAX_UPGRADES]]
    return [blocks.divider(), blocks.section(say(TEMPLATE, "upgrades", lines=lines,
                                                 unlisted=len(mine) - len(lines)))]


def upgrades_of(issues: Sequence[Mapping], upgrades: Sequence[Mapping]) -> list[Mapping]:
    """The upgrade groups that fix (or have no fix for) any of `issues`, in their order."""
    wanted = {issue.get("id") for issue in issues}
    return [group for group in upgrades if wanted & {*group.get("issues", []), *group.get("unfixed", [])}]


def upgrade_facts(group: Mapping) -> dict:
    """An upgrade group of the API as the wording's `upgrade` piece takes it."""
    fixes = group.get("fixes") if group.get("to") else len(group.get("unfixed") or [])
    return {"package": group.get("package") or "", "location": group.get("location"),
            "installed": group.get("from"), "to": group.get("to"), "fixes": fixes or 0,
            "by_severity": group.get("by_severity") or {}}


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
        "known_exploited": bool(issue.get("known_exploited")),
        "epss_percentile": (issue.get("epss") or {}).get("percentile"),
    }
