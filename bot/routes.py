"""The Flask glue: Bolt's SlackRequestHandler at /slack/events, and the OAuth
pages when distribution is configured. Installing needs a signed-in account."""
from __future__ import annotations

from urllib.parse import urlencode

from flask import Flask, Response, jsonify, redirect, request
from flask.typing import ResponseReturnValue
from slack_bolt import App
from slack_bolt.adapter.flask import SlackRequestHandler
from slack_bolt.adapter.flask.handler import to_bolt_request, to_flask_response
from slack_bolt.oauth import OAuthFlow

from bot import oauth
from bot.config import Slack
from bot.verification import SlackRequestGuard
from patrol import config, input_guard, signin
from patrol.api.envelope import error_body
from patrol.db import get_db
from patrol.errors import BadRequest, PatrolError

EVENTS_PATH = "/slack/events"
SIGN_IN = "/signin"


def mount(app: Flask, bolt: App, *, events: bool = True) -> None:
    """The OAuth pages when OAuth is set up; /slack/events when `events` (a signing secret checks it)."""
    handler = SlackRequestHandler(bolt)
    secret = config.of(app, Slack).signing_secret
    if events and secret:
        guard = SlackRequestGuard(secret, get_db(app))
        app.add_url_rule(EVENTS_PATH, "slack_events", _events_view(bolt, guard), methods=["POST"])
    if bolt.oauth_flow is not None:
        app.add_url_rule(oauth.INSTALL_PATH, "slack_install", _install_view(bolt.oauth_flow))
        app.add_url_rule(oauth.REDIRECT_PATH, "slack_oauth_redirect", lambda: handler.handle(request))


def _events_view(bolt: App, guard: SlackRequestGuard):  # noqa: ANN202 - a Flask view
    @input_guard.raw_body
    def events() -> ResponseReturnValue:
        """Signature and replay first, on the raw bytes; only then is the body read."""
        try:
            guard.check(request.get_data(cache=True), request.headers.get("X-Slack-Request-Timestamp"),
                        request.headers.get("X-Slack-Signature"))
            input_guard.check_body()
            bolt_request = to_bolt_request(request)
        except PatrolError as exc:
            return _refused(exc)
        except ValueError:  # signed, yet not a body Slack sends (JSON that does not parse)
            return _refused(BadRequest("The request body is not a Slack payload."))
        return to_flask_response(bolt.dispatch(bolt_request))

    return events


def _refused(exc: PatrolError) -> tuple[Response, int]:
    return jsonify(error_body(exc.code, exc.message, exc.fields)), exc.status


def _install_view(flow: OAuthFlow):  # noqa: ANN202 - a Flask view
    def install() -> ResponseReturnValue:
        """Off to Slack's consent page, remembering who asked; sign in first."""
        account = signin.current_account()
        if account is None:
            return redirect(f"{SIGN_IN}?{urlencode({'next': oauth.INSTALL_PATH})}")
        bolt_request = to_bolt_request(request)
        bolt_request.context[oauth.ACCOUNT] = account.id
        return to_flask_response(flow.handle_installation(bolt_request))

    return install
