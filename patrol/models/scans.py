"""Scans and the issues they find."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import Boolean, ForeignKey, Index, Integer, String, Text, false, text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from patrol.clock import now
from patrol.db import Base
from patrol.models.types import UTCDateTime
from patrol.scanning.states import ScanStatus, ScanTrigger

TRIGGERS = tuple(ScanTrigger)


class Scan(Base):
    """A scan is also its own job: `running` rows are claimed with a lease."""

    __tablename__ = "scans"
    __table_args__ = (
        # At most one running scan per server, on both engines.
        Index(
            "uq_scans_one_running",
            "server_id",
            unique=True,
            sqlite_where=text(f"status = '{ScanStatus.RUNNING}'"),
            postgresql_where=text(f"status = '{ScanStatus.RUNNING}'"),
        ),
        Index("ix_scans_server_started", "server_id", "id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    server_id: Mapped[int] = mapped_column(ForeignKey("servers.id", ondelete="CASCADE"))
    trigger: Mapped[str] = mapped_column(String(20))
    status: Mapped[str] = mapped_column(String(20), default=ScanStatus.RUNNING, index=True)
    started_at: Mapped[datetime] = mapped_column(UTCDateTime, default=now)
    finished_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    issue_count: Mapped[int] = mapped_column(Integer, default=0)
    new_issue_count: Mapped[int] = mapped_column(Integer, default=0)
    resolved_issue_count: Mapped[int] = mapped_column(Integer, default=0)
    error: Mapped[str | None] = mapped_column(Text)
    lease_until: Mapped[datetime | None] = mapped_column(UTCDateTime)


class Issue(Base):
    """A vulnerable package on a server; open while `resolved_at` is null.

    Identity is (server, advisory, package, location): upgrading to another
    still-vulnerable version keeps the issue open rather than calling it new.
    """

    __tablename__ = "issues"
    __table_args__ = (Index("ix_issues_open", "server_id", "resolved_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    server_id: Mapped[int] = mapped_column(ForeignKey("servers.id", ondelete="CASCADE"))
    advisory_id: Mapped[int] = mapped_column(ForeignKey("advisories.id", ondelete="CASCADE"))
    software_name: Mapped[str] = mapped_column(String(255))
    software_version: Mapped[str | None] = mapped_column(String(100))
    software_location: Mapped[str] = mapped_column(String(1024), default="")
    ecosystem: Mapped[str | None] = mapped_column(String(50))
    fixed_in: Mapped[str | None] = mapped_column(String(100))
    severity: Mapped[str] = mapped_column(String(10), default="unknown")
    first_seen_at: Mapped[datetime] = mapped_column(UTCDateTime, default=now)
    first_scan_id: Mapped[int | None] = mapped_column(ForeignKey("scans.id", ondelete="SET NULL"))
    resolved_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    resolved_scan_id: Mapped[int | None] = mapped_column(ForeignKey("scans.id", ondelete="SET NULL"))
    # The last scan held it dismissed: when that ends, it is reported again.
    silenced: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())

    advisory = relationship("Advisory", lazy="joined")
