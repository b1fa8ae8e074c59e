"""Sending one claimed delivery to a subscribed Slack channel."""
from __future__ import annotations

from patrol.db import Database
from webhooks import payloads
from webhooks.channels import webapi
from webhooks.channels.living import LivingMessages, Messages
from webhooks.channels.tokens import Lookup
from webhooks.queue import Claimed
from webhooks.transport import Result


class ChannelSender:
    def __init__(self, db: Database, api_url: str, tokens: Lookup, timeout: float) -> None:
        self.api_url, self.tokens, self.timeout = api_url, tokens, timeout
        self.living = LivingMessages(db)

    def send(self, item: Claimed, messages: Messages) -> Result:
        token, channel = self.tokens(item.slack_team_id), item.slack_channel_id
        if not token or not channel:  # a subscription lacking either cannot be reached
            return webapi.not_installed(item.slack_team_id).result
        api = webapi.WebApi(self.api_url, token, self.timeout)
        # The card counts and keeps only the issues the subscription wants, as its message shows them.
        event = payloads.wanted(item.event, item.min_severity, item.known_exploited_only)
        return self.living.deliver(api, item.webhook_id, channel, event, messages).result
