"""Docs served by the app itself: the webhooks guide and the API reference."""
from __future__ import annotations

from flask import Blueprint, current_app, render_template

from patrol import config
from patrol.api.openapi import document
from web import apiref
from webhooks.config import Webhooks

bp = Blueprint("docs", __name__, url_prefix="/docs")


@bp.get("/webhooks")
def webhooks_guide():
    return render_template("web/docs_webhooks.html", webhooks=config.of(current_app, Webhooks))


@bp.get("/api")
def api_reference():
    doc = document(current_app)
    return render_template(
        "web/docs_api.html", info=doc.get("info", {}), operations=apiref.operations(doc),
        schemas=apiref.schemas(doc),
    )
