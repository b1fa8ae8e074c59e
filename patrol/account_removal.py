"""Deleting an account and everything it owns.

Every table that refers to an account, in the core and in the extensions,
does so with an ON DELETE CASCADE foreign key, so the database removes
servers, buckets, software, scans, issues, credentials, events, webhooks,
deliveries and Slack links with the account row. Data an extension keeps
without such a key (say, tokens stored per Slack workspace) is removed by a
cleanup the extension registers here: the core never imports its extensions.
"""
from __future__ import annotations

from collections.abc import Callable

from flask import Flask
from sqlalchemy import delete
from sqlalchemy.orm import Session

from patrol.models import Account

Cleanup = Callable[[Session, Account], None]
CLEANUPS = "patrol.account_cleanups"


def on_delete(app: Flask, cleanup: Cleanup) -> None:
    """Run `cleanup(session, account)` before an account is deleted, in the same transaction."""
    app.extensions.setdefault(CLEANUPS, []).append(cleanup)


def delete_account(app: Flask, session: Session, account: Account) -> None:
    for cleanup in app.extensions.get(CLEANUPS, []):
        cleanup(session, account)
    session.execute(delete(Account).where(Account.id == account.id))  # the foreign keys cascade
    session.expunge(account)
