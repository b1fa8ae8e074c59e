"""The state of each feed Patrol downloads (one row per OSV ecosystem).

The row is also the feed's lock: a process syncs a feed only after moving
`lease_until` forward with a compare-and-set, so a cluster syncs it once.
"""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from patrol.db import Base
from patrol.models.types import UTCDateTime


class FeedState(Base):
    __tablename__ = "feed_states"

    name: Mapped[str] = mapped_column(String(120), primary_key=True)  # "osv/npm"
    next_sync_at: Mapped[datetime | None] = mapped_column(UTCDateTime)  # null: due now
    lease_until: Mapped[datetime | None] = mapped_column(UTCDateTime)  # a sync is under way
    last_attempt_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    last_success_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    last_error: Mapped[str | None] = mapped_column(Text)
    failures: Mapped[int] = mapped_column(Integer, default=0)  # in a row, for the back-off
    # The newest `modified` time held: an incremental sync fetches what is newer.
    watermark: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # ETag / Last-Modified per URL, for conditional requests.
    validators: Mapped[dict] = mapped_column(JSON, default=dict)
    records: Mapped[int] = mapped_column(Integer, default=0)
