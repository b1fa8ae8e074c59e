"""`/patrol subscribe | unsubscribe | subscriptions`: what a channel gets from Patrol.

The server is found through the API with the workspace's credential (so only
the linked account's servers can be named); the subscription itself is a
`slack_channel` webhook of that account (`webhooks.channels.targets`). Before
a channel is subscribed, the bot says so in it: that is also the test that
it may post there, and a bot that is not in the channel says how to invite it.
"""
from __future__ import annotations

import logging

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from bot import matching
from bot.answers import Message, say
from bot.patrol_api import PatrolApi
from bot.replying import Answerer
from bot.subscription_words import EVENT_NAMES, Subscription
from patrol.db import get_db
from slackkit import blocks
from webhooks import subscriptions
from webhooks.channels import targets
from webhooks.models import Webhook

log = logging.getLogger(__name__)
_LABELS = {event: name for name, event in EVENT_NAMES.items()}


class ChannelCommands:
    def __init__(self, answerer: Answerer) -> None:
        self.answerer = answerer

    def answer(self, question: Subscription, command: dict, team_id: str | None, client: WebClient) -> Message | None:
        """The private answer to the command, or None when its answer was posted in the channel."""
        channel = targets.Channel(team_id or "", command.get("channel_id") or "", _channel_name(command))
        user = command.get("user_id") or ""

        def ask(api: PatrolApi, account_id: int) -> Message | None:
            if question.action == "subscribe":
                return self._subscribe(api, account_id, question, channel, client, user)
            if question.action == "unsubscribe":
                return self._unsubscribe(api, question, channel)
            return self._listing(api, channel)

        return self.answerer.answer_as(team_id, ask)

    def _subscribe(self, api: PatrolApi, account_id: int, question: Subscription, channel: targets.Channel,
                   client: WebClient, user: str) -> Message | None:
        server = matching.find(api.servers(), question.server) if question.server else None
        wanted = targets.Wanted(server["id"] if server else None, server["name"] if server else None,
                                list(question.events) if question.events else None, question.min_severity,
                                question.known_exploited_only)
        text = say("subscriptions", "subscribed", server=wanted.server_name, names=_names(wanted.events),
                   min_severity=wanted.min_severity, exploited=wanted.known_exploited_only, user=user)
        try:
            client.chat_postMessage(channel=channel.channel_id, text=text, blocks=[blocks.section(text).to_dict()])
        except SlackApiError as exc:
            return _not_posted(str(exc.response.get("error")))
        with get_db(self.answerer.app).session() as session:
            targets.subscribe(session, account_id, channel, wanted)
        return None

    def _unsubscribe(self, api: PatrolApi, question: Subscription, channel: targets.Channel) -> Message:
        server = matching.find(api.servers(), question.server) if question.server else None
        with get_db(self.answerer.app).session() as session:
            count = targets.unsubscribe(session, channel, server["id"] if server else None, every=server is None)
        return _note(say("subscriptions", "unsubscribed", server=server and server["name"], count=count))

    def _listing(self, api: PatrolApi, channel: targets.Channel) -> Message:
        with get_db(self.answerer.app).session() as session:
            hooks = targets.in_channel(session, channel)
            if not hooks:
                return _note(say("subscriptions", "nothing"))
            names = {server["id"]: server["name"] for server in api.servers()}
            lines = [_line(hook, names) for hook in hooks]
        header = say("subscriptions", "header", count=len(lines))
        return Message(f"{header}: " + " ".join(lines), [blocks.header(header), blocks.section("\n".join(lines))])


def _line(hook: Webhook, names: dict[int, str]) -> str:
    server = None if hook.server_id is None else names.get(hook.server_id, f"#{hook.server_id}")
    return say("subscriptions", "line", server=server, names=_names(hook.events),
               min_severity=hook.min_severity, exploited=hook.known_exploited_only, enabled=hook.enabled,
               reason=hook.disabled_reason)


def _names(events: list[str] | None) -> list[str]:
    """The names people type for a subscription's events (the Slack default when None)."""
    chosen = events if events is not None else subscriptions.SLACK_DEFAULT
    return [_LABELS[event] for event in chosen if event in _LABELS]


def _not_posted(error: str) -> Message:
    log.info("could not subscribe a Slack channel: %s", error)
    if error == "not_in_channel":
        return _note(say("subscriptions", "invite"))
    return _note(say("subscriptions", "cannot_post", error=error))


def _note(text: str) -> Message:
    return Message(text, [blocks.section(text)])


def _channel_name(command: dict) -> str | None:
    name = command.get("channel_name")
    return f"#{name}" if name and name not in ("directmessage", "privategroup") else None
