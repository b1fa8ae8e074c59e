"""The web pages' own tables: sign-in sessions, and failed sign-ins counted to slow down guessing."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Index, String
from sqlalchemy.orm import Mapped, mapped_column

from patrol.clock import now
from patrol.db import Base
from patrol.models.types import UTCDateTime


class SignInFailure(Base):
    """One refused sign-in; rows older than the limiter's window are pruned."""

    __tablename__ = "signin_failures"
    __table_args__ = (
        Index("ix_signin_failures_email", "email", "failed_at"),
        Index("ix_signin_failures_address", "address", "failed_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    # None when the attempt named no account (a set-password try with an API key).
    email: Mapped[str | None] = mapped_column(String(254))
    address: Mapped[str] = mapped_column(String(45))
    failed_at: Mapped[datetime] = mapped_column(UTCDateTime, default=now, index=True)


class WebSession(Base):
    """One signed-in browser. Its cookie holds a random token; only the token's
    SHA-256 is stored, so a copy of this table opens no session."""

    __tablename__ = "web_sessions"

    id: Mapped[int] = mapped_column(primary_key=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    account_id: Mapped[int] = mapped_column(ForeignKey("accounts.id", ondelete="CASCADE"), index=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=now)
    last_seen_at: Mapped[datetime] = mapped_column(UTCDateTime, default=now, index=True)
