"""The Flask glue: Bolt's SlackRequestHandler at /slack/events, and the OAuth
pages when distribution is configured. Installing needs a signed-in account."""
from __future__ import annotations

from urllib.parse import urlencode

from flask import Flask, Response, redirect, request
from slack_bolt import App
from slack_bolt.adapter.flask import SlackRequestHandler
from slack_bolt.adapter.flask.handler import to_bolt_request, to_flask_response
from slack_bolt.oauth import OAuthFlow

from bot import oauth
from patrol import signin

EVENTS_PATH = "/slack/events"
SIGN_IN = "/signin"


def mount(app: Flask, bolt: App, *, events: bool = True) -> None:
    """The OAuth pages when OAuth is set up; /slack/events when `events` (a signing secret checks it)."""
    handler = SlackRequestHandler(bolt)
    if events:
        app.add_url_rule(EVENTS_PATH, "slack_events", lambda: handler.handle(request), methods=["POST"])
    if bolt.oauth_flow is not None:
        app.add_url_rule(oauth.INSTALL_PATH, "slack_install", _install_view(bolt.oauth_flow))
        app.add_url_rule(oauth.REDIRECT_PATH, "slack_oauth_redirect", lambda: handler.handle(request))


def _install_view(flow: OAuthFlow):  # noqa: ANN202 - a Flask view
    def install() -> Response:
        """Off to Slack's consent page, remembering who asked; sign in first."""
        account = signin.current_account()
        if account is None:
            return redirect(f"{SIGN_IN}?{urlencode({'next': oauth.INSTALL_PATH})}")
        bolt_request = to_bolt_request(request)
        bolt_request.context[oauth.ACCOUNT] = account.id
        return to_flask_response(flow.handle_installation(bolt_request))

    return install
