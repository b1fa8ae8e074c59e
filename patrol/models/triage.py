"""Set-aside issues: dismissals and their audit trail."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from patrol.clock import now
from patrol.db import Base
from patrol.models.types import UTCDateTime

REASONS = ("not_affected", "false_positive", "risk_accepted", "fix_planned")
SCOPES = ("issue", "server", "account")


class Dismissal(Base):
    """One advisory set aside: for one issue, on one server, or on every server
    of the account. It holds while unexpired and while the advisory's affected
    ranges are those it was dismissed against (`ranges_digest`)."""

    __tablename__ = "dismissals"
    __table_args__ = (Index("ix_dismissals_advisory", "account_id", "advisory_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    account_id: Mapped[int] = mapped_column(ForeignKey("accounts.id", ondelete="CASCADE"))
    advisory_id: Mapped[int] = mapped_column(ForeignKey("advisories.id", ondelete="CASCADE"))
    scope: Mapped[str] = mapped_column(String(10))
    server_id: Mapped[int | None] = mapped_column(ForeignKey("servers.id", ondelete="CASCADE"))
    issue_id: Mapped[int | None] = mapped_column(ForeignKey("issues.id", ondelete="CASCADE"))
    reason: Mapped[str] = mapped_column(String(20))
    comment: Mapped[str | None] = mapped_column(Text)
    created_by: Mapped[str] = mapped_column(String(254))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=now)
    expires_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    ranges_digest: Mapped[str] = mapped_column(String(64))

    advisory = relationship("Advisory", lazy="joined")


class DismissalAudit(Base):
    """Who dismissed or restored what, when; kept when the server or issue is gone."""

    __tablename__ = "dismissal_audit"
    __table_args__ = (Index("ix_dismissal_audit_account", "account_id", "id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    account_id: Mapped[int] = mapped_column(ForeignKey("accounts.id", ondelete="CASCADE"))
    action: Mapped[str] = mapped_column(String(20))  # dismissed, restored
    scope: Mapped[str] = mapped_column(String(10))
    advisory: Mapped[str] = mapped_column(String(100))  # the OSV id
    server_id: Mapped[int | None] = mapped_column(Integer)
    server_name: Mapped[str | None] = mapped_column(String(253))
    issue_id: Mapped[int | None] = mapped_column(Integer)
    reason: Mapped[str | None] = mapped_column(String(20))
    comment: Mapped[str | None] = mapped_column(Text)
    expires_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    actor: Mapped[str] = mapped_column(String(254))
    at: Mapped[datetime] = mapped_column(UTCDateTime, default=now)
