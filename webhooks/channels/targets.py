"""Slack channel subscriptions, kept as webhooks of kind `slack_channel`.

A subscription is one webhook: the account whose events it carries, the
workspace and channel it posts to, and optionally one server. Being a
webhook, it shares the delivery queue, retries, pacing, the delivery log
and the pages that show them. They are made from Slack (`/patrol subscribe`),
never through the webhook API, since the workspace must be linked to the account.
"""
from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import urlencode

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from patrol.db import rows_changed
from webhooks import signing
from webhooks.models import SLACK_CHANNEL, Webhook

MAX_DESCRIPTION = 500


@dataclass(frozen=True)
class Channel:
    team_id: str
    channel_id: str
    name: str | None = None  # for people: "#alerts"


@dataclass(frozen=True)
class Wanted:
    """What a channel asks for: one server (None: all of them), which events, from which
    severity, and whether only known exploited new issues."""

    server_id: int | None
    server_name: str | None
    events: list[str] | None
    min_severity: str | None
    known_exploited_only: bool = False


def subscribe(session: Session, account_id: int, channel: Channel, wanted: Wanted) -> Webhook:
    """The channel's subscription to `wanted.server_id`, made or changed (one per server per channel)."""
    hook = session.scalar(_of(channel).where(_for_server(wanted.server_id)))
    if hook is None:
        hook = Webhook(kind=SLACK_CHANNEL, secret=signing.new_secret(), url=deep_link(channel),
                       slack_team_id=channel.team_id, slack_channel_id=channel.channel_id,
                       server_id=wanted.server_id)
        session.add(hook)
    hook.account_id, hook.events, hook.min_severity = account_id, wanted.events, wanted.min_severity
    hook.known_exploited_only = wanted.known_exploited_only
    hook.enabled, hook.disabled_reason, hook.failing_since = True, None, None
    hook.description = describe(channel, wanted.server_name)
    session.flush()
    return hook


def unsubscribe(session: Session, channel: Channel, server_id: int | None, *, every: bool = False) -> int:
    """Drop the channel's subscription to `server_id` (or all of them with `every`); how many went."""
    query = delete(Webhook).where(Webhook.kind == SLACK_CHANNEL, Webhook.slack_team_id == channel.team_id,
                                  Webhook.slack_channel_id == channel.channel_id)
    if not every:
        query = query.where(_for_server(server_id))
    return rows_changed(session.execute(query))


def in_channel(session: Session, channel: Channel) -> list[Webhook]:
    return list(session.scalars(_of(channel).order_by(Webhook.created_at)))


def in_team(session: Session, team_id: str) -> list[Webhook]:
    return list(session.scalars(select(Webhook).where(Webhook.kind == SLACK_CHANNEL,
                                                      Webhook.slack_team_id == team_id)
                                .order_by(Webhook.created_at)))


def remove_team(session: Session, team_id: str) -> int:
    """Every subscription in the workspace goes (it was uninstalled, or now acts for another account)."""
    gone = session.execute(delete(Webhook).where(Webhook.kind == SLACK_CHANNEL, Webhook.slack_team_id == team_id))
    return rows_changed(gone)


def deep_link(channel: Channel) -> str:
    """Slack's own link to the channel, which opens it in the Slack app: the webhook's address."""
    return "slack://channel?" + urlencode({"team": channel.team_id, "id": channel.channel_id})


def describe(channel: Channel, server_name: str | None) -> str:
    where = channel.name or channel.channel_id
    return f"Slack {where}: {server_name or 'all servers'}"[:MAX_DESCRIPTION]


def _of(channel: Channel):  # noqa: ANN202 - a select
    return select(Webhook).where(Webhook.kind == SLACK_CHANNEL, Webhook.slack_team_id == channel.team_id,
                                 Webhook.slack_channel_id == channel.channel_id)


def _for_server(server_id: int | None):  # noqa: ANN202 - a condition
    return Webhook.server_id.is_(None) if server_id is None else Webhook.server_id == server_id
