"""The `web` blueprint: every page and asset, with the hooks they share.

Child blueprints (one per area) inherit the parent's CSRF check, security
headers, error pages and template context. Hooks are attached here, where
the blueprint is defined, because a blueprint object is shared by every app
built in the process.
"""
from __future__ import annotations

from flask import Blueprint, current_app, g, request

from patrol import config

from web import (
    api_page, auth, dashboard, delivery_log, dismissal_pages, docs, errors, paging, passwords, rendering, security,
    server_pages, sessions, webhook_form, webhook_pages,
)

bp = Blueprint("web", __name__, static_folder="static", static_url_path="/assets")
bp.before_request(security.check_csrf)
bp.after_request(security.add_headers)
errors.register(bp)
for child in (auth, passwords, dashboard, server_pages, dismissal_pages, api_page, webhook_pages, delivery_log, docs):
    bp.register_blueprint(child.bp)
for name, function in rendering.FILTERS.items():
    bp.add_app_template_filter(function, name)
bp.add_app_template_global(webhook_form.EVENT_NAMES, "event_names")  # type: ignore[arg-type]  # a dict serves
bp.add_app_template_global(paging.page_url, "page_url")
bp.add_app_template_global(paging.live_url, "live_url")


@bp.context_processor
def page_context() -> dict:
    account = g.get("web_account") or sessions.current_account()
    return {
        "signed_in": account,
        "version": current_app.config.get("PATROL_VERSION", ""),
        # What collectors and receivers call: the configured address, else this one.
        "api_url": config.of(current_app, config.Core).api_url or request.host_url + "api",
    }
