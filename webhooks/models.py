"""Webhooks, their deliveries (the queue) and every attempt (the log)."""
from __future__ import annotations

from datetime import datetime
from enum import StrEnum

from sqlalchemy import JSON, Boolean, ForeignKey, Index, Integer, String, Text, false, text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from patrol.clock import now
from patrol.db import Base
from patrol.ids import random_id
from patrol.models.types import UTCDateTime



class DeliveryStatus(StrEnum):
    PENDING = "pending"  # due at next_attempt_at
    DELIVERING = "delivering"  # claimed under a lease
    SUCCEEDED = "succeeded"
    FAILED = "failed"  # for good: no retry left, or refused for good


class WebhookKind(StrEnum):
    GENERIC = "generic"  # a URL that gets a thin signed push
    SLACK = "slack"  # a Slack Incoming Webhook
    SLACK_CHANNEL = "slack_channel"  # a Slack channel subscribed from Slack (posted to with the bot token)


class WebhookFormat(StrEnum):
    """How a generic webhook's push is encoded."""

    JSON = "json"
    FORM = "form"  # form fields, as PatrolServer SDK receivers read them


# The short names the package uses.
PENDING, DELIVERING = DeliveryStatus.PENDING, DeliveryStatus.DELIVERING
SUCCEEDED, FAILED = DeliveryStatus.SUCCEEDED, DeliveryStatus.FAILED
GENERIC, SLACK, SLACK_CHANNEL = WebhookKind.GENERIC, WebhookKind.SLACK, WebhookKind.SLACK_CHANNEL
SLACK_KINDS = (SLACK, SLACK_CHANNEL)  # paced to about one message a second, one at a time


class Webhook(Base):
    __tablename__ = "webhooks"

    id: Mapped[str] = mapped_column(String(40), primary_key=True, default=lambda: random_id("wh"))
    account_id: Mapped[int] = mapped_column(ForeignKey("accounts.id", ondelete="CASCADE"), index=True)
    url: Mapped[str] = mapped_column(String(2048))
    kind: Mapped[str] = mapped_column(String(16), default=GENERIC)
    format: Mapped[str] = mapped_column(String(10), default=WebhookFormat.JSON)
    # None means the kind's default set (see webhooks.subscriptions).
    events: Mapped[list[str] | None] = mapped_column(JSON)
    min_severity: Mapped[str | None] = mapped_column(String(10))
    # Only issues CISA lists as exploited in the wild (new_server_issues).
    known_exploited_only: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    # A `slack_channel` webhook posts into this channel of this workspace instead of to `url`.
    slack_team_id: Mapped[str | None] = mapped_column(String(32), index=True)
    slack_channel_id: Mapped[str | None] = mapped_column(String(32))
    # Only this server's events (any kind may narrow itself so; None is every server).
    server_id: Mapped[int | None] = mapped_column(ForeignKey("servers.id", ondelete="CASCADE"))
    description: Mapped[str | None] = mapped_column(String(500))
    enabled: Mapped[bool] = mapped_column(Boolean, default=True)
    disabled_reason: Mapped[str | None] = mapped_column(String(500))
    # Signing needs the secret itself (as with Svix and Stripe), so it is kept.
    secret: Mapped[str] = mapped_column(String(100))
    previous_secret: Mapped[str | None] = mapped_column(String(100))
    previous_secret_until: Mapped[datetime | None] = mapped_column(UTCDateTime)
    failing_since: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # Slack takes about one message a second per webhook: no send before this.
    paced_until: Mapped[datetime | None] = mapped_column(UTCDateTime)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=now)


class Delivery(Base):
    """One event to one webhook; a row in the delivery queue."""

    __tablename__ = "deliveries"
    __table_args__ = (
        # Serves the claim in due order; leased and finished rows are out of it,
        # so a claim costs the same however deep the queue or long the log.
        Index(
            "ix_deliveries_claim",
            "next_attempt_at",
            sqlite_where=text(f"status = '{PENDING}'"),
            postgresql_where=text(f"status = '{PENDING}'"),
        ),
        # What is in flight per webhook, and leases that ran out.
        Index(
            "ix_deliveries_leased",
            "webhook_id",
            "lease_until",
            sqlite_where=text(f"status = '{DELIVERING}'"),
            postgresql_where=text(f"status = '{DELIVERING}'"),
        ),
        Index("ix_deliveries_webhook", "webhook_id", "created_at"),
        Index("ix_deliveries_event", "event_id", "webhook_id", unique=True),
    )

    id: Mapped[str] = mapped_column(String(40), primary_key=True, default=lambda: random_id("dlv"))
    webhook_id: Mapped[str] = mapped_column(ForeignKey("webhooks.id", ondelete="CASCADE"))
    event_id: Mapped[str] = mapped_column(ForeignKey("events.id", ondelete="CASCADE"))
    status: Mapped[str] = mapped_column(String(12), default=PENDING)
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    # A person asked for one more attempt: it does not restart the schedule.
    manual: Mapped[bool] = mapped_column(Boolean, default=False)
    next_attempt_at: Mapped[datetime | None] = mapped_column(UTCDateTime, default=now)
    lease_until: Mapped[datetime | None] = mapped_column(UTCDateTime)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=now)
    completed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    webhook: Mapped[Webhook] = relationship()
    log: Mapped[list[Attempt]] = relationship(
        back_populates="delivery", order_by="Attempt.number.desc()", passive_deletes=True
    )


class Attempt(Base):
    """What happened on one try: the delivery log that people read."""

    __tablename__ = "delivery_attempts"

    id: Mapped[int] = mapped_column(primary_key=True)
    delivery_id: Mapped[str] = mapped_column(ForeignKey("deliveries.id", ondelete="CASCADE"), index=True)
    number: Mapped[int] = mapped_column(Integer)
    manual: Mapped[bool] = mapped_column(Boolean, default=False)
    started_at: Mapped[datetime] = mapped_column(UTCDateTime)
    duration_ms: Mapped[int] = mapped_column(Integer)
    status_code: Mapped[int | None] = mapped_column(Integer)
    response_body: Mapped[str | None] = mapped_column(Text)
    error_kind: Mapped[str | None] = mapped_column(String(30))
    error: Mapped[str | None] = mapped_column(Text)
    next_attempt_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    delivery: Mapped[Delivery] = relationship(back_populates="log")
