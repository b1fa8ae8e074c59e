"""Linking a Slack workspace to a Patrol account, and the credential it acts with.

Each link has its own API credential, so unlinking (or revoking that key)
cuts off the workspace without touching the account's other clients.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from bot.models import SLACK_SDK_TABLES, WorkspaceLink
from bot.sealing import Sealer
from patrol import credentials
from patrol.clock import now
from patrol.errors import Invalid, NotFound
from patrol.models import Account
from webhooks.channels import targets

MAX_LABEL = 100
_TEAM_ID = re.compile(r"T[A-Z0-9]{2,31}")


@dataclass(frozen=True)
class ApiCredential:
    """What the bot presents to Patrol's API for a workspace."""

    account_id: int
    key: str
    secret: str


def link(session: Session, sealer: Sealer, account: Account, team_id: str | None, *,
         enterprise_id: str | None = None, team_name: str | None = None) -> WorkspaceLink:
    """Link `team_id` to `account` with a new credential; a previous link's credential is revoked."""
    if team_id is None or not _TEAM_ID.fullmatch(team_id):
        raise Invalid("A Slack team id looks like T0123ABCD.", fields={"team_id": "a Slack team id"})
    row = session.scalar(select(WorkspaceLink).where(WorkspaceLink.team_id == team_id))
    if row is not None:
        _revoke(session, row)
        if row.account_id != account.id:  # the channels were subscribed to the other account's news
            targets.remove_team(session, team_id)
    label = f"Slack workspace {team_name or team_id}"[:MAX_LABEL]
    issued = credentials.issue(session, account, label=label)
    row = row or WorkspaceLink(team_id=team_id)
    row.account_id, row.enterprise_id = account.id, enterprise_id
    row.team_name, row.disconnected_at = team_name or row.team_name, None
    row.credential_key, row.sealed_secret = issued.key, sealer.seal(issued.secret)
    session.add(row)
    session.flush()
    return row


def unlink(session: Session, team_id: str) -> WorkspaceLink:
    row = session.scalar(select(WorkspaceLink).where(WorkspaceLink.team_id == team_id))
    if row is None:
        raise NotFound(f"Slack workspace {team_id} is not linked.")
    _revoke(session, row)
    targets.remove_team(session, team_id)
    session.delete(row)
    session.flush()
    return row


def forget_account(session: Session, account: Account) -> None:
    """Before `account` is deleted: the Slack tokens of the workspaces linked to it.

    The links themselves go with the account (foreign key); slack-sdk's
    installation rows are keyed by workspace, not account, so they are removed here.
    """
    teams = select(WorkspaceLink.team_id).where(WorkspaceLink.account_id == account.id)
    for table in SLACK_SDK_TABLES:
        if "team_id" not in table.c:
            continue  # OAuth states belong to no workspace yet
        session.execute(table.delete().where(table.c.team_id.in_(teams)))


def disconnect(session: Session, team_id: str) -> WorkspaceLink | None:
    """Slack cut the workspace off: its credential and channel subscriptions go, the row says when."""
    targets.remove_team(session, team_id)
    row = session.scalar(select(WorkspaceLink).where(WorkspaceLink.team_id == team_id))
    if row is not None and row.disconnected_at is None:
        _revoke(session, row)
        row.disconnected_at = now()
    session.flush()
    return row


def of_account(session: Session, account_id: int) -> list[WorkspaceLink]:
    """The account's workspaces, connected or not, newest first."""
    return list(session.scalars(select(WorkspaceLink).where(WorkspaceLink.account_id == account_id)
                                .order_by(WorkspaceLink.created_at.desc())))


def credential_for(session: Session, sealer: Sealer, team_id: str | None) -> ApiCredential | None:
    """The credential of the account `team_id` is linked to, or None when it is not linked."""
    row = session.scalar(select(WorkspaceLink).where(WorkspaceLink.team_id == team_id)) if team_id else None
    if row is None or row.disconnected_at is not None:
        return None
    return ApiCredential(row.account_id, row.credential_key, sealer.open(row.sealed_secret))


def _revoke(session: Session, row: WorkspaceLink) -> None:
    owner = session.get(Account, row.account_id)
    if owner is None:  # the account went, and its credentials with it
        return
    try:
        credentials.revoke(session, owner, row.credential_key)
    except NotFound:
        pass  # someone revoked and removed it already; nothing is left to cut off
