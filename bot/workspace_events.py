"""The Events API listeners: App Home, link unfurls, and losing a workspace."""
from __future__ import annotations

import logging

from slack_bolt import App, BoltContext
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from bot import home, unfurls
from bot.replying import Answerer
from bot.uninstalls import Uninstalls

log = logging.getLogger(__name__)


def register(bolt: App, answerer: Answerer, uninstalls: Uninstalls) -> None:
    def home_opened(event: dict, context: BoltContext, client: WebClient) -> None:
        if event.get("tab") == "home":
            publish_home(client, answerer, context.team_id, event.get("user"))

    def link_shared(event: dict, context: BoltContext, client: WebClient) -> None:
        wanted = unfurls.server_ids(event.get("links") or [], answerer.public_url)
        made = unfurls.cards(answerer, context.team_id, wanted)
        if made:
            _call(client.chat_unfurl, channel=event.get("channel"), ts=event.get("message_ts"), unfurls=made)

    def app_uninstalled(context: BoltContext) -> None:
        uninstalls.app_uninstalled(context.enterprise_id, context.team_id)

    def tokens_revoked(event: dict, context: BoltContext) -> None:
        uninstalls.tokens_revoked(event, context.enterprise_id, context.team_id)

    bolt.event("app_home_opened")(home_opened)
    bolt.event("link_shared")(link_shared)
    bolt.event("app_uninstalled")(app_uninstalled)
    bolt.event("tokens_revoked")(tokens_revoked)


def publish_home(client: WebClient, answerer: Answerer, team_id: str | None, user_id: str | None,
                 note: str | None = None) -> None:
    if user_id:
        _call(client.views_publish, user_id=user_id, view=home.view(answerer, team_id, note))


def _call(method, **args: object) -> None:  # noqa: ANN001 - a WebClient method
    """Slack refusing a view or an unfurl is logged, never raised into Bolt's listener."""
    try:
        method(**args)
    except SlackApiError as exc:
        log.warning("Slack refused %s: %s", method.__name__, exc.response.get("error"))
