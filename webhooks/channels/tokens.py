"""Where a delivery finds a workspace's bot token.

The Slack app (the `bot` extension) knows the tokens; it registers a lookup
here, so the delivery engine never imports it. Without one, no channel has a token.
"""
from __future__ import annotations

from collections.abc import Callable

from flask import Flask

KEY = "webhooks.slack_bot_tokens"
Lookup = Callable[[str | None], str | None]


def register(app: Flask, lookup: Lookup) -> None:
    app.extensions[KEY] = lookup


def lookup_for(app: Flask) -> Lookup:
    """A lookup that asks whatever is registered when it is called (extensions load in any order)."""

    def lookup(team_id: str | None) -> str | None:
        registered = app.extensions.get(KEY)
        return registered(team_id) if registered else None

    return lookup
