"""GET /advisories/status: how fresh the advisory data is, per ecosystem."""
from __future__ import annotations

from flask import Blueprint, current_app

from patrol.advisories import status
from patrol.advisories.settings import SyncSettings
from patrol.api.auth import authenticate_request
from patrol.api.envelope import ok
from patrol.db import get_db

bp = Blueprint("api_advisories", __name__)
bp.before_request(authenticate_request)


@bp.get("/advisories/status")
def show():
    rows = status.report(get_db(), SyncSettings.of(current_app))
    return ok([row.as_dict() for row in rows])
