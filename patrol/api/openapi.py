"""GET /api/openapi.json: the API reference, assembled from YAML fragments.

The core's fragment sits beside this module; extensions add theirs with
`add_fragment`, so each part documents its own routes.
"""
from __future__ import annotations

from functools import cache
from pathlib import Path

import yaml
from flask import Blueprint, Flask, current_app, jsonify

from patrol import resources

CORE = resources.path("patrol.api", "openapi.yaml")
METHODS = frozenset({"get", "put", "post", "delete", "patch"})
UNAUTHENTICATED = frozenset({"/openapi.json"})
SHARED_ANSWERS = {
    "429": {"$ref": "#/components/responses/RateLimited"},
    "503": {"$ref": "#/components/responses/Unavailable"},
}
bp = Blueprint("api_openapi", __name__)


def add_fragment(app: Flask, path: Path) -> None:
    app.extensions.setdefault("patrol.openapi", []).append(path)


@cache
def _load(path: Path) -> dict:
    return yaml.safe_load(path.read_text())


def document(app: Flask) -> dict:
    doc = _assembled(app)
    doc["paths"] = {path: _with_shared_answers(path, item) for path, item in doc["paths"].items()}
    return doc


def _with_shared_answers(path: str, item: dict) -> dict:
    """Every authenticated operation may also answer 429 (rate limit) and 503 (database away)."""
    if path in UNAUTHENTICATED:
        return item
    return {name: {**op, "responses": {**SHARED_ANSWERS, **op["responses"]}} if name in METHODS else op
            for name, op in item.items()}


def _assembled(app: Flask) -> dict:
    doc = dict(_load(CORE))
    doc["info"] = {**doc["info"], "version": app.config["PATROL_VERSION"]}
    doc["paths"] = dict(doc["paths"])
    doc["components"] = {k: dict(v) for k, v in doc["components"].items()}
    for path in app.extensions.get("patrol.openapi", []):
        fragment = _load(path)
        doc["paths"].update(fragment.get("paths", {}))
        for kind, entries in fragment.get("components", {}).items():
            doc["components"].setdefault(kind, {}).update(entries)
    return doc


@bp.get("/openapi.json")
def openapi():
    return jsonify(document(current_app))
