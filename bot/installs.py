"""What a finished OAuth install means in Patrol: the workspace acts for the
account that started it, and the channel picked in Slack gets its alerts."""
from __future__ import annotations

from slack_sdk.oauth.installation_store import Installation
from sqlalchemy.orm import Session

from bot import links
from bot.models import WorkspaceLink
from bot.sealing import Sealer
from patrol.errors import NotFound
from patrol.models import Account
from webhooks import addresses, service
from webhooks.models import SLACK


def adopt(session: Session, sealer: Sealer, policy: addresses.AddressPolicy,
          account_id: int, installation: Installation) -> WorkspaceLink:
    """Link the installed workspace to the account and add its incoming webhook as a Slack webhook."""
    account = session.get(Account, account_id)
    if account is None:
        raise NotFound("The Patrol account that started this install no longer exists.")
    row = links.link(session, sealer, account, installation.team_id,
                     enterprise_id=installation.enterprise_id, team_name=installation.team_name)
    if installation.incoming_webhook_url:
        _add_webhook(session, policy, account, installation)
    return row


def _add_webhook(session: Session, policy: addresses.AddressPolicy, account: Account,
                 installation: Installation) -> None:
    url = installation.incoming_webhook_url
    if any(hook.url == url for hook in service.listing(session, account)):
        return  # the same install came back (a retried redirect): one webhook is enough
    where = " ".join(part for part in (installation.incoming_webhook_channel, installation.team_name) if part)
    # It came from Slack's own OAuth answer, so it is a Slack webhook whatever its host looks like.
    fields = {"url": url, "kind": SLACK, "description": f"Slack {where}".strip()[:500]}
    service.create(session, account, fields, policy)
