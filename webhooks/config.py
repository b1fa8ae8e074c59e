"""The webhooks' settings: how deliveries are sent, retried, paced and kept."""
from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from functools import cached_property

from patrol.config import WEBHOOK_ALLOWED_NETWORKS, declared, integer, number, seconds, setting, text
from webhooks.addresses import AddressPolicy

DEFAULT_RETRY_SCHEDULE = "5,300,1800,7200,18000,36000,36000"


@dataclass(frozen=True)
class Webhooks:
    """Read when the extension is initialised (`patrol.config.load`); `patrol.config.of(app, Webhooks)`."""

    allowed_networks: Sequence[str] = declared(WEBHOOK_ALLOWED_NETWORKS)
    connect_timeout: float = setting("PATROL_WEBHOOK_CONNECT_TIMEOUT", number, 5.0, key="WEBHOOK_CONNECT_TIMEOUT")
    timeout: float = setting("PATROL_WEBHOOK_TIMEOUT", number, 15.0, key="WEBHOOK_TIMEOUT")
    retry_schedule: Sequence[float] = setting("PATROL_WEBHOOK_RETRY_SCHEDULE", seconds,
                                              seconds(DEFAULT_RETRY_SCHEDULE), key="WEBHOOK_RETRY_SCHEDULE")
    workers: int = setting("PATROL_WEBHOOK_WORKERS", integer, 64, key="WEBHOOK_WORKERS")
    claim_batch: int = setting("PATROL_WEBHOOK_CLAIM_BATCH", integer, 200, key="WEBHOOK_CLAIM_BATCH")
    poll_interval: float = setting("PATROL_WEBHOOK_POLL_INTERVAL", number, 1.0, key="WEBHOOK_POLL_INTERVAL")
    max_slots_per_webhook: int = setting("PATROL_WEBHOOK_MAX_SLOTS_PER_WEBHOOK", integer, 2,
                                         key="WEBHOOK_MAX_SLOTS_PER_WEBHOOK")
    disable_after: int = setting("PATROL_WEBHOOK_DISABLE_AFTER", integer, 5 * 86400, key="WEBHOOK_DISABLE_AFTER")
    retention_days: int = setting("PATROL_RETENTION_DAYS", integer, 30, key="RETENTION_DAYS")
    # Slack: its Web API (channel subscriptions post there; the bot answers there) and the pace per webhook.
    slack_api_url: str = setting("SLACK_API_URL", text, "https://slack.com/api/", key="SLACK_API_URL")
    slack_min_interval: float = setting("PATROL_SLACK_MIN_INTERVAL", number, 1.0, key="SLACK_MIN_INTERVAL")

    @cached_property
    def address_policy(self) -> AddressPolicy:
        """What webhook URLs may reach: the one place the policy is built."""
        return AddressPolicy(self.allowed_networks)
