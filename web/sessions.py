"""Server-side sign-in sessions: revocable, rotated at sign-in, bounded in time.

The (signed) cookie holds a random token naming one `web_sessions` row; the
row holds only the token's SHA-256. Signing out deletes the row, so a copy
of the cookie opens nothing afterwards; a password change deletes every row
of the account. A session ends after `SESSION_IDLE_TIMEOUT` seconds unused
and `SESSION_MAX_AGE` seconds after sign-in, whichever comes first.
"""
from __future__ import annotations

import hashlib
import secrets
from datetime import datetime, timedelta

from flask import current_app, g
from flask import session as cookie
from sqlalchemy import delete, or_, select, update
from sqlalchemy.orm import Session

from patrol import accounts, config, db
from patrol.clock import now
from patrol.errors import Invalid, NotFound
from patrol.models import Account
from web.config import Web
from web.models import WebSession

TOKEN_KEY = "sid"  # noqa: S105 - a cookie key, not a token
# Accounts this browser has signed in to: kept across sign-out, so the sign-in
# limits can tell the owner's browser from a stranger's (web.signin_limits).
KNOWN_KEY = "known"
MAX_KNOWN = 5
# Record use at most this often: the live pages ask every few seconds.
TOUCH_EVERY = timedelta(minutes=1)


def start(account: Account) -> None:
    """A fresh session (and a fresh cookie, CSRF token included) for `account`; the caller commits."""
    session = db.session()
    _prune(session)
    _drop_current()
    token = secrets.token_urlsafe(32)
    session.add(WebSession(token_hash=hash_token(token), account_id=account.id))
    known = [account.id, *(other for other in _known() if other != account.id)][:MAX_KNOWN]
    cookie.clear()
    cookie[TOKEN_KEY], cookie[KNOWN_KEY] = token, known
    cookie.permanent = True
    g.pop("web_session", None)


def end() -> None:
    """Sign this browser out: its row goes, and its cookie keeps only the known accounts; the caller commits."""
    _drop_current()
    known = _known()
    cookie.clear()
    cookie[KNOWN_KEY] = known
    cookie.permanent = True


def _drop_current() -> None:
    token = cookie.get(TOKEN_KEY)
    if isinstance(token, str):
        db.session().execute(delete(WebSession).where(WebSession.token_hash == hash_token(token)))


def end_all(account: Account) -> None:
    """Sign `account` out everywhere (after its password changed); the caller commits."""
    db.session().execute(delete(WebSession).where(WebSession.account_id == account.id))


def knows(email: str) -> bool:
    """Whether this browser has signed in to the account of `email` before."""
    known = _known()
    if not known:
        return False
    try:
        return accounts.by_email(db.session(), email).id in known
    except (Invalid, NotFound):
        return False


def _known() -> list[int]:
    known = cookie.get(KNOWN_KEY)
    return [n for n in known if isinstance(n, int)] if isinstance(known, list) else []


def current_account() -> Account | None:
    """The account this request's cookie names, while its session lives (asked once per request)."""
    if "web_session" not in g:
        g.web_session = _live_session()
    return db.session().get(Account, g.web_session.account_id) if g.web_session else None


def _live_session() -> WebSession | None:
    token = cookie.get(TOKEN_KEY)
    if not isinstance(token, str):
        return None
    session, moment = db.session(), now()
    row = session.scalar(select(WebSession).where(WebSession.token_hash == hash_token(token)))
    if row is None or _expired(row, moment):
        return None
    if moment - row.last_seen_at >= TOUCH_EVERY:
        session.execute(update(WebSession).where(WebSession.id == row.id).values(last_seen_at=moment))
        session.commit()
    return row


def _expired(row: WebSession, moment: datetime) -> bool:
    idle, oldest = _limits(moment)
    return row.last_seen_at <= idle or row.created_at <= oldest


def _prune(session: Session) -> None:
    """Drop sessions that can no longer be used (done at each sign-in; no timer needed)."""
    idle, oldest = _limits(now())
    session.execute(delete(WebSession).where(or_(WebSession.last_seen_at <= idle, WebSession.created_at <= oldest)))


def _limits(moment: datetime) -> tuple[datetime, datetime]:
    """The last-use and sign-in moments at or before which a session is over."""
    web = config.of(current_app, Web)
    return (moment - timedelta(seconds=web.session_idle_timeout),
            moment - timedelta(seconds=web.session_max_age))


def hash_token(token: str) -> str:
    """What the table keeps of a token: enough to find it, useless to forge a cookie."""
    return hashlib.sha256(token.encode()).hexdigest()
