"""A request that only reads must not hold SQLite's write lock while it runs."""
from __future__ import annotations

import threading

from sqlalchemy import func, select, text

from patrol import db as request_db
from patrol.models import Account


def test_a_reading_request_lets_background_writers_through(app, db, make_account):
    make_account()
    finished = threading.Event()

    def background_write():
        with db.session() as session:
            session.execute(text("UPDATE accounts SET password_hash = 'x'"))
        finished.set()

    with app.test_request_context("/api/servers", method="GET"):
        reading = request_db.session()
        assert reading.scalar(select(func.count()).select_from(Account)) == 1
        writer = threading.Thread(target=background_write)
        writer.start()
        writer.join(20)
        assert finished.is_set(), "the writer waited on the reading request's lock"
        reading.close()


def test_a_writing_request_takes_the_write_lock_at_begin(app, db):
    with app.test_request_context("/api/servers", method="POST"):
        session = request_db.session()
        session.execute(select(1))
        if db.engine.dialect.name == "sqlite":
            assert session.connection().connection.driver_connection.in_transaction
        session.close()
