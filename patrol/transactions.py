"""A request is one transaction: run it again after a conflict, 503 when the database is gone.

Two requests that touch the same rows can deadlock or (on PostgreSQL's
stricter levels) fail to serialize, two inserts can race for one unique key,
and a delete racing another delete finds its row already gone (StaleDataError). None of these is the client's fault,
and running the whole request again, on a fresh session, settles it: the
database has already chosen a winner. So `PatrolFlask` rolls back and runs
the request again, up to `RETRIES` times after a short, jittered pause; a
conflict that outlasts them answers 503 with `Retry-After`, like a lost database.

A database that cannot be reached (a restart, a lost network) is not a bug
either: the answer is 503 with `Retry-After`, in the envelope, not a 500.
"""
from __future__ import annotations

import logging
import random
import time

from flask import Flask, Response, g
from sqlalchemy.exc import DBAPIError, DisconnectionError, InterfaceError, OperationalError
from sqlalchemy.exc import TimeoutError as PoolTimeout
from sqlalchemy.orm.exc import StaleDataError

from patrol import db
from patrol.errors import DatabaseUnavailable

log = logging.getLogger(__name__)
RETRIES = 8
PAUSE = 0.01  # seconds before the first retry; doubles, with jitter, up to MAX_PAUSE
MAX_PAUSE = 0.2
RETRY_AFTER = 5  # seconds a client should wait while the database is away
# Serialization failure, deadlock, and a unique row a concurrent transaction inserted first
# (running again sees that row; code that expects a duplicate catches IntegrityError itself).
CONFLICT_STATES = frozenset({"40001", "40P01", "23505"})
ATTEMPT = "patrol_attempt"  # on flask.g: which run of the request this is


def is_conflict(exc: BaseException) -> bool:
    """A clash with a concurrent transaction, which running again resolves."""
    if isinstance(exc, StaleDataError):
        return True
    return isinstance(exc, DBAPIError) and getattr(exc.orig, "sqlstate", None) in CONFLICT_STATES


def is_unavailable(exc: BaseException) -> bool:
    """The database could not be reached or dropped the connection."""
    if isinstance(exc, (OperationalError, InterfaceError, DisconnectionError, PoolTimeout)):
        return True
    return isinstance(exc, DBAPIError) and exc.connection_invalidated


class _RunAgain(Exception):
    """Raised out of Flask's error handling to make `full_dispatch_request` start over."""


class PatrolFlask(Flask):
    def full_dispatch_request(self) -> Response:
        for attempt in range(RETRIES + 1):
            setattr(g, ATTEMPT, attempt)
            try:
                return super().full_dispatch_request()
            except _RunAgain:
                db.discard_request_session()
                time.sleep(min(MAX_PAUSE, PAUSE * 2**attempt) * random.uniform(0.5, 1.5))  # noqa: S311 - jitter
        raise AssertionError("unreachable: the last attempt answers")

    def handle_user_exception(self, e: Exception):  # noqa: ANN201 - whatever Flask answers
        if is_conflict(e) and g.get(ATTEMPT, RETRIES) < RETRIES:
            log.info("transaction conflict (%s), running the request again", type(e).__name__)
            raise _RunAgain() from e
        if is_conflict(e) or is_unavailable(e):
            log.warning("database unavailable: %s", e)
            e = DatabaseUnavailable("The database is busy or unreachable; try again shortly.",
                                    retry_after=RETRY_AFTER)
        return super().handle_user_exception(e)
