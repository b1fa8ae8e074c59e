"""Passwords: the first one, set with an API key, and a change, with the current one.

An API key and secret sit on every monitored server (`patrol push` needs
them), so they may set a password only for an account that has none yet
(one made with `patrol account create`); they never replace one. Changing a
password needs the current one, and signs the account out everywhere else.
"""
from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, request, url_for
from werkzeug.wrappers import Response

from patrol import accounts, credentials, db
from patrol.errors import Invalid
from patrol.models import Account
from web import access, sessions, signin_limits

bp = Blueprint("passwords", __name__)
HAS_PASSWORD = ("This account already has a password. Sign in and change it from your account menu; "  # noqa: S105
                "if it is forgotten, ask whoever runs this Patrol.")


@bp.route("/set-password", methods=["GET", "POST"])
def set_first():
    if request.method == "GET":
        return render_template("web/set_password.html", key="", errors={})
    key = request.form.get("key", "").strip()
    session, address = db.session(), signin_limits.client_address()
    signin_limits.check(session, None, address)
    account = credentials.authenticate(session, key, request.form.get("secret", "").strip())
    if account is None:
        signin_limits.record_failure(session, None, address)
        session.commit()
        errors = {"secret": "That API key and secret do not match a live credential."}
        return render_template("web/set_password.html", key=key, errors=errors), 401
    if account.password_hash:
        return render_template("web/set_password.html", key=key, errors={"key": HAS_PASSWORD}), 409
    return _replace(account, "web/set_password.html", f"Your password is set. You are signed in as {account.email}.",
                    key=key)


@bp.route("/account/password", methods=["GET", "POST"])
def change():
    if (away := access.require_account()) is not None:
        return away
    if request.method == "GET":
        return render_template("web/change_password.html", errors={})
    account, session, address = access.account(), db.session(), signin_limits.client_address()
    signin_limits.check(session, account.email, address, known=True)
    if not accounts.check_password(account, request.form.get("current_password", "")):
        signin_limits.record_failure(session, account.email, address)
        session.commit()
        errors = {"current_password": "Your current password is not right."}
        return render_template("web/change_password.html", errors=errors), 401
    return _replace(account, "web/change_password.html",
                    "Your password is changed, and every other session of your account is signed out.")


def _replace(account: Account, form: str, done: str, **context: str) -> Response | tuple[str, int]:
    """Set the form's new password, end every session of the account, and sign this browser in afresh."""
    try:
        accounts.set_password(account, request.form.get("password", ""))
    except Invalid as exc:
        return render_template(form, errors=exc.fields or {}, **context), 422
    sessions.end_all(account)
    sessions.start(account)
    db.session().commit()
    flash(done, "info")
    return redirect(url_for("web.servers.dashboard"))
