"""The one Slack message a scan has in a subscribed channel."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, ForeignKey, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from patrol.clock import now
from patrol.db import Base
from patrol.models.types import UTCDateTime

# How far a scan's message has got: an event for an earlier stage never overwrites a later one.
STARTED, ISSUES, FINISHED = 0, 1, 2


class ScanMessage(Base):
    __tablename__ = "slack_scan_messages"

    webhook_id: Mapped[str] = mapped_column(ForeignKey("webhooks.id", ondelete="CASCADE"), primary_key=True)
    scan_id: Mapped[int] = mapped_column(ForeignKey("scans.id", ondelete="CASCADE"), primary_key=True)
    channel_id: Mapped[str] = mapped_column(String(32))
    ts: Mapped[str] = mapped_column(String(32))
    stage: Mapped[int] = mapped_column(Integer, default=STARTED)
    # The few new issues shown in the message itself, kept so the finished card still lists them.
    issues: Mapped[list[dict] | None] = mapped_column(JSON)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=now)
