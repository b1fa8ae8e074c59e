"""Who may see a page: signed-in pages redirect strangers to the sign-in form."""
from __future__ import annotations

from flask import g, redirect, request, url_for
from werkzeug.wrappers import Response

from web import sessions
from patrol.models import Account


def require_account() -> Response | None:
    """`before_request` for signed-in pages: sets the account, or sends to /signin."""
    account = sessions.current_account()
    if account is None:
        return redirect(url_for("web.auth.sign_in", next=request.full_path.rstrip("?")))
    g.web_account = account
    return None


def account() -> Account:
    return g.web_account

