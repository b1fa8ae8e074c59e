"""OSV advisories, indexed by (ecosystem, package name) for scans."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, Boolean, ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from patrol.db import Base
from patrol.models.types import UTCDateTime


class Advisory(Base):
    __tablename__ = "advisories"

    id: Mapped[int] = mapped_column(primary_key=True)
    osv_id: Mapped[str] = mapped_column(String(100), unique=True)
    modified: Mapped[datetime | None] = mapped_column(UTCDateTime)
    published: Mapped[datetime | None] = mapped_column(UTCDateTime)
    withdrawn: Mapped[bool] = mapped_column(Boolean, default=False)
    summary: Mapped[str | None] = mapped_column(Text)
    # The record's `details`, Markdown as written; pages render it sanitized.
    details: Mapped[str | None] = mapped_column(Text)
    severity: Mapped[str] = mapped_column(String(10), default="unknown")
    aliases: Mapped[list[str]] = mapped_column(JSON, default=list)
    url: Mapped[str | None] = mapped_column(String(1024))

    packages: Mapped[list[AdvisoryPackage]] = relationship(
        back_populates="advisory", cascade="all, delete-orphan", passive_deletes=True
    )


class AdvisoryPackage(Base):
    """One `affected[]` entry of an advisory: what a scan looks up by name."""

    __tablename__ = "advisory_packages"
    __table_args__ = (Index("ix_advisory_packages_lookup", "ecosystem", "name"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    advisory_id: Mapped[int] = mapped_column(
        ForeignKey("advisories.id", ondelete="CASCADE"), index=True
    )
    # Base ecosystem ("Debian") for the lookup; the full one ("Debian:12") to filter.
    ecosystem: Mapped[str] = mapped_column(String(50))
    ecosystem_full: Mapped[str] = mapped_column(String(100))
    name: Mapped[str] = mapped_column(String(255))
    affected: Mapped[dict] = mapped_column(JSON)

    advisory: Mapped[Advisory] = relationship(back_populates="packages")
