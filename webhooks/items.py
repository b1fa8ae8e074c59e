"""What travels between claiming, sending and recording: one claimed delivery, one finished attempt."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import Row

from webhooks.models import Webhook
from webhooks.outcomes import Decision
from webhooks.results import Result


@dataclass(frozen=True)
class Claimed:
    """Everything needed to send one delivery, read while it was claimed."""

    delivery_id: str
    attempt: int
    manual: bool
    lease_until: datetime
    webhook_id: str
    url: str
    kind: str
    format: str
    secrets: list[str]
    min_severity: str | None
    known_exploited_only: bool
    description: str | None
    account_email: str
    event: dict
    slack_team_id: str | None = None
    slack_channel_id: str | None = None


@dataclass(frozen=True)
class Finished:
    """One sent delivery waiting to be recorded."""

    claimed: Claimed
    result: Result
    decision: Decision
    started_at: datetime
    pace: timedelta | None = None


def signing_secrets(hook: Webhook | Row, moment: datetime) -> list[str]:
    """The current secret, and the previous one while its rotation window lasts
    (`hook` is a Webhook or a row of its columns)."""
    secrets = [hook.secret]
    if hook.previous_secret and hook.previous_secret_until and hook.previous_secret_until > moment:
        secrets.append(hook.previous_secret)
    return secrets
