"""A database error while saving a webhook must not write its secrets to the log.

The database itself refuses the write (a trigger), so the failure is a real
driver error on SQLite and PostgreSQL alike; every log line, traceback
included, is then searched for the secrets the request carried or made.
"""
from __future__ import annotations

import io
import logging
import re

import pytest
from sqlalchemy import text

from tests.support.web_pages import post_form


SLACK_TOKEN = "Zq8SlackTokenInTheUrlW3x"
FAILING_WRITES = {
    "sqlite": ["CREATE TRIGGER refuse_{op} BEFORE {op} ON webhooks BEGIN SELECT RAISE(ABORT, 'disk on fire'); END"],
    "postgresql": [
        "CREATE OR REPLACE FUNCTION refuse_write() RETURNS trigger AS $$ "
        "BEGIN RAISE EXCEPTION 'disk on fire'; END $$ LANGUAGE plpgsql",
        "CREATE TRIGGER refuse_{op} BEFORE {op} ON webhooks FOR EACH ROW EXECUTE FUNCTION refuse_write()",
    ],
}
SECRET_SHAPES = [
    re.compile(r"whsec_[A-Za-z0-9+/=_-]{8,}"),  # webhook signing secrets
    re.compile(r"xox[abpr]-[A-Za-z0-9-]+"),  # Slack tokens
    re.compile(r"(scrypt|pbkdf2)[:$]"),  # password hashes
    re.compile(r"\b[0-9a-f]{64}\b"),  # API secrets and their SHA-256 hashes
]


@pytest.fixture
def log_text():
    """Everything logged at any level, formatted the way a log file would hold it."""
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.setFormatter(logging.Formatter("%(levelname)s %(name)s %(message)s"))
    root = logging.getLogger()
    old_level = root.level
    root.addHandler(handler)
    root.setLevel(logging.DEBUG)
    yield stream.getvalue
    root.removeHandler(handler)
    root.setLevel(old_level)


def refuse_writes(db, op: str, table: str = "webhooks") -> None:
    with db.engine.begin() as connection:
        for sql in FAILING_WRITES[db.engine.dialect.name]:
            connection.execute(text(sql.format(op=op).replace("ON webhooks", f"ON {table}")))


def assert_no_secret_in(logged: str, *secrets: str) -> None:
    assert "disk on fire" in logged  # the failure was logged, so there was something to leak
    for secret in secrets:
        assert secret not in logged
    for shape in SECRET_SHAPES:
        assert not shape.search(logged), shape.search(logged).group(0)


@pytest.mark.extensions("webhooks")
def test_a_failed_insert_logs_no_secret(client, db, make_account, log_text):
    caller = make_account()
    refuse_writes(db, "INSERT")

    answer = client.post("/api/webhooks", query_string=caller.query,
                         json={"url": f"https://hooks.slack.com/services/T0/B0/{SLACK_TOKEN}",
                               "description": "xoxb-1234-abcd ops channel"})

    assert answer.status_code == 500 and answer.json["error"]["code"] == "internal_error"
    assert_no_secret_in(log_text(), caller.secret, SLACK_TOKEN)


@pytest.mark.extensions("webhooks")
def test_a_failed_secret_rotation_logs_no_secret(client, db, make_account, log_text):
    caller = make_account()
    made = client.post("/api/webhooks", auth=caller.auth, json={"url": "http://127.0.0.1:9/hook"}).json["data"]
    refuse_writes(db, "UPDATE")

    answer = client.post(f"/api/webhooks/{made['id']}/rotate_secret", auth=caller.auth)

    assert answer.status_code == 500
    assert_no_secret_in(log_text(), caller.secret, made["secret"])


def break_account_inserts(db) -> None:
    """Registering writes only the account (no API key). SQLite reports a trigger's RAISE as a
    constraint error, which registering answers like a taken email; a missing table is an
    operational failure there, as a full disk would be."""
    if db.engine.dialect.name != "sqlite":
        refuse_writes(db, "INSERT", table="accounts")
        return
    with db.engine.begin() as connection:
        connection.execute(text('CREATE TRIGGER refuse_insert BEFORE INSERT ON accounts '
                                'BEGIN INSERT INTO "disk on fire" VALUES (1); END'))


@pytest.mark.extensions("web")
def test_a_failed_registration_logs_neither_the_password_nor_its_hash(client, db, log_text):
    password = "correct horse battery staple 42"
    break_account_inserts(db)

    answer = post_form(client, "/register", {"email": "new@example.com", "password": password})

    assert answer.status_code in (500, 503)  # SQLite's missing table reads as a lost database: 503
    assert_no_secret_in(log_text(), password)
