"""What one claim costs with 1,000 and with 1,000,000 pending or retrying deliveries (PostgreSQL).

The rows are written by INSERT ... SELECT on the server (1,000 webhooks x N
events), half due now and half retrying later; each claim takes 200.
"""
from __future__ import annotations

import time
from datetime import timedelta

from sqlalchemy import event, text

from bench import _common
from patrol.db import get_db
from webhooks import queue

CLAIMS = 5
FILL = """
INSERT INTO accounts (email, created_at) VALUES ('deep@example.com', now() AT TIME ZONE 'utc') RETURNING id
"""


def claim_cost(url: str, rows: int) -> tuple[float, str]:
    """Median milliseconds of a 200-delivery claim, and the plan of its candidate query."""
    with _common.temporary_database(url) as database:
        app = _common.build_app(database)
        db = get_db(app)
        _fill(db, rows)
        seen: list[tuple[str, object]] = []
        event.listen(db.engine, "before_cursor_execute", _catch(seen))
        timings = []
        for _ in range(CLAIMS):
            started = time.perf_counter()
            claimed = queue.claim(db, 200, timedelta(minutes=5), 2)
            timings.append((time.perf_counter() - started) * 1000)
            assert len(claimed) == 200, len(claimed)
        with db.engine.connect() as connection:
            plan = connection.exec_driver_sql("EXPLAIN ANALYZE " + seen[0][0], seen[0][1]).scalars().all()
        db.dispose()
    return _common.median(timings), "\n".join("    " + line for line in plan)


def _catch(seen: list):  # noqa: ANN202
    def catch(_conn, _cursor, statement, parameters, _context, _many) -> None:  # noqa: ANN001
        if not seen and "FOR UPDATE OF deliveries SKIP LOCKED" in statement:
            seen.append((statement, parameters))
    return catch


def _fill(db, rows: int) -> None:  # noqa: ANN001
    hooks = 1000
    with db.engine.begin() as connection:
        account = connection.execute(text(FILL)).scalar_one()
        connection.execute(text(
            "INSERT INTO webhooks (id, account_id, url, kind, format, enabled, secret, created_at) "
            "SELECT 'wh_' || g, :account, 'http://127.0.0.1:9/', 'generic', 'json', true, "
            "'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw', (now() AT TIME ZONE 'utc') FROM generate_series(1, :hooks) g"
        ), {"account": account, "hooks": hooks})
        connection.execute(text(
            "INSERT INTO events (id, account_id, identifier, payload, created_at, dispatched_at) "
            "SELECT 'evt_' || g, :account, 'scan_finished', '{}', (now() AT TIME ZONE 'utc'), (now() AT TIME ZONE 'utc') FROM generate_series(1, :events) g"
        ), {"account": account, "events": max(1, rows // hooks)})
        connection.execute(text(
            "INSERT INTO deliveries (id, webhook_id, event_id, status, attempts, manual, next_attempt_at, created_at) "
            "SELECT 'dlv_' || e || '_' || w, 'wh_' || w, 'evt_' || e, 'pending', 1 - (e % 2), false, "
            "(now() AT TIME ZONE 'utc') + CASE WHEN e % 2 = 0 THEN interval '1 hour' ELSE interval '-1 minute' END, (now() AT TIME ZONE 'utc') "
            "FROM generate_series(1, :events) e, generate_series(1, :hooks) w"
        ), {"events": max(1, rows // hooks), "hooks": hooks})
        connection.execute(text("ANALYZE deliveries"))
