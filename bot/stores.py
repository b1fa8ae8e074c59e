"""slack-sdk's SQLAlchemy stores on Patrol's database, with two changes.

- Installations keep every token sealed (`bot.sealing`), as the workspace
  API secrets are: a copy of the database must not post as the bot.
- An OAuth state also names the Patrol account that started the install, so
  the callback links the workspace to that account and no other. The account
  is part of the stored state string, so it cannot be changed in the URL
  without the state failing to match.

Their tables come from the bot's Alembic migration, never `create_tables()`.
"""
from __future__ import annotations

import secrets
from collections.abc import Callable
from datetime import timedelta

from slack_sdk.oauth.installation_store.sqlalchemy import SQLAlchemyInstallationStore
from slack_sdk.oauth.state_store.sqlalchemy import SQLAlchemyOAuthStateStore
from sqlalchemy import Engine

from bot.models import TOKEN_COLUMNS
from bot.sealing import SealedText, Sealer
from patrol.clock import now

_SEPARATOR = "."


class BadState(ValueError):
    """A state string that Patrol did not issue."""


class SealedInstallationStore(SQLAlchemyInstallationStore):
    def __init__(self, client_id: str, engine: Engine, sealer: Callable[[], Sealer]) -> None:
        super().__init__(client_id=client_id, engine=engine)
        for table in (self.bots, self.installations):
            for column in table.columns:
                if column.name in TOKEN_COLUMNS:
                    column.type = SealedText(sealer)


class AccountStateStore(SQLAlchemyOAuthStateStore):
    def issue(self, *args: object, account_id: int, **kwargs: object) -> str:
        """A new state that carries `account_id`; consumed (once) by the parent's `consume`."""
        state = f"{secrets.token_urlsafe(24)}{_SEPARATOR}{int(account_id)}"
        expire_at = (now() + timedelta(seconds=self.expiration_seconds)).replace(tzinfo=None)
        with self.engine.begin() as connection:
            connection.execute(self.oauth_states.insert(), {"state": state, "expire_at": expire_at})
        return state


def account_in(state: str) -> int:
    """The account a state was issued for (check it was consumed first: anyone can write one)."""
    _, separator, account = (state or "").rpartition(_SEPARATOR)
    if not separator or not account.isdigit():
        raise BadState("This install link was not started from Patrol.")
    return int(account)
