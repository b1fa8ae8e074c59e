"""The Slack message designs for the test, scan started and scan finished events.

Each design takes the event as the event API returns it, the message context
and the wording, and gives back the fallback text and the blocks.
"""
from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime, timezone
from typing import NamedTuple

from slack_sdk.models.blocks import Block

from patrol.scanning.states import ScanStatus
from slackkit import blocks, severity
from slackkit.context import MessageContext
from slackkit.wording import Wording


class Message(NamedTuple):
    fallback: str
    blocks: list[Block]


def test(event: Mapping, ctx: MessageContext, say: Wording) -> Message:
    who = {"account": ctx.account_email, "webhook": ctx.webhook_description}
    footer = say("test", "footer", event_id=event.get("id"), moment=moment(event.get("created_at")))
    return Message(
        one_line(say("test", "fallback", **who)),
        [blocks.header(say("test", "header")), blocks.section(say("test", "body", **who)),
         blocks.context(footer)],
    )


def scan_started(event: Mapping, ctx: MessageContext, say: Wording) -> Message:
    server, scan = server_name(event), event.get("scan") or {}
    trigger = scan.get("trigger")
    body = [
        blocks.header(say("scan_started", "header", server=server)),
        blocks.section(say("scan_started", "body", server=server, trigger=trigger)),
        *blocks.server_actions(say, server_id(event), ctx.public_url, interactive=False),
        *scan_footer(say, "scan_started", scan, "started_at"),
    ]
    return Message(one_line(say("scan_started", "fallback", server=server, trigger=trigger)), body)


def scan_finished(event: Mapping, ctx: MessageContext, say: Wording) -> Message:
    server, scan = server_name(event), event.get("scan") or {}
    counts = event.get("counts") or {}
    facts = {
        "server": server,
        "failed": scan.get("status") == ScanStatus.FAILED,
        "new": counts.get("new", scan.get("new_issue_count")) or 0,
        "resolved": counts.get("resolved", scan.get("resolved_issue_count")) or 0,
        "open_count": counts.get("issues", scan.get("issue_count")) or 0,
        "counts": severity.ordered(ctx.severity_counts or {}),
        "empty": counts.get("software") == 0,  # nothing was checked: no issues is no verdict
        "stale_days": counts.get("stale_days"),  # an old software list: no issues is no all-clear
    }
    verdict = {name: facts[name] for name in ("server", "failed", "empty", "stale_days")}
    body = [
        blocks.header(say("scan_finished", "header", **verdict)),
        blocks.section(say("scan_finished", "body", open_count=facts["open_count"], **verdict)),
        *([] if facts["failed"] else _finished_counts(say, facts)),
        *blocks.server_actions(say, server_id(event), ctx.public_url, interactive=True),
        *scan_footer(say, "scan_finished", scan, "finished_at"),
    ]
    return Message(one_line(say("scan_finished", "fallback", **facts)), body)


def _finished_counts(say: Wording, facts: Mapping) -> list[Block]:
    """New, resolved and open counts, then the open issues by severity when known."""
    kinds = (("new", facts["new"]), ("resolved", facts["resolved"]), ("open", facts["open_count"]))
    return [
        *blocks.fields([say("scan_finished", "count_field", kind=kind, count=count)
                        for kind, count in kinds]),
        *blocks.fields([say("scan_finished", "severity_field", severity=name, count=count)
                        for name, count in facts["counts"].items()]),
    ]


def scan_footer(say: Wording, template: str, scan: Mapping, at: str) -> list[Block]:
    """A context line naming the scan, its trigger and time; none without a scan."""
    if not scan:
        return []
    footer = say(template, "footer", scan_id=scan.get("id"), trigger=scan.get("trigger"),
                 moment=moment(scan.get(at)))
    return [blocks.context(footer)]


def server_name(event: Mapping) -> str:
    return str((event.get("server") or {}).get("name") or server_id(event))


def server_id(event: Mapping) -> object:
    return event.get("server_id") or (event.get("server") or {}).get("id")


def moment(iso: str | None) -> dict | None:
    """A time for Slack's `<!date^...>`, which shows it in each reader's time zone."""
    if not iso:
        return None
    at = datetime.fromisoformat(iso)
    if at.tzinfo is None:
        at = at.replace(tzinfo=timezone.utc)
    return {"ts": int(at.timestamp()), "iso": iso}


def one_line(text: str) -> str:
    """Fallback text is read in notifications: one line, single spaces."""
    return " ".join(text.split())
