"""The Bolt app, for one workspace (a bot token) or many (OAuth).

Nothing here calls Slack at start-up: the single-workspace authorization
answers from configuration instead of `auth.test`, so slash commands work
even while Slack's Web API is out of reach. Requests are verified twice:
before Bolt sees them (bot.verification: signature, 5-minute window, replays)
and by Bolt's own default check, which stays on.
"""
from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from typing import Any

from flask import Flask
from slack_bolt import App
from slack_bolt.authorization import AuthorizeResult
from slack_sdk import WebClient

from bot import actions, bot_tokens, commands, dismissing, oauth, workspace_events
from bot.config import Slack
from bot.replying import Answerer
from bot.uninstalls import Uninstalls
from patrol import background, config
from webhooks.channels import tokens
from webhooks.config import Webhooks

LISTENER_THREADS = 8  # answers in flight at once; each waits mostly on Patrol's API


def build(app: Flask) -> App:
    """The Bolt app for a Patrol app with SLACK_SIGNING_SECRET (HTTP) or SLACK_APP_TOKEN (Socket Mode)."""
    slack = config.of(app, Slack)
    client = WebClient(base_url=config.of(app, Webhooks).slack_api_url)
    threads = background.get(app).add(ListenerThreads())
    # Over Socket Mode requests are not signed (the socket is Patrol's own), so "" is no loophole:
    # the HTTP route, which checks signatures, only exists with a signing secret.
    common: dict[str, Any] = {"signing_secret": slack.signing_secret or "", "client": client,
              "listener_executor": threads.executor}
    # Distribution to many workspaces (OAuth) needs the app's client id and secret.
    store = oauth.installation_store(app, slack.client_id) if slack.client_id and slack.client_secret else None
    if store is not None:
        bolt = App(**common, installation_store=store, oauth_flow=oauth.flow(app, client, store))
    else:
        bolt = App(**common, authorize=single_workspace(slack.bot_token))
    tokens.register(app, bot_tokens.lookup(app, store))
    answerer = Answerer(app)
    commands.register(bolt, answerer)
    actions.register(bolt, answerer)
    dismissing.register(bolt, answerer)
    workspace_events.register(bolt, answerer, Uninstalls(app, store))
    return bolt


def single_workspace(bot_token: str | None):  # noqa: ANN201 - Bolt's authorize callable
    """Authorize every verified request with the configured bot token.

    Which Patrol account a request may act for is decided by the workspace
    link, not here; the token is only needed to post with `--public`.
    """

    def authorize(enterprise_id: str | None, team_id: str | None) -> AuthorizeResult:
        return AuthorizeResult(enterprise_id=enterprise_id, team_id=team_id, bot_token=bot_token)

    return authorize


class ListenerThreads:
    """The threads Bolt runs listeners on, as a background service of the app,
    so that stopping Patrol lets answers in flight finish and ends the threads."""

    def __init__(self) -> None:
        self.executor = ThreadPoolExecutor(max_workers=LISTENER_THREADS, thread_name_prefix="slack-listener")

    def start(self) -> None:
        """Nothing to start: the executor makes its threads as answers arrive."""

    def stop(self) -> None:
        self.executor.shutdown(wait=True)
