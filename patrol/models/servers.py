"""Servers, their software buckets and the software items in them."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Index, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from patrol.clock import now
from patrol.db import Base
from patrol.models.types import UTCDateTime


class Server(Base):
    __tablename__ = "servers"
    __table_args__ = (UniqueConstraint("account_id", "name"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    account_id: Mapped[int] = mapped_column(ForeignKey("accounts.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(String(253))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=now)
    # The scheduler claims a server by moving this forward atomically.
    next_scan_at: Mapped[datetime] = mapped_column(UTCDateTime, default=now, index=True)

    buckets: Mapped[list[Bucket]] = relationship(
        back_populates="server", cascade="all, delete-orphan", passive_deletes=True
    )


class Bucket(Base):
    """One collector's view of a server's software; replaced whole on each push."""

    __tablename__ = "buckets"
    __table_args__ = (UniqueConstraint("server_id", "key"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    server_id: Mapped[int] = mapped_column(ForeignKey("servers.id", ondelete="CASCADE"))
    key: Mapped[str] = mapped_column(String(100))
    expire: Mapped[int | None] = mapped_column(Integer)
    expires_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=now)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=now)

    server: Mapped[Server] = relationship(back_populates="buckets")
    software: Mapped[list[Software]] = relationship(
        back_populates="bucket",
        cascade="all, delete-orphan",
        passive_deletes=True,
        order_by="Software.id",
    )


class Software(Base):
    __tablename__ = "software"
    __table_args__ = (
        Index("ix_software_server", "server_id", "bucket_id"),
        # Which servers a new advisory affects: one index probe per package it names.
        Index("ix_software_osv", "osv_ecosystem", "osv_name"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    bucket_id: Mapped[int] = mapped_column(ForeignKey("buckets.id", ondelete="CASCADE"))
    server_id: Mapped[int] = mapped_column(ForeignKey("servers.id", ondelete="CASCADE"))
    name: Mapped[str] = mapped_column(String(255))
    version: Mapped[str | None] = mapped_column(String(100))
    location: Mapped[str | None] = mapped_column(String(1024))
    parent: Mapped[str | None] = mapped_column(String(255))
    ecosystem: Mapped[str | None] = mapped_column(String(50))
    source_name: Mapped[str | None] = mapped_column(String(255))
    source_version: Mapped[str | None] = mapped_column(String(100))
    # The (base ecosystem, name) advisories know this item by; see ecosystems.advisory_key.
    osv_ecosystem: Mapped[str | None] = mapped_column(String(50))
    osv_name: Mapped[str | None] = mapped_column(String(255))

    bucket: Mapped[Bucket] = relationship(back_populates="software")
