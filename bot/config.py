"""The Slack app's settings: how Slack reaches Patrol and which workspaces it serves."""
from __future__ import annotations

from dataclasses import dataclass

from patrol.config import prefixed, setting, text

APP_TOKEN = prefixed("xapp-", "an app-level token (xapp-...) with connections:write")


@dataclass(frozen=True)
class Slack:
    """Read when the bot is initialised (`patrol.config.load`); `patrol.config.of(app, Slack)`.

    Slack's Web API base is the webhooks' (`webhooks.config.Webhooks.slack_api_url`).
    """

    signing_secret: str | None = setting("SLACK_SIGNING_SECRET", text, key="SLACK_SIGNING_SECRET",
                                         secret=True)
    bot_token: str | None = setting("SLACK_BOT_TOKEN", text, key="SLACK_BOT_TOKEN", secret=True)
    # Turns on Socket Mode; only an app-level token can open it.
    app_token: str | None = setting("SLACK_APP_TOKEN", APP_TOKEN, key="SLACK_APP_TOKEN", secret=True)
    client_id: str | None = setting("SLACK_CLIENT_ID", text, key="SLACK_CLIENT_ID")
    client_secret: str | None = setting("SLACK_CLIENT_SECRET", text, key="SLACK_CLIENT_SECRET", secret=True)
