"""The event outbox: written in the transaction of the state it reports."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, ForeignKey, Index, Integer, String, text
from sqlalchemy.orm import Mapped, mapped_column

from patrol.clock import now
from patrol.db import Base
from patrol.models.types import UTCDateTime


class Event(Base):
    __tablename__ = "events"
    __table_args__ = (
        Index(
            "ix_events_undispatched",
            "created_at",
            sqlite_where=text("dispatched_at IS NULL"),
            postgresql_where=text("dispatched_at IS NULL"),
        ),
        Index("ix_events_created", "created_at"),
    )

    id: Mapped[str] = mapped_column(String(40), primary_key=True)
    account_id: Mapped[int] = mapped_column(ForeignKey("accounts.id", ondelete="CASCADE"), index=True)
    identifier: Mapped[str] = mapped_column(String(60))
    server_id: Mapped[int | None] = mapped_column(Integer)
    # When set, the event is meant for that one subscriber only (a test event).
    recipient: Mapped[str | None] = mapped_column(String(40))
    payload: Mapped[dict] = mapped_column(JSON)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=now)
    dispatched_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
