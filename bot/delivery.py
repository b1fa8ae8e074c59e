"""Sending an answer: privately through the request's `response_url`, or, when
asked with `--public`, into the channel with `chat.postMessage`."""
from __future__ import annotations

import logging

from slack_bolt import Respond
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from bot.answers import Message, notes, payload

log = logging.getLogger(__name__)


def deliver(message: Message, respond: Respond, client: WebClient, *, channel: str | None = None) -> None:
    """Post `message` in `channel` when given, else (or when that fails) only to the asker."""
    if channel:
        try:
            client.chat_postMessage(channel=channel, **payload(message))
            return
        except SlackApiError as exc:  # e.g. not_in_channel: the bot was never invited
            log.info("could not share a Slack answer in %s: %s", channel, exc.response.get("error"))
            message = notes.not_shared(message)
    respond(**payload(message), response_type="ephemeral", replace_original=False)
