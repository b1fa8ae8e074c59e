"""API credentials: a public key and a secret kept only as a hash.

Secrets are 256 random bits, so a single SHA-256 is a safe hash for them
(a slow KDF only matters for guessable passwords); comparison is constant time.
"""
from __future__ import annotations

import hashlib
import hmac
import re
import secrets
from dataclasses import dataclass

from sqlalchemy import Select, select
from sqlalchemy.orm import Session

from patrol.clock import now
from patrol.errors import NotFound
from patrol.models import Account, Credential

_KEY_SHAPE = re.compile(r"[0-9a-f]{32}")


@dataclass(frozen=True)
class IssuedCredential:
    """A credential as shown once, at creation, with its secret in clear."""

    key: str
    secret: str
    credential: Credential


def hash_secret(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


def issue(session: Session, account: Account, label: str | None = None) -> IssuedCredential:
    key, secret = secrets.token_hex(16), secrets.token_hex(32)
    credential = Credential(account=account, key=key, secret_hash=hash_secret(secret), label=label)
    session.add(credential)
    session.flush()
    return IssuedCredential(key, secret, credential)


def live(account: Account) -> Select:
    """The account's credentials that are not revoked (what the quota counts)."""
    return select(Credential.id).where(Credential.account_id == account.id, Credential.revoked_at.is_(None))


def authenticate(session: Session, key: str, secret: str) -> Account | None:
    """The account that owns this live key and secret, or None."""
    credential = None
    if _KEY_SHAPE.fullmatch(key):  # anything else cannot exist; NUL would even fail in PostgreSQL
        credential = session.scalar(
            select(Credential).where(Credential.key == key, Credential.revoked_at.is_(None))
        )
    expected = credential.secret_hash if credential else hash_secret("-")
    matches = hmac.compare_digest(expected, hash_secret(secret))
    if credential is None or not matches:
        return None
    return credential.account


def revoke(session: Session, account: Account, key: str) -> Credential:
    credential = session.scalar(
        select(Credential).where(Credential.account_id == account.id, Credential.key == key)
    )
    if credential is None:
        raise NotFound("No such API key on this account.")
    credential.revoked_at = credential.revoked_at or now()
    return credential
