"""/healthz (the process answers) and /readyz (it can do its work).

/readyz is 503 when the database cannot be reached; stale advisory data is
reported in the body but keeps it 200: an instance with old advisories still
serves pushes and the API, and pulling it from a load balancer helps nobody.
"""
from __future__ import annotations

from flask import Blueprint, Flask, current_app, jsonify
from sqlalchemy import text
from sqlalchemy.exc import SQLAlchemyError

from patrol.advisories import status
from patrol.advisories.settings import SyncSettings
from patrol.api.envelope import error_body
from patrol.db import get_db

bp = Blueprint("health", __name__)


@bp.get("/healthz")
def healthz():
    return jsonify({"status": "ok"})


@bp.get("/readyz")
def readyz():
    db = get_db()
    try:
        with db.reader() as session:
            session.execute(text("SELECT 1"))
        statuses = status.report(db, SyncSettings.of(current_app))
    except SQLAlchemyError:
        current_app.logger.warning("readyz: the database cannot be reached")
        return jsonify(error_body("not_ready", "The database cannot be reached.")), 503
    stale = status.stale_in_use(statuses)
    return jsonify({"status": "ready", "database": "ok", "advisories": {"fresh": not stale, "stale": stale}})


def init_app(app: Flask) -> None:
    app.register_blueprint(bp)
