"""Who is signed in to the web pages: the one fact the web app, the Slack
install flow and anything else with pages share. The web package owns the
forms that put an account here; others only read it."""
from __future__ import annotations

from flask import session as cookie

from patrol import db
from patrol.models import Account

SESSION_KEY = "account_id"


def sign_in(account: Account) -> None:
    cookie.clear()
    cookie[SESSION_KEY] = account.id
    cookie.permanent = True


def sign_out() -> None:
    cookie.clear()


def current_account() -> Account | None:
    account_id = cookie.get(SESSION_KEY)
    return db.session().get(Account, account_id) if account_id is not None else None
