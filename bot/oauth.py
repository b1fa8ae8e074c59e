"""Distribution to many workspaces: Bolt's OAuth flow, started from a signed-in page.

`/slack/install` remembers the signed-in account in the OAuth state; the
callback links the workspace to it and turns the install's incoming
webhook into a Slack webhook of that account, then shows the API page.
"""
from __future__ import annotations

import logging

from flask import Flask
from slack_bolt.oauth import OAuthFlow
from slack_bolt.oauth.callback_options import CallbackOptions, FailureArgs, SuccessArgs
from slack_bolt.oauth.oauth_settings import OAuthSettings
from slack_bolt.request import BoltRequest
from slack_bolt.response import BoltResponse
from slack_sdk import WebClient

from bot import installs, sealing, stores
from bot.config import Slack
from patrol import config
from patrol.db import get_db
from patrol.errors import PatrolError
from webhooks.config import Webhooks

INSTALL_PATH = "/slack/install"
REDIRECT_PATH = "/slack/oauth_redirect"
AFTER_INSTALL = "/api-settings"
ACCOUNT = "patrol_account_id"  # where the install view puts the signed-in account
# What the app asks for, and all it asks for (bot/manifest.yml lists the same).
SCOPES = ("commands", "chat:write", "incoming-webhook", "links:read", "links:write")
STATE_LIFETIME = 600

log = logging.getLogger(__name__)


class PatrolOAuthFlow(OAuthFlow):
    def issue_new_state(self, request: BoltRequest) -> str:
        return self.settings.state_store.issue(account_id=request.context[ACCOUNT])


def installation_store(app: Flask, client_id: str) -> stores.SealedInstallationStore:
    return stores.SealedInstallationStore(
        client_id, get_db(app).engine, lambda: sealing.for_app(app)
    )


def flow(app: Flask, client: WebClient, store: stores.SealedInstallationStore) -> PatrolOAuthFlow:
    slack, public_url = config.of(app, Slack), config.of(app, config.Core).public_url
    settings = OAuthSettings(
        client_id=slack.client_id,
        client_secret=slack.client_secret,
        scopes=list(SCOPES),
        user_scopes=[],
        redirect_uri=public_url + REDIRECT_PATH if public_url else None,
        install_path=INSTALL_PATH,
        redirect_uri_path=REDIRECT_PATH,
        install_page_rendering_enabled=False,  # the "Add to Slack" button was on Patrol's page already
        installation_store=store,
        state_store=stores.AccountStateStore(expiration_seconds=STATE_LIFETIME, engine=get_db(app).engine),
        state_expiration_seconds=STATE_LIFETIME,
        callback_options=CallbackOptions(success=_on_success(app), failure=_on_failure),
    )
    return PatrolOAuthFlow(client=client, settings=settings)


def _on_success(app: Flask):  # noqa: ANN202 - Bolt's callback type
    def success(args: SuccessArgs) -> BoltResponse:
        try:
            _adopt(app, args)
        except (PatrolError, stores.BadState) as exc:
            log.warning("Slack install of %s not linked: %s", args.installation.team_id, exc)
            failed = FailureArgs(request=args.request, reason=str(exc), error=exc, suggested_status_code=400,
                                 settings=args.settings, default=args.default)
            return _on_failure(failed)
        forget_state = args.settings.state_utils.build_set_cookie_for_deletion()
        return BoltResponse(status=302, body="", headers={"Location": AFTER_INSTALL, "Set-Cookie": [forget_state]})

    return success


def _adopt(app: Flask, args: SuccessArgs) -> None:
    """Link the workspace to the account its (already consumed) state names."""
    account_id = stores.account_in(args.request.query["state"][0])
    policy = config.of(app, Webhooks).address_policy
    with get_db(app).session() as session:
        installs.adopt(session, sealing.for_app(app), policy, account_id, args.installation)


def _on_failure(args: FailureArgs) -> BoltResponse:
    """Bolt's own page (it says what failed and offers to try again)."""
    return args.default.failure(args)
