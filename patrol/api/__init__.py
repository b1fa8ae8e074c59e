"""The REST API under /api (the contract in shared/spec/api.md).

One blueprint per resource; each authenticates every request. Extensions
(webhooks) add their own blueprints with `auth.authenticate_request`.
"""
from __future__ import annotations

from flask import Flask

from patrol.api import auth, buckets, envelope, openapi, servers, software, user


def init_app(app: Flask) -> None:
    envelope.init_app(app)
    for module in (user, servers, buckets, software):
        module.bp.before_request(auth.authenticate_request)
        app.register_blueprint(module.bp, url_prefix="/api")
    app.register_blueprint(openapi.bp, url_prefix="/api")
