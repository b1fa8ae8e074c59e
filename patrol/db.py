"""Database engine, sessions and the declarative base.

SQLite is the embedded default; PostgreSQL is the production engine. The
same models and queries serve both; the few places where they differ
(claiming rows, waking workers in other processes) ask `is_postgres`.
"""
from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import cast
from pathlib import Path

from flask import Flask, current_app, g, request
from sqlalchemy import CursorResult, Engine, MetaData, Result, Table, create_engine, event
from sqlalchemy.orm import DeclarativeBase, Session, sessionmaker

from patrol import config

NAMING = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


READ_ONLY = "patrol_read_only"  # execution option: begin a deferred SQLite transaction
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING)


SQLITE_FILE = "patrol.sqlite3"


def default_url(instance_path: str, file_name: str = SQLITE_FILE) -> str:
    """A SQLite file in the instance folder (the demo keeps its own file there)."""
    Path(instance_path).mkdir(parents=True, exist_ok=True)
    return f"sqlite:///{Path(instance_path) / file_name}"


def normalise_url(url: str) -> str:
    """`postgresql://` and `postgres://` mean psycopg 3, the driver Patrol ships."""
    for prefix in ("postgresql://", "postgres://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url[len(prefix):]
    return url


def make_engine(url: str) -> Engine:
    """Create an engine tuned for its backend.

    `hide_parameters`: a database error's message would otherwise carry the
    statement's values (webhook secrets, password hashes) into the log.
    """
    url = normalise_url(url)
    if url.startswith("sqlite"):
        engine = create_engine(url, hide_parameters=True, connect_args={"check_same_thread": False, "timeout": 30})
        _tune_sqlite(engine)
        return engine
    return create_engine(url, hide_parameters=True, pool_pre_ping=True, pool_size=10, max_overflow=20)


def _tune_sqlite(engine: Engine) -> None:
    """WAL, foreign keys, and BEGIN IMMEDIATE.

    A deferred SQLite transaction that reads and then writes fails at once
    with "database is locked" when another connection wrote in between;
    taking the write lock at BEGIN makes writers queue on busy_timeout instead.
    Requests that only read (GET, HEAD) begin deferred, so that they never
    hold the write lock while they render.
    """

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_conn, _record) -> None:  # noqa: ANN001 - DBAPI objects
        dbapi_conn.isolation_level = None
        cursor = dbapi_conn.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA busy_timeout=30000")
        cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(conn) -> None:  # noqa: ANN001
        reading = conn.get_execution_options().get(READ_ONLY, False)
        conn.exec_driver_sql("BEGIN" if reading else "BEGIN IMMEDIATE")


class Database:
    """One engine and session factory per app."""

    def __init__(self, url: str) -> None:
        self.url = url
        self.engine = make_engine(url)
        self.sessionmaker = sessionmaker(self.engine, expire_on_commit=False)
        self.reader = sessionmaker(self.engine.execution_options(**{READ_ONLY: True}), expire_on_commit=False)

    @property
    def is_postgres(self) -> bool:
        return self.engine.dialect.name == "postgresql"

    @contextmanager
    def session(self) -> Iterator[Session]:
        """A session for background work: commits on success, rolls back on error."""
        with self.sessionmaker() as session, session.begin():
            yield session

    def dispose(self) -> None:
        self.engine.dispose()


def init_app(app: Flask) -> None:
    url = config.of(app, config.Core).database_url or default_url(
        app.instance_path, app.config.get("SQLITE_FILE", SQLITE_FILE))
    app.config["DATABASE_URL"] = url
    app.extensions["patrol.db"] = Database(url)
    app.teardown_appcontext(_close_request_session)


def get_db(app: Flask | None = None) -> Database:
    return (app or current_app).extensions["patrol.db"]


def session() -> Session:
    """The request's session, opened on first use and closed at teardown."""
    if "db_session" not in g:
        database = get_db()
        factory = database.reader if request.method in SAFE_METHODS else database.sessionmaker
        g.db_session = factory()
    return g.db_session


def discard_request_session(rollback: bool = True) -> None:
    """End the request's session, rolling back what it did unless told not to."""
    db_session = g.pop("db_session", None)
    if db_session is not None:
        if rollback:
            db_session.rollback()
        db_session.close()


def _close_request_session(exc: BaseException | None) -> None:
    discard_request_session(rollback=exc is not None)


def rows_changed(result: Result) -> int:
    """How many rows an UPDATE or DELETE touched: its result is a CursorResult, which
    `Session.execute` is not typed to say."""
    return cast(CursorResult, result).rowcount


def table(model: type[Base]) -> Table:
    """A mapped class's table, for Core statements on hot paths (no ORM bookkeeping
    per row); declarative classes are typed as holding any FromClause."""
    return cast(Table, model.__table__)
