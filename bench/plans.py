"""The query plan of the matcher's candidate lookup, as the database will run it.

The statement is caught as the matcher sends it (a real batch of keys), not
rebuilt here, so the plan shown is the plan of Patrol's own query.
"""
from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable

from sqlalchemy import event

from patrol.db import Database
from patrol.inventory.buckets import live_software
from patrol.scanning import matcher

PLAN_LINE_WIDTH = 150
_LITERAL = re.compile(r"'(?:[^']|'')*'")
_COST = re.compile(r"\s+\(cost=[^)]*\)")


class LookupNotSeen(RuntimeError):
    """The matcher sent no query on advisory_packages (nothing to look up?)."""


def lookup_plan(db: Database, server_id: int) -> str:
    statement, parameters = _first_lookup(db, server_id)
    prefix = "EXPLAIN " if db.is_postgres else "EXPLAIN QUERY PLAN "
    with db.engine.connect() as connection:
        rows = connection.exec_driver_sql(prefix + statement, parameters).all()
    return _condense(row[0] if db.is_postgres else str(row[-1]) for row in rows)


def _first_lookup(db: Database, server_id: int) -> tuple[str, object]:
    seen: list[tuple[str, object]] = []

    def catch(_conn, _cursor, statement, parameters, _context, _many) -> None:  # noqa: ANN001
        if not seen and "FROM advisory_packages" in statement:
            seen.append((statement, parameters))

    event.listen(db.engine, "before_cursor_execute", catch)
    try:
        with db.session() as session:
            matcher.find(session, live_software(session, server_id))
    finally:
        event.remove(db.engine, "before_cursor_execute", catch)
    if not seen:
        raise LookupNotSeen("the matcher sent no lookup query")
    return seen[0]


def _condense(lines: Iterable[str]) -> str:
    """PostgreSQL writes a node per key of the batch (500 of them): the shape of the
    plan is what counts, so literals become `?`, costs go, and repeated lines are counted."""
    counted = Counter(_COST.sub("", _LITERAL.sub("?", line)) for line in lines)
    return "\n".join(
        "  " + _clip(line) + (f"   [x{count}]" if count > 1 else "") for line, count in counted.items()
    )


def _clip(line: str) -> str:
    return line if len(line) <= PLAN_LINE_WIDTH else line[: PLAN_LINE_WIDTH - 3] + "..."
