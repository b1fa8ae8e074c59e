"""Wake-ups after commit: one mechanism, within a process and across processes.

Code that commits work for a background loop calls `notify(session, CHANNEL)`
inside its transaction. When that transaction commits, the callbacks this
process registered on CHANNEL run; on PostgreSQL a NOTIFY sent just before
the commit, once per channel however many rows asked for it, reaches every
other process, where a LISTEN thread runs theirs.
A transaction that rolls back wakes nobody. Loops still poll, which covers a
notification that was lost (a LISTEN connection that was down, say).
"""
from __future__ import annotations

import logging
import threading
from collections import defaultdict
from collections.abc import Callable

import psycopg
from flask import Flask
from psycopg import sql
from sqlalchemy import event, text
from sqlalchemy.engine import make_url
from sqlalchemy.orm import Session, SessionTransaction

from patrol import background
from patrol.db import Database, get_db

log = logging.getLogger(__name__)
SCANS = "patrol_scans"  # a scan was queued
EVENTS = "patrol_events"  # an event was written to the outbox
PENDING = "patrol.wakeups"  # session.info: the channels notified in the open transaction
RECONNECT_DELAY = 5.0

Callback = Callable[[], None]


def notify(session: Session, channel: str) -> None:
    """Wake `channel`'s listeners, here and in other processes, once `session` commits."""
    session.info.setdefault(PENDING, set()).add(channel)


class Wakeups:
    """The callbacks of one app by channel; as a background service, the LISTEN thread on PostgreSQL."""

    def __init__(self, db: Database) -> None:
        self.db = db
        self.callbacks: dict[str, list[Callback]] = defaultdict(list)
        self.listener: Listener | None = None
        for factory in (db.sessionmaker, db.reader):
            event.listen(factory, "before_commit", _send_notifies)
            event.listen(factory, "after_commit", self._after_commit)
            event.listen(factory, "after_transaction_end", _forget_uncommitted)

    def on(self, channel: str, callback: Callback) -> None:
        """Run `callback` after each commit that notified `channel`, in any process."""
        self.callbacks[channel].append(callback)

    def channels(self) -> tuple[str, ...]:
        return tuple(self.callbacks)

    def wake(self, channel: str) -> None:
        for callback in self.callbacks.get(channel, ()):
            callback()

    def start(self) -> None:
        if self.db.is_postgres and self.listener is None:
            self.listener = Listener(self.db.url, self)
            self.listener.start()

    def stop(self) -> None:
        if self.listener is not None:
            self.listener.stop()
            self.listener = None

    def _after_commit(self, session: Session) -> None:
        for channel in session.info.pop(PENDING, ()):
            self.wake(channel)


def _send_notifies(session: Session) -> None:
    """On PostgreSQL, one NOTIFY per channel inside the committing transaction:
    a notification per row written would cost a round trip each."""
    channels = sorted(session.info.get(PENDING, ()))
    if channels and session.get_bind().dialect.name == "postgresql":
        session.execute(text("SELECT pg_notify(channel, '') FROM unnest(CAST(:channels AS text[])) AS channel"),
                        {"channels": channels})


def _forget_uncommitted(session: Session, transaction: SessionTransaction) -> None:
    """The outermost transaction ended without a commit (a commit took its channels already)."""
    if transaction.parent is None:
        session.info.pop(PENDING, None)


class Listener:
    """A thread on one LISTEN connection that wakes this process's callbacks for every NOTIFY."""

    def __init__(self, url: str, wakeups: Wakeups) -> None:
        self.conninfo = make_url(url).set(drivername="postgresql").render_as_string(hide_password=False)
        self.wakeups = wakeups
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name="patrol-wakeups", daemon=True)

    def start(self) -> None:
        self._thread.start()

    def stop(self, timeout: float = 5.0) -> None:
        self._stop.set()
        if self._thread.is_alive():
            self._thread.join(timeout)

    def _run(self) -> None:
        while not self._stop.is_set():
            try:
                self._listen()
            except psycopg.Error:
                log.warning("LISTEN connection lost; polling covers the gap until it is back")
                self._stop.wait(RECONNECT_DELAY)

    def _listen(self) -> None:
        """LISTEN on every channel (including ones registered later), then wake all once:
        what was notified while this connection was not yet listening is not missed."""
        with psycopg.connect(self.conninfo, autocommit=True) as conn:
            listening: set[str] = set()
            while not self._stop.is_set():
                for channel in set(self.wakeups.channels()) - listening:
                    conn.execute(sql.SQL("LISTEN {}").format(sql.Identifier(channel)))
                    listening.add(channel)
                    self.wakeups.wake(channel)
                for note in conn.notifies(timeout=1.0):
                    self.wakeups.wake(note.channel)


def init_app(app: Flask) -> None:
    """Hook commits of the app's sessions; the LISTEN thread starts with the background loops."""
    app.extensions["patrol.wakeups"] = background.get(app).add(Wakeups(get_db(app)))


def get(app: Flask) -> Wakeups:
    return app.extensions["patrol.wakeups"]
