"""Creating and finding accounts."""
from __future__ import annotations

import re

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session
from werkzeug.security import check_password_hash, generate_password_hash

from patrol import credentials
from patrol.errors import AlreadyExists, Invalid, NotFound
from patrol.models import Account

_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
MIN_PASSWORD = 8
FIRST_LABEL = "first key"


def normalise_email(email: str) -> str:
    email = (email or "").strip().lower()
    if not _EMAIL.match(email) or len(email) > 254 or not email.isprintable():
        raise Invalid("That is not an email address.", fields={"email": "must be an email address"})
    return email


def create(
    session: Session, email: str, password: str | None = None
) -> tuple[Account, credentials.IssuedCredential]:
    """A new account with its first API credential."""
    account = add(session, email, password)
    return account, credentials.issue(session, account, label=FIRST_LABEL)


def add(session: Session, email: str, password: str | None = None) -> Account:
    """A new account without API credentials; AlreadyExists when the email has one
    (only after the password is hashed, so both answers take as long)."""
    account = Account(email=normalise_email(email))
    if password is not None:
        set_password(account, password)
    try:
        with session.begin_nested():
            session.add(account)
    except IntegrityError as exc:
        raise AlreadyExists(f"An account for {account.email} already exists.") from exc
    return account


def set_password(account: Account, password: str) -> None:
    if len(password or "") < MIN_PASSWORD:
        raise Invalid(
            f"A password needs at least {MIN_PASSWORD} characters.",
            fields={"password": f"at least {MIN_PASSWORD} characters"},
        )
    account.password_hash = generate_password_hash(password)


def check_password(account: Account, password: str) -> bool:
    stored = account.password_hash
    return check_password_hash(stored, password) if stored else False


def by_email(session: Session, email: str) -> Account:
    account = session.scalar(select(Account).where(Account.email == normalise_email(email)))
    if account is None:
        raise NotFound(f"No account for {email}.")
    return account
