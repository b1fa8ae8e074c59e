"""Sealing the Slack credentials Patrol keeps: Fernet with a key derived from
PATROL_SECRET_KEY, so a copy of the database alone does not reveal them.

The key is derived with HKDF (SHA-256) under a purpose label, so the session
cookies that the same secret signs never share a key with this cipher.
"""
from __future__ import annotations

import base64
from collections.abc import Callable
from functools import lru_cache

from cryptography.fernet import Fernet, InvalidToken
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from flask import Flask
from sqlalchemy import Text
from sqlalchemy.types import TypeDecorator

from patrol import config

PURPOSE = b"patrol slack credentials v1"


class MissingSecretKey(RuntimeError):
    """PATROL_SECRET_KEY is not set, so nothing can be sealed or opened."""


class BrokenSeal(ValueError):
    """A sealed value that this key cannot open: tampered with, or sealed under another key."""


class Sealer:
    def __init__(self, secret_key: str) -> None:
        if not secret_key:
            raise MissingSecretKey("Set PATROL_SECRET_KEY: Patrol seals Slack credentials with it.")
        self._fernet = Fernet(_derive(secret_key))

    def seal(self, text: str) -> str:
        return self._fernet.encrypt(text.encode()).decode()

    def open(self, sealed: str) -> str:
        try:
            return self._fernet.decrypt(sealed.encode()).decode()
        except InvalidToken as exc:
            raise BrokenSeal("A stored Slack credential cannot be opened with this PATROL_SECRET_KEY.") from exc


@lru_cache(maxsize=4)
def _derive(secret_key: str) -> bytes:
    hkdf = HKDF(algorithm=hashes.SHA256(), length=32, salt=None, info=PURPOSE)
    return base64.urlsafe_b64encode(hkdf.derive(secret_key.encode()))


def for_app(app: Flask) -> Sealer:
    """The app's sealer, read at use: `patrol serve --demo` sets its key after start-up."""
    return Sealer(config.of(app, config.Core).secret_key or "")


class SealedText(TypeDecorator):
    """A text column whose values are sealed on the way in and opened on the way out."""

    impl = Text
    cache_ok = True

    def __init__(self, sealer: Callable[[], Sealer]) -> None:
        super().__init__()
        self.sealer = sealer

    def process_bind_param(self, value: str | None, dialect):  # noqa: ANN001, ANN201, ARG002
        return None if value is None else self.sealer().seal(value)

    def process_result_value(self, value: str | None, dialect):  # noqa: ANN001, ANN201, ARG002
        return None if value is None else self.sealer().open(value)
