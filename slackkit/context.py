"""What a Slack message needs beyond the event itself."""
from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class MessageContext:
    """Facts the event API does not carry.

    `public_url` is where people reach Patrol (links and buttons appear only
    when it is set); `severity_counts` is the server's open issues by
    severity after the scan, for `webhook.scan_finished`.
    """

    account_email: str
    webhook_description: str | None = None
    public_url: str | None = None
    severity_counts: dict[str, int] | None = None
