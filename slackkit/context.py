"""What a Slack message needs beyond the event itself."""
from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class MessageContext:
    """Facts the event API does not carry.

    `public_url` is where people reach Patrol (links and buttons appear only
    when it is set); `severity_counts` is the server's open issues by
    severity after the scan, for `webhook.scan_finished`. `upgrades` are the
    server's upgrade groups as `GET /api/servers/{id}/upgrades` gives them (a
    new-issues message names those of its own issues); `dismissable` puts a
    "Dismiss…" button beside each issue, on messages the Slack app posts
    itself (only the app can open the modal the button asks for).
    """

    account_email: str
    webhook_description: str | None = None
    public_url: str | None = None
    severity_counts: dict[str, int] | None = None
    upgrades: list[dict] | None = None
    dismissable: bool = False
