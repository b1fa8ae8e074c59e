"""Server-side sessions: the cookie names a session row; ending the row ends the cookie."""
import pytest

from datetime import timedelta

from sqlalchemy import select

from web.models import WebSession
from tests.support.web_pages import PASSWORD, post_form, sign_in, text

pytestmark = pytest.mark.extensions("web")

NEW_PASSWORD = "another horse battery"


def cookie_of(client) -> str:
    return client.get_cookie("session").value


def replay(app, cookie: str):
    """A stranger's browser holding a copy of `cookie`."""
    thief = app.test_client()
    thief.set_cookie("session", cookie)
    return thief


def test_a_copied_cookie_stops_working_after_sign_out(app, client, make_account):
    caller = make_account(password=PASSWORD)
    sign_in(client, caller.email)
    copied = cookie_of(client)
    assert replay(app, copied).get("/").status_code == 200
    post_form(client, "/signout", token_from="/")
    assert replay(app, copied).get("/").status_code == 302
    assert replay(app, copied).get("/api-settings").status_code == 302


def test_a_password_change_ends_every_other_session(app, client, make_account):
    caller = make_account(password=PASSWORD)
    sign_in(client, caller.email)
    elsewhere = app.test_client()
    sign_in(elsewhere, caller.email)
    changed = post_form(elsewhere, "/account/password", {"current_password": PASSWORD, "password": NEW_PASSWORD},
                        token_from="/account/password")
    assert changed.status_code == 302
    assert client.get("/").status_code == 302
    still_in = elsewhere.get("/")
    assert still_in.status_code == 200 and "every other session" in text(still_in)
    post_form(elsewhere, "/signout", token_from="/")
    assert post_form(client, "/signin", {"email": caller.email, "password": PASSWORD}).status_code == 401
    sign_in(client, caller.email, NEW_PASSWORD)


def test_a_password_change_needs_the_current_password(client, make_account):
    caller = make_account(password=PASSWORD)
    sign_in(client, caller.email)
    refused = post_form(client, "/account/password", {"current_password": "not the password", "password": NEW_PASSWORD},
                        token_from="/account/password")
    assert refused.status_code == 401 and "current password is not right" in text(refused)
    short = post_form(client, "/account/password", {"current_password": PASSWORD, "password": "short"},
                      token_from="/account/password")
    assert short.status_code == 422 and "at least 8 characters" in text(short)
    assert client.get("/").status_code == 200


def test_signing_in_starts_a_new_session_each_time(app, client, db, make_account):
    caller = make_account(password=PASSWORD)
    client.get("/signin")
    before = cookie_of(client)
    sign_in(client, caller.email)
    first = cookie_of(client)
    sign_in(client, caller.email)
    assert len({before, first, cookie_of(client)}) == 3
    assert replay(app, first).get("/").status_code == 302
    with db.session() as session:
        rows = list(session.scalars(select(WebSession)))
    assert len(rows) == 1  # signing in again ended the session it replaced
    assert all(len(row.token_hash) == 64 for row in rows)


def test_the_cookie_holds_a_random_id_not_the_account(app, client, make_account):
    caller = make_account(password=PASSWORD)
    sign_in(client, caller.email)
    with client.session_transaction() as cookie:
        assert "account_id" not in cookie
        assert len(cookie["sid"]) >= 40


def test_an_idle_or_old_session_ends(app, client, db, make_account):
    caller = make_account(password=PASSWORD)
    sign_in(client, caller.email)
    idle, absolute = app.config["SESSION_IDLE_TIMEOUT"], app.config["SESSION_MAX_AGE"]
    with db.session() as session:
        row = session.scalars(select(WebSession)).one()
        row.last_seen_at -= timedelta(seconds=idle - 120)
        session.commit()
    assert client.get("/").status_code == 200
    with db.session() as session:
        row = session.scalars(select(WebSession)).one()
        row.last_seen_at -= timedelta(seconds=idle + 1)
        session.commit()
    assert client.get("/").status_code == 302
    sign_in(client, caller.email)
    with db.session() as session:
        row = session.scalars(select(WebSession)).one()
        row.created_at -= timedelta(seconds=absolute + 1)
        session.commit()
    assert client.get("/").status_code == 302
