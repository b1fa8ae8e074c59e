"""Per-account quotas: how many servers, webhooks, credentials and buckets one may hold.

Limits come from the settings (patrol.config.Core: generous by default, 0
for none). The owner's row is locked before counting, so two requests
cannot both take the last place: the second waits, counts again, and is
refused with 409 `quota_exceeded`.
"""
from __future__ import annotations

from dataclasses import dataclass

from flask import current_app
from sqlalchemy import Select, func, select
from sqlalchemy.orm import Session

from patrol import config
from patrol.errors import Conflict
from patrol.models import Account, Server


class QuotaExceeded(Conflict):
    code = "quota_exceeded"


@dataclass(frozen=True)
class Quota:
    setting: str  # the field of config.Core that holds the limit
    what: str  # what is counted, for the message

    def limit(self, core: config.Core) -> int:
        return getattr(core, self.setting)

    @property
    def variable(self) -> str:
        """The environment variable that sets it, for the message."""
        return config.variable(config.Core, self.setting)


SERVERS = Quota("max_servers", "servers")
WEBHOOKS = Quota("max_webhooks", "webhooks")
CREDENTIALS = Quota("max_credentials", "live API credentials")
BUCKETS = Quota("max_buckets_per_server", "software buckets on this server")


def require_room(session: Session, owner: Account | Server, quota: Quota, rows: Select) -> None:
    """Raise QuotaExceeded when `owner` already holds as many `rows` as `quota` allows."""
    limit = quota.limit(config.of(current_app, config.Core))
    if not limit:
        return
    _lock(session, owner)
    held = session.scalar(select(func.count()).select_from(rows.subquery())) or 0
    if held >= limit:
        raise QuotaExceeded(f"This account has {held} {quota.what}, the most it may have "
                            f"(the limit is set by {quota.variable}). Remove one first.")


def _lock(session: Session, owner: Account | Server) -> None:
    """FOR NO KEY UPDATE: serialises creations without blocking rows that only reference the owner."""
    model = type(owner)
    session.execute(select(model.id).where(model.id == owner.id).with_for_update(key_share=True))
