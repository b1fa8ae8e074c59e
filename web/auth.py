"""Register, sign in and sign out (passwords are set and changed in web.passwords)."""
from __future__ import annotations

from functools import cache

from flask import Blueprint, flash, redirect, render_template, request, url_for
from werkzeug.security import check_password_hash, generate_password_hash

from patrol import accounts, db
from patrol.errors import AlreadyExists, Invalid, NotFound
from patrol.models import Account
from web import sessions, signin_limits
from web.redirects import local_path

bp = Blueprint("auth", __name__)
# The same words whether or not the email already had an account (see register).
REGISTERED = ("Thanks. If that email had no account, it has one now: sign in with it and the password you chose, "
              "then create an API key on the API page.")


@bp.route("/register", methods=["GET", "POST"])
def register():
    """Make an account, and answer the same way when the email already has one.

    With no mail to confirm an address, registering never signs in: a taken
    email gets the same redirect, message and timing (the password is hashed
    either way), its account is untouched, and signing in with the new
    password fails just as any wrong password does."""
    if request.method == "GET":
        return render_template("web/register.html", email="", errors={})
    email, password = request.form.get("email", ""), request.form.get("password", "")
    session = db.session()
    try:
        accounts.add(session, email, password)
    except Invalid as exc:
        return render_template("web/register.html", email=email, errors=exc.fields or {}), 422
    except AlreadyExists:
        pass  # answered exactly like a new account: the page must not tell who has one
    session.commit()
    flash(REGISTERED, "info")
    return redirect(url_for(".sign_in"))


@bp.route("/signin", methods=["GET", "POST"])
def sign_in():
    target = local_path(request.values.get("next"), url_for("web.servers.dashboard"))
    if request.method == "GET":
        if sessions.current_account() is not None:
            return redirect(target)
        return render_template("web/signin.html", email="", next=target, failed=False)
    email, password = request.form.get("email", ""), request.form.get("password", "")
    session, address = db.session(), signin_limits.client_address()
    signin_limits.check(session, email, address, known=sessions.knows(email))
    account = _verified(email, password)
    if account is None:
        signin_limits.record_failure(session, email, address)
        session.commit()
        return render_template("web/signin.html", email=email, next=target, failed=True), 401
    signin_limits.forget(session, email, address)
    sessions.start(account)
    session.commit()
    return redirect(target)


@bp.post("/signout")
def sign_out():
    sessions.end()
    db.session().commit()
    flash("You are signed out.", "info")
    return redirect(url_for(".sign_in"))


def _verified(email: str, password: str) -> Account | None:
    """The account when the password matches; a missing account costs the same
    time as a wrong password, so timing does not tell which emails exist."""
    try:
        account = accounts.by_email(db.session(), email)
    except (Invalid, NotFound):
        account = None
    if account is None or not account.password_hash:
        check_password_hash(_stand_in_hash(), password)
        return None
    return account if accounts.check_password(account, password) else None


@cache
def _stand_in_hash() -> str:
    return generate_password_hash("no account has this password")
