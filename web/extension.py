"""Plugs the web pages into a Patrol app (entry point `patrol.extensions`)."""
from __future__ import annotations

from flask import Flask
from flask_wtf.csrf import CSRFProtect

from patrol import account_removal, config, migrate, resources, signin
from patrol.extensions import Extension
from web.config import Web


def init_app(app: Flask) -> None:
    import web.models  # noqa: F401 - registers the tables
    from web import sessions, signin_limits
    from web.blueprint import bp

    config.load(app, Web)
    migrate.add_versions(app, resources.path("web", "migrations"))
    account_removal.on_delete(app, signin_limits.forget_account)
    _configure_cookies(app)
    signin.provide(app, sessions.current_account)
    # Only the web blueprint checks tokens (security.check_csrf): the API and
    # Slack routes authenticate every request in their own way.
    app.config.setdefault("WTF_CSRF_CHECK_DEFAULT", False)
    # Tokens live as long as the session; a page left open for an hour still works.
    app.config.setdefault("WTF_CSRF_TIME_LIMIT", None)
    # The Referer check for HTTPS would refuse every form on a page sent with
    # `Referrer-Policy: no-referrer`; the session-bound token is the defence.
    app.config.setdefault("WTF_CSRF_SSL_STRICT", False)
    CSRFProtect(app)
    app.register_blueprint(bp)


def _configure_cookies(app: Flask) -> None:
    app.config.update(
        SESSION_COOKIE_HTTPONLY=True,
        SESSION_COOKIE_SAMESITE="Lax",
        SESSION_COOKIE_SECURE=(config.of(app, config.Core).public_url or "").startswith("https://"),
        # The cookie outlives no session; the server decides when a session ends.
        PERMANENT_SESSION_LIFETIME=config.of(app, Web).session_max_age,
    )


extension = Extension("web", init_app, requires=("webhooks",))
