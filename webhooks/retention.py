"""Forgetting old events: they and their delivery logs are kept N days."""
from __future__ import annotations

from datetime import timedelta

from sqlalchemy import delete

from patrol.clock import now
from patrol.db import Database, rows_changed
from patrol.models import Event


def purge(db: Database, days: int) -> int:
    """Delete events older than `days` (deliveries and attempts go with them)."""
    with db.session() as session:
        gone = session.execute(delete(Event).where(Event.created_at < now() - timedelta(days=days)))
        return rows_changed(gone)
