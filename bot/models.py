"""Which Patrol account each Slack workspace acts for, and slack-sdk's OAuth tables."""
from __future__ import annotations

from datetime import datetime

from slack_sdk.oauth.installation_store.sqlalchemy import SQLAlchemyInstallationStore
from slack_sdk.oauth.state_store.sqlalchemy import SQLAlchemyOAuthStateStore
from sqlalchemy import ForeignKey, String, Table, Text
from sqlalchemy.orm import Mapped, mapped_column

from patrol.clock import now
from patrol.db import Base
from patrol.models.types import UTCDateTime


class WorkspaceLink(Base):
    """A workspace and the API credential Patrol made for it alone.

    The bot calls the API like any client, so it needs the secret itself;
    it is kept sealed (bot.sealing), never in clear.
    """

    __tablename__ = "slack_workspace_links"

    id: Mapped[int] = mapped_column(primary_key=True)
    team_id: Mapped[str] = mapped_column(String(32), unique=True)
    enterprise_id: Mapped[str | None] = mapped_column(String(32))
    account_id: Mapped[int] = mapped_column(ForeignKey("accounts.id", ondelete="CASCADE"), index=True)
    credential_key: Mapped[str] = mapped_column(String(32))
    sealed_secret: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=now)
    team_name: Mapped[str | None] = mapped_column(String(200))
    # Set when Slack said the app was uninstalled (or its bot token revoked): the
    # credential is revoked and the row stays so the web page can say what happened.
    disconnected_at: Mapped[datetime | None] = mapped_column(UTCDateTime)


class SeenRequest(Base):
    """A signed Slack request already answered, kept while its signature could still
    be accepted, so that a replay is refused in every process (bot.verification)."""

    __tablename__ = "slack_seen_requests"

    signature: Mapped[str] = mapped_column(String(80), primary_key=True)
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime, index=True)


# Columns of slack-sdk's installation tables that hold tokens; bot.stores seals them.
TOKEN_COLUMNS = frozenset({"bot_token", "bot_refresh_token", "user_token", "user_refresh_token"})


def _slack_sdk_tables() -> list[Table]:
    """slack-sdk's store tables, declared on Patrol's metadata so that Alembic creates
    and tracks them like any other. A sealed token is longer than the clear one,
    so token columns are Text instead of the library's String(200)."""
    tables = [
        SQLAlchemyInstallationStore.build_installations_table(Base.metadata, "slack_installations"),
        SQLAlchemyInstallationStore.build_bots_table(Base.metadata, "slack_bots"),
        SQLAlchemyOAuthStateStore.build_oauth_states_table(Base.metadata, "slack_oauth_states"),
    ]
    for table in tables:
        for column in table.columns:
            if column.name in TOKEN_COLUMNS:
                column.type = Text()
    return tables


SLACK_SDK_TABLES = _slack_sdk_tables()
