"""Who is calling: query `key`/`secret` (the PHP SDK) or HTTP Basic."""
from __future__ import annotations

from flask import g, request

from patrol import credentials, db, servers
from patrol.api import rate_limit
from patrol.errors import Unauthorized
from patrol.models import Account, Server


def authenticate_request() -> None:
    """`before_request` hook for API blueprints: sets `g.account` or raises 401."""
    key, secret = _presented_credentials()
    if not key or not secret:
        raise Unauthorized("Give your API key and secret (query key/secret or HTTP Basic).")
    account = credentials.authenticate(db.session(), key, secret)
    if account is None:
        raise Unauthorized("That API key and secret are not valid.")
    rate_limit.check(key)
    g.account = account
    g.api_key = key


def current_actor() -> str:
    """Who a change is recorded as: the account and the start of the key used."""
    return f"{g.account.email} (API key {g.api_key[:8]})"


def current_account() -> Account:
    return g.account


def callers_server(server_id: int) -> Server:
    """The caller's server: 404 for a missing or another account's id."""
    return servers.get(db.session(), current_account(), server_id)


def _presented_credentials() -> tuple[str | None, str | None]:
    auth = request.authorization
    if auth is not None and auth.type == "basic":
        return auth.username, auth.password
    return request.args.get("key"), request.args.get("secret")
