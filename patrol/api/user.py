"""GET /user: who the credentials belong to."""
from __future__ import annotations

from flask import Blueprint

from patrol.api.auth import authenticate_request, current_account
from patrol.api.envelope import ok
from patrol.clock import iso

bp = Blueprint("api_user", __name__)
bp.before_request(authenticate_request)


@bp.get("/user")
def show():
    account = current_account()
    return ok({"id": account.id, "email": account.email, "created_at": iso(account.created_at)})
