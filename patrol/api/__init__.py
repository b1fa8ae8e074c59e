"""The REST API under /api (the contract in docs/api.md).

One blueprint per resource; each authenticates every request with a hook
attached where the blueprint is defined (a blueprint is shared by every app
built in the process, so `init_app` must not add hooks to it). Extensions
(webhooks) add their own blueprints with `auth.authenticate_request`.
"""
from __future__ import annotations

from flask import Flask

from patrol.api import (
    advisories, buckets, converters, dismissals, envelope, openapi, rate_limit, servers, software, user,
)


def init_app(app: Flask) -> None:
    envelope.init_app(app)
    rate_limit.init_app(app)
    app.url_map.converters["id"] = converters.RowId
    for module in (user, servers, buckets, software, advisories, dismissals):
        app.register_blueprint(module.bp, url_prefix="/api")
    app.register_blueprint(openapi.bp, url_prefix="/api")
