"""What web page tests do over and over: read a form's CSRF token, sign in,
and post forms the way a browser would."""
from __future__ import annotations

import re
import secrets

from flask.testing import FlaskClient
from werkzeug.test import TestResponse

from web import sessions
from web.models import WebSession

PASSWORD = "correct horse battery"
_TOKEN = re.compile(r'name="csrf_token" value="([^"]+)"')


def csrf_token(client: FlaskClient, path: str = "/register") -> str:
    """The CSRF token that the page at `path` puts in its forms (/register shows one signed in or out)."""
    page = client.get(path)
    found = _TOKEN.search(page.get_data(as_text=True))
    assert found, f"no CSRF token on {path} ({page.status_code})"
    return found.group(1)


def post_form(client: FlaskClient, path: str, data: dict | None = None, token_from: str = "/register") -> TestResponse:
    """POST `data` to `path` with a valid token, as a form on `token_from` would."""
    return client.post(path, data={**(data or {}), "csrf_token": csrf_token(client, token_from)})


def sign_in(client: FlaskClient, email: str, password: str = PASSWORD) -> TestResponse:
    answer = post_form(client, "/signin", {"email": email, "password": password})
    assert answer.status_code == 302, answer.get_data(as_text=True)
    return answer


def signed_in_as(client: FlaskClient, db, account_id: int) -> FlaskClient:  # the Database
    """`client` with a live session of the account, for tests of pages that need one but no password."""
    token = secrets.token_urlsafe(32)
    with db.session() as session:
        session.add(WebSession(token_hash=sessions.hash_token(token), account_id=account_id))
        session.commit()
    with client.session_transaction() as cookie:
        cookie[sessions.TOKEN_KEY] = token
    return client


def text(answer: TestResponse) -> str:
    return answer.get_data(as_text=True)
