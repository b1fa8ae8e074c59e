"""What the web pages show of the Slack app, without the web pages importing
it: templates get `slack_workspaces()`, the signed-in account's workspaces,
connected or disconnected (Slack removed the app)."""
from __future__ import annotations

from flask import Flask

from bot import links
from bot.models import WorkspaceLink
from patrol import db, signin


def register(app: Flask) -> None:
    app.context_processor(lambda: {"slack_workspaces": workspaces_of_signed_in})


def workspaces_of_signed_in() -> list[WorkspaceLink]:
    account = signin.current_account()
    return links.of_account(db.session(), account.id) if account is not None else []
