"""`/patrol status`: every server on one line, riskiest first, as the API and the web rank them."""
from __future__ import annotations

from collections.abc import Mapping, Sequence

from bot.answers import Message, facts_of_server, packed, say
from patrol.triage.state import risk_key
from slackkit import blocks, severity

# Forty lines fill a screen; the rest are counted, and they have the fewest issues.
MAX_LISTED = 40


def status_list(servers: Sequence[tuple[Mapping, Mapping[str, int]]]) -> Message:
    """`servers` pairs each server object with its open issues by severity."""
    if not servers:
        return Message(say("status", "empty"), [blocks.section(say("status", "empty"))])
    ranked = sorted(servers, key=rank)
    lines = [say("status", "line", server=facts_of_server(server), counts=severity.ordered(counts),
                 worst=worst(counts))
             for server, counts in ranked[:MAX_LISTED]]
    body = [blocks.header(say("status", "header", count=len(ranked))), *packed(lines)]
    if len(ranked) > MAX_LISTED:
        body.append(blocks.context(say("status", "more", count=len(ranked) - MAX_LISTED)))
    body.append(blocks.context(say("status", "hint")))
    open_count = sum(sum(counts.values()) for _, counts in ranked)
    return Message(say("status", "fallback", count=len(ranked), open_count=open_count), body)


def worst(counts: Mapping[str, int]) -> str | None:
    """The worst severity with open issues, or None for a clean server."""
    return next(iter(severity.ordered(counts)), None)


def rank(entry: tuple[Mapping, Mapping[str, int]]) -> tuple:
    """Sort key: the API's risk order (critical first, then stale, then the rest worst first)."""
    server, counts = entry
    return risk_key(severity.ordered(counts), str(server.get("state")), str(server.get("name")))
