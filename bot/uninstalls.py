"""`app_uninstalled` and `tokens_revoked`: Slack says the app lost a workspace.

At once, that workspace's installation and bot tokens leave the store, its
channel subscriptions go (nothing is left to deliver with a dead token),
and its link is marked disconnected, its API credential revoked. A
`tokens_revoked` for user tokens only drops those users' installations.
"""
from __future__ import annotations

import logging

from flask import Flask
from slack_sdk.oauth.installation_store import InstallationStore

from bot import links
from patrol.db import get_db

log = logging.getLogger(__name__)


class Uninstalls:
    def __init__(self, app: Flask, store: InstallationStore | None) -> None:
        self.app, self.store = app, store

    def app_uninstalled(self, enterprise_id: str | None, team_id: str | None) -> None:
        if not team_id:
            return
        if self.store is not None:
            self.store.delete_all(enterprise_id=enterprise_id, team_id=team_id)
        with get_db(self.app).session() as session:
            links.disconnect(session, team_id)
        log.info("Slack workspace %s removed Patrol; its tokens and subscriptions are gone", team_id)

    def tokens_revoked(self, event: dict, enterprise_id: str | None, team_id: str | None) -> None:
        revoked = event.get("tokens") or {}
        if revoked.get("bot"):
            self.app_uninstalled(enterprise_id, team_id)
            return
        for user_id in revoked.get("oauth") or []:
            if self.store is not None:
                self.store.delete_installation(enterprise_id=enterprise_id, team_id=team_id, user_id=user_id)
