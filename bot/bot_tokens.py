"""The bot token a workspace's channel subscriptions post with: the OAuth
install's (from the sealed installation store), or in single-workspace mode
SLACK_BOT_TOKEN. Registered with the delivery engine by the bot extension."""
from __future__ import annotations

from flask import Flask
from slack_sdk.oauth.installation_store import InstallationStore

from bot.config import Slack
from patrol import config
from webhooks.channels.tokens import Lookup


def lookup(app: Flask, store: InstallationStore | None) -> Lookup:
    def token_for(team_id: str | None) -> str | None:
        if not team_id:
            return None
        if store is None:
            return config.of(app, Slack).bot_token
        bot = store.find_bot(enterprise_id=None, team_id=team_id)
        return bot.bot_token if bot is not None else None

    return token_for
