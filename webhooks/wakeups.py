"""Waking delivery loops in other processes through PostgreSQL LISTEN/NOTIFY.

In one process, commits wake the loops directly; across processes and
machines, NOTIFY (sent at commit) reaches every worker listening.
"""
from __future__ import annotations

import logging
import threading
from collections.abc import Callable

import psycopg
from sqlalchemy import text
from sqlalchemy.engine import make_url
from sqlalchemy.orm import Session

log = logging.getLogger(__name__)
DELIVERIES = "patrol_deliveries"
RECONNECT_DELAY = 5.0


def notify_deliveries(session: Session) -> None:
    """Tell other processes that deliveries are due (sent when `session` commits)."""
    if session.get_bind().dialect.name == "postgresql":
        session.execute(text("SELECT pg_notify(:channel, '')"), {"channel": DELIVERIES})


class Listener:
    """A thread that calls `handlers[channel]()` for each notification."""

    def __init__(self, url: str, handlers: dict[str, Callable[[], None]]) -> None:
        self.conninfo = make_url(url).set(drivername="postgresql").render_as_string(hide_password=False)
        self.handlers = handlers
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name="webhook-listener", daemon=True)

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
        with psycopg.connect(self.conninfo, autocommit=True) as conn:
            for channel in self.handlers:
                conn.execute(f'LISTEN "{channel}"')
            while not self._stop.is_set():
                for note in conn.notifies(timeout=1.0):
                    self.handlers.get(note.channel, lambda: None)()
